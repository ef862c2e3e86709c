import EventStore
import Foundation
import Ledger
import Postgres
import Projections
import TestSupport
import Testing

@Suite struct ProjectionEngineTests {
    static let tables = [
        ("institutions", ["institution_states", "institution_events", "list_states"]),
        ("operations", ["operations"]),
        ("bulletins", ["bulletins", "bulletin_exposures"]),
        ("obligations", ["obligations", "proposal_feedback", "case_closures"]),
    ]

    /// Rows that differ between the current read models and a clean replay of the log at their
    /// position: empty when incremental application equals a rebuild.
    static func differencesFromReplay(_ database: TestDatabase) throws -> [String] {
        let connection = try database.connect()
        let engine = ProjectionEngine()
        let current = try engine.currentGenerations(connection)
        let positions = Set(current.values.map(\.position))
        guard positions.count == 1, let position = positions.first else { return ["projections at different positions: \(positions)"] }
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("ROLLBACK") }
        let replay = try engine.replay(upTo: position, connection)
        var differences: [String] = []
        for (projection, names) in tables {
            for table in names {
                let a = current[projection]!.schema, b = replay[projection]!.schema
                let count = try connection.execute("""
                    SELECT (SELECT count(*) FROM (SELECT * FROM \(identifier: a).\(identifier: table) EXCEPT ALL SELECT * FROM \(identifier: b).\(identifier: table)) x)
                         + (SELECT count(*) FROM (SELECT * FROM \(identifier: b).\(identifier: table) EXCEPT ALL SELECT * FROM \(identifier: a).\(identifier: table)) y) AS n
                    """)[0].decode("n", as: Int.self)
                if count > 0 { differences.append("\(table): \(count) rows differ") }
            }
        }
        return differences
    }

    @Test func smallIncrementalBatchesEqualACleanReplay() throws {
        let ledger = try ProjectionsHarness("incremental")
        let lines = try generatedHistory(seed: 21, events: 6_000)
        let engine = ProjectionEngine(batchSize: 137)
        for chunk in stride(from: 0, to: lines.count, by: 700) {
            try ledger.append(Array(lines[chunk..<min(chunk + 700, lines.count)]))
            try engine.catchUp(try ledger.database.connect())
        }
        #expect(try Self.differencesFromReplay(ledger.database) == [])
    }

    @Test func aRebuildSwitchesOverToANewGenerationWithTheSameContents() async throws {
        let ledger = try ProjectionsHarness("rebuild")
        try ledger.importFixture()
        let before = try ledger.contents()
        let connection = try ledger.database.connect()
        let old = try ProjectionEngine().currentGenerations(connection)
        // The current read models keep answering while a rebuild runs on another connection.
        let url = ledger.database.appURL
        let rebuild = Task {
            let db = try await DatabaseConnection.connect(url)
            try await db.withConnection { connection in
                for projection in Projections.all { try ProjectionEngine(rebuildBatchSize: 3_000).rebuild(projection, connection) }
            }
        }
        for _ in 0..<3 { #expect(try ledger.contents() == before) }
        try await rebuild.value
        let new = try ProjectionEngine().currentGenerations(connection)
        for (name, generation) in new {
            #expect(generation.generation == old[name]!.generation + 1)
            let exists = try connection.execute("SELECT count(*) AS n FROM pg_namespace WHERE nspname = \(old[name]!.schema)")
            #expect(exists[0]["n"] == "0", "the old generation of \(name) was not dropped")
        }
        #expect(try ledger.contents() == before)
    }

    @Test func aReadModelBuiltByAnOlderDefinitionIsRebuiltBeforeUse() throws {
        let ledger = try ProjectionsHarness("definition")
        try ledger.importFixture()
        let before = try ledger.contents()
        let connection = try ledger.database.connect()
        let old = try ProjectionEngine().currentGenerations(connection)["institutions"]!
        try ledger.database.connectAdmin().execute("UPDATE projections.generations SET definition = 0 WHERE projection = 'institutions'")
        #expect(try ledger.contents() == before)
        let new = try ProjectionEngine().currentGenerations(connection)["institutions"]!
        #expect(new.generation == old.generation + 1)
        #expect(new.definition == InstitutionsProjection().definition)
    }

    @Test func concurrentWritersAndARunningWorkerApplyEveryEventExactlyOnce() async throws {
        let ledger = try ProjectionsHarness("commitsafe")
        let lines = try generatedHistory(seed: 33, events: 4_000)
        // Streams are opened first (registrations and operations, the first event of their
        // streams, which later lines refer to); the rest goes to writer hash(stream) % 8, so each
        // writer sends every stream's events in their order while all eight run at once.
        let opening = lines.filter { $0.contains("\"InstitutionRegistered\"") || $0.contains("\"OperationConducted\"") }
        try ledger.append(opening)
        let url = ledger.database.appURL
        let writers = 8
        var byWriter = Array(repeating: [String](), count: writers)
        // Penalty cases span streams (a decision and its companions come in one call, a payment
        // reads the institution's penalty): they go in one call after the writers.
        let cases = lines.filter { $0.contains("\"stream\":\"case-") || $0.contains("\"case\":\"") }
        for line in lines where !(line.contains("\"InstitutionRegistered\"") || line.contains("\"OperationConducted\"")) && !cases.contains(line) {
            let stream = try JSONParser.parse(line)["stream"]?.stringValue ?? ""
            let writer = Int(stream.utf8.reduce(UInt32(5381)) { ($0 << 5) &+ $0 &+ UInt32($1) } % UInt32(writers))
            byWriter[writer].append(line)
        }

        // A worker applying tiny batches the whole time the writers run.
        let running = ManagedFlag()
        let worker = Task {
            let db = try await DatabaseConnection.connect(url)
            var batches = 0
            while running.isSet || batches == 0 {
                batches += try await db.withConnection { connection in
                    var applied = 0
                    try ProjectionEngine(batchSize: 7).catchUp(connection) { _ in applied += 1 }
                    return applied
                }
            }
            return batches
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let mine = byWriter[writer]
                group.addTask {
                    let db = try await DatabaseConnection.connect(url)
                    let appender = Appender(configuration: .changzhou, today: CalendarDate("2025-06-30")!)
                    for chunk in stride(from: 0, to: mine.count, by: 25) {
                        let part = mine[chunk..<min(chunk + 25, mine.count)].map { Submission(text: $0) }
                        _ = try await db.withConnection { try appender.append(part, on: $0) }
                    }
                }
            }
            try await group.waitForAll()
        }
        try ledger.append(cases)
        running.clear()
        let batches = try await worker.value
        try ProjectionEngine().catchUp(try ledger.database.connect())
        #expect(batches > 100, "the worker applied \(batches) batches while the writers ran")
        #expect(try ledger.database.eventCount() == 4_000)
        #expect(try Self.differencesFromReplay(ledger.database) == [])
    }

    @Test func aWorkerKilledAtAnyMomentResumesToTheFiguresOfACleanRebuild() async throws {
        let binary = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ledger")
        let candidates = [binary, TestDatabase.root.appendingPathComponent(".build/debug/ledger")]
        let ledgerBinary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                                        "build the ledger executable first (swift build)")
        let ledger = try ProjectionsHarness("kill")
        try ledger.append(try generatedHistory(seed: 44, events: 12_000))

        // Each round starts a worker, waits until it has committed at least one batch, and kills it
        // a few milliseconds later: mid-batch, most of the time, since applying is most of its work.
        let poller = try ledger.database.connect()
        func checkpoint() throws -> Int64 {
            try poller.execute("""
                SELECT position FROM projections.generations WHERE projection = 'institutions' AND state = 'current'
                """).first?.decode("position") ?? 0
        }
        var killedAt: [Int64] = []
        for _ in 0..<6 {
            let before = try checkpoint()
            let process = Process()
            process.executableURL = ledgerBinary
            process.arguments = ["worker", "--batch-size", "40", "--poll", "0.2", "--database-url", ledger.database.appURL]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var polls = 0
            while try checkpoint() == before, polls < 20_000 {
                usleep(1_000)
                polls += 1
            }
            usleep(UInt32.random(in: 0...15_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            killedAt.append(try checkpoint())
        }
        #expect(killedAt.filter { $0 < 12_000 }.count >= 3, "the worker was not killed mid-run often enough: \(killedAt)")
        #expect(killedAt == killedAt.sorted())
        try ProjectionEngine(batchSize: 150).catchUp(try ledger.database.connect())
        #expect(try Self.differencesFromReplay(ledger.database) == [])
    }
}

/// A flag one task clears and another reads.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = true
    var isSet: Bool { lock.withLock { value } }
    func clear() { lock.withLock { value = false } }

    /// A transaction left open elsewhere, holding a lock the worker needs: the worker says who
    /// holds it (the backend, idle in transaction) and carries on once it ends.
    @Test func aWorkerBlockedByAnIdleTransactionSaysWhoHoldsItAndResumes() async throws {
        let database = try TestDatabase.create("engine_idle_blocker")
        let app = try database.connect()
        try ProjectionEngine().catchUp(app)
        let lines = try generatedHistory(seed: 3, events: 2_000)
        _ = try Appender(configuration: .changzhou).append(lines.map { Submission(text: $0) }, on: app)

        let blocker = try database.connectAdmin()
        try blocker.execute("SET application_name = 'forgotten psql'")
        try blocker.execute("BEGIN")
        try blocker.execute("SELECT * FROM projections.generations FOR UPDATE")
        let blockerPID: Int = try blocker.execute("SELECT pg_backend_pid() AS pid")[0].decode("pid")

        let reports = Reports()
        var configured = ProjectionEngine()
        configured.lockTimeout = 0.2
        let engine = configured
        let worker = try await DatabaseConnection.connect(database.appURL)
        let finished = Task {
            try await worker.withConnection { connection in
                try engine.catchUp(connection, blocked: { reports.append($0) })
            }
        }
        for _ in 0..<100 where reports.all.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let first = try #require(reports.all.first)
        #expect(first.holders.first?.pid == blockerPID)
        #expect(first.holders.first?.state == "idle in transaction")
        #expect(first.holders.first?.application == "forgotten psql")
        #expect(first.holders.first?.description.contains("projections.generations") == true)

        try blocker.execute("COMMIT")
        let reached = try await finished.value
        #expect(reached == (try EventStore().headPosition(app)))
        #expect(reports.all.count < 5, "reported once per change of holders, not once per retry")
    }
}

/// Reports collected from the worker's thread.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Blocked] = []
    func append(_ report: Blocked) { lock.withLock { reports.append(report) } }
    var all: [Blocked] { lock.withLock { reports } }
}
