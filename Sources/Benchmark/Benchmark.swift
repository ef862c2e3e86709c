import EventStore
import Foundation
import HistoryGenerator
import Reply
import Ledger
import Postgres
import Projections
import Statistics

/// Measures each ledger operation and the raw PostgreSQL floor for the same work, in one process
/// against one database, so the ratios compare like with like on the machine at hand.
///
/// The database must be freshly migrated and empty: the benchmark imports a generated history into
/// it, then rebuilds, reads, verifies and appends, and builds raw tables beside the ledger
/// (`bench_raw`) for the floors.
public struct Benchmark {
    public struct Options: Sendable {
        /// Size of the generated history.
        public var events = 1_000_000
        public var seed: UInt64 = 1
        /// Single-event appends per client count.
        public var appends = 2_000
        public var clients = [1, 8]
        /// Concurrent callers of a service's connection pool (group commit).
        public var pooledCallers = [1, 8, 32]
        /// Samples for `history` latencies.
        public var historySamples = 500
        /// Samples for `stats` latencies.
        public var statsSamples = 100
        /// Runs of the plain SQL that `stats` is compared with (slow at scale).
        public var rawSamples = 3
        /// Where the generated history is written.
        public var workDirectory = FileManager.default.temporaryDirectory.path
        public var district = "天宁区"
        public init() {}
    }

    /// A measured figure: a rate (higher is better) or latencies (lower is better).
    public enum Figure: Sendable {
        case rate(Double, unit: String)
        case latency(p50: Double, p99: Double)
    }

    /// One line of the report: the ledger's figure, the raw floor's, and how they compare.
    public struct Result: Sendable {
        public var operation: String
        public var ledger: Figure
        public var raw: Figure?
        public var rawWork: String?
        /// The ledger's speed relative to raw (ledger rate ÷ raw rate, or raw time ÷ ledger time).
        public var ratio: Double?
        /// What the issue asks for, e.g. "≥ 0.5×" or "p99 < 50 ms".
        public var target: String?
        public var met: Bool?
        public var peakMemory: Int?
    }

    public var options: Options
    /// Connection strings to the benchmark database: as its owner, and as the application role.
    let adminConninfo: String
    let appConninfo: String
    let configuration: LedgerConfiguration
    let progress: @Sendable (String) -> Void

    public init(
        options: Options, adminConninfo: String, appConninfo: String,
        configuration: LedgerConfiguration = .changzhou, progress: @escaping @Sendable (String) -> Void
    ) {
        self.options = options
        self.adminConninfo = adminConninfo
        self.appConninfo = appConninfo
        self.configuration = configuration
        self.progress = progress
    }

    /// Runs every measurement in order and returns the report's lines.
    public func run() throws -> [Result] {
        let app = try Connection(appConninfo)
        let admin = try Connection(adminConninfo)
        try prepareRawTables(admin)
        var results: [Result] = []

        let file = "\(options.workDirectory)/ledger-bench-\(options.events)-\(options.seed).jsonl"
        let (generated, answers) = try generate(into: file)
        results.append(generated)
        results.append(try importHistory(file, app, admin))
        try? FileManager.default.removeItem(atPath: file)
        results.append(try rebuild(app))
        // Staff answer proposals on a ledger whose read models are current.
        results.append(try answer(answers, app))
        results += try statistics(app)
        results += try deadlines(app)
        results.append(try draw(app))
        results.append(try history(app))
        results.append(try verify(app))
        for clients in options.clients {
            results.append(try appends(clients: clients, app, admin))
        }
        for callers in options.pooledCallers {
            results.append(try appends(clients: callers, pooled: true, app, admin))
        }
        return results
    }

    // MARK: The raw floors' tables

    /// Tables shaped like `ledger.events` (columns, constraints, indexes) without the append path:
    /// no validation, no lock, no hash chain.
    func prepareRawTables(_ admin: Connection) throws {
        try admin.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE")
        try admin.execute("CREATE SCHEMA bench_raw")
        for table in ["copied", "inserted"] {
            try admin.execute("CREATE TABLE bench_raw.\(identifier: table) (LIKE ledger.events INCLUDING ALL)")
            try admin.execute("ALTER TABLE bench_raw.\(identifier: table) ALTER hash SET DEFAULT decode(repeat('00', 32), 'hex')")
        }
    }

    // MARK: Measurements

    func generate(into file: String) throws -> (Result, [ProposalAnswer]) {
        progress("generating \(options.events) events (seed \(options.seed))")
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw LedgerError("cannot write \(file)")
        }
        var generation = HistoryGenerator.Options(seed: options.seed, events: options.events)
        generation.draws = true  // the benchmark's ledger holds nothing else
        var generator = HistoryGenerator(options: generation)
        var written = 0
        let elapsed = try seconds { written = try generator.write(to: handle) }
        try handle.close()
        return (Result(operation: "generate history (\(written) events)", ledger: .rate(Double(written) / elapsed, unit: "events/s")), generator.answers)
    }

    /// The history's council proposals answered as staff answer them (SPEC §10): each reply
    /// produced from the figures, recorded, and recorded sent.
    func answer(_ answers: [ProposalAnswer], _ app: Connection) throws -> Result {
        progress("answering \(answers.count) council proposals")
        let service = ReplyService(configuration: configuration)
        let elapsed = try seconds {
            for answer in answers { _ = try service.answer(answer, app) }
        }
        return Result(operation: "answer \(answers.count) council proposals (reply produced, recorded, sent)",
                      ledger: .rate(Double(answers.count) / elapsed, unit: "replies/s"))
    }

    /// The ledger's import (parse, validate, chain) against COPY of the same rows into a table
    /// with the same constraints and indexes.
    func importHistory(_ file: String, _ app: Connection, _ admin: Connection) throws -> Result {
        progress("importing")
        guard let handle = FileHandle(forReadingAtPath: file) else { throw LedgerError("cannot read \(file)") }
        let appender = Appender(configuration: configuration)
        var outcome: Appender.Outcome?
        var elapsed = 0.0
        let memory = try ResidentMemory.peak {
            elapsed = try seconds { outcome = try appender.append(JSONLinesReader(handle: handle), on: app) }
        }
        let imported = Double(outcome?.appended ?? 0)

        progress("raw COPY of the same rows")
        let rows = "\(file).copy"
        _ = FileManager.default.createFile(atPath: rows, contents: nil)
        guard let out = FileHandle(forWritingAtPath: rows) else { throw LedgerError("cannot write \(rows)") }
        try admin.copyOut("""
            COPY (SELECT id, stream, version, type, occurred_on, actor, data FROM ledger.events ORDER BY position) TO STDOUT
            """) { out.write(Data($0)) }
        try out.close()
        defer { try? FileManager.default.removeItem(atPath: rows) }
        guard let input = FileHandle(forReadingAtPath: rows) else { throw LedgerError("cannot read \(rows)") }
        let rawElapsed = try seconds {
            try admin.copyIn("COPY bench_raw.copied (id, stream, version, type, occurred_on, actor, data) FROM STDIN") { writer in
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try chunk.withUnsafeBytes { try writer.raw($0.bindMemory(to: UInt8.self)) }
                }
            }
        }
        try? input.close()
        return compare(
            "import \(Int(imported)) events", ledger: imported / elapsed, raw: imported / rawElapsed,
            unit: "events/s", rawWork: "COPY into a table with the same indexes", target: 0.5, memory: memory)
    }

    /// Rebuilds every projection from zero against one plain SQL statement on `ledger.events`
    /// that derives the same figures (``RawFigures``).
    func rebuild(_ app: Connection) throws -> Result {
        progress("rebuilding the projections")
        let engine = ProjectionEngine()
        let head = Double(try EventStore().headPosition(app))
        var elapsed = 0.0
        let memory = try ResidentMemory.peak {
            elapsed = try seconds {
                for projection in engine.projections { try engine.rebuild(projection, app) }
            }
        }
        progress("the same figures in plain SQL over ledger.events")
        let rawElapsed = try seconds { _ = try RawFigures.compute(request(nil), app) }
        return compare(
            "rebuild the projections", ledger: head / elapsed, raw: head / rawElapsed, unit: "events/s",
            rawWork: "one SQL statement over ledger.events", target: 0.5, memory: memory)
    }

    func request(_ district: String?) -> StatisticsRequest {
        StatisticsRequest(from: StatisticsRequest.policyStart, to: CalendarDate(year: 2024, month: 12, day: 31)!, district: district)
    }

    /// `ledger stats` (catch-up check, then the figures from the read models) against the plain
    /// SQL on the log; fails when the two disagree on any figure.
    func statistics(_ app: Connection) throws -> [Result] {
        let service = StatisticsService(configuration: configuration)
        return try [nil, options.district].map { district in
            let scope = district ?? "city"
            progress("stats for the \(scope)")
            var ledger = Latencies()
            var figures: Statistics?
            for _ in 0..<options.statsSamples {
                try ledger.record { figures = try service.statistics(request(district), app) }
            }
            var raw = Latencies()
            var rawFigures: [String: Int64] = [:]
            for _ in 0..<max(1, options.rawSamples) {
                try raw.record { rawFigures = try RawFigures.compute(request(district), app) }
            }
            if let figures, case let wrong = RawFigures.disagreements(rawFigures, figures), !wrong.isEmpty {
                throw LedgerError("stats and the plain SQL disagree for the \(scope): \(wrong.joined(separator: ", "))")
            }
            return compare(
                "stats, \(scope)", ledger: ledger, raw: raw, rawWork: "one SQL statement over ledger.events",
                target: "p99 < 50 ms", met: ledger.percentile(0.99) < 0.050)
        }
    }

    /// The obligations read model (SPEC §8): rebuilding it alone, and `ledger deadlines` on a day,
    /// against plain SQL that finds the same open notices and undecided cases on the log.
    func deadlines(_ app: Connection) throws -> [Result] {
        progress("rebuilding the obligations read model")
        let engine = ProjectionEngine()
        let head = Double(try EventStore().headPosition(app))
        let day = CalendarDate(year: 2023, month: 6, day: 30)!
        let raw: SQL = """
            SELECT n.stream, (n.data ->> 'deadline')::date AS due_on FROM ledger.live_events(\(Int64.max)) n
             WHERE n.type = \(type: .rectificationOrdered) AND n.occurred_on <= \(day.description)::date
               AND NOT EXISTS (SELECT 1 FROM ledger.live_events(\(Int64.max)) v
                                WHERE v.stream = n.stream AND v.type = \(type: .rectificationVerified) AND v.data ->> 'outcome' = 'completed'
                                  AND v.data ->> 'notice_no' = n.data ->> 'notice_no' AND v.occurred_on <= \(day.description)::date)
            UNION ALL
            SELECT o.stream, o.occurred_on + 90 FROM ledger.live_events(\(Int64.max)) o
             WHERE o.type = \(type: .caseOpened) AND o.occurred_on <= \(day.description)::date
               AND NOT EXISTS (SELECT 1 FROM ledger.live_events(\(Int64.max)) d
                                WHERE d.stream = o.stream AND d.type = \(type: .caseDecided) AND d.occurred_on <= \(day.description)::date)
            ORDER BY 2, 1
            """
        let elapsed = try seconds { try engine.rebuild(ObligationsProjection(), app) }
        let rawElapsed = try seconds { _ = try app.execute(raw) }
        let rebuilt = compare(
            "rebuild the obligations read model", ledger: head / elapsed, raw: head / rawElapsed, unit: "events/s",
            rawWork: "one SQL statement: open notices and undecided cases on the log", target: nil, memory: nil)
        progress("deadlines on \(day)")
        let service = StatisticsService(configuration: configuration)
        let request = DeadlinesRequest(on: day)
        var ledger = Latencies(), rawLatencies = Latencies()
        for _ in 0..<options.statsSamples {
            try ledger.record {
                _ = try service.deadlines(request, app)
            }
        }
        for _ in 0..<max(1, options.rawSamples) { try rawLatencies.record { _ = try app.execute(raw) } }
        let listed = compare(
            "deadlines on a day", ledger: ledger, raw: rawLatencies, rawWork: "the same SQL statement",
            target: "p99 < 50 ms", met: ledger.percentile(0.99) < 0.050)
        return [rebuilt, listed]
    }

    /// A city-wide draw of 1,000 targets (SPEC §11): the plan appended, then its pool read as the
    /// ledger stood at the plan and the targets and inspectors drawn, as `ledger draw` and the
    /// check of every DrawPerformed do; beside one SQL statement that reads the pool's events and
    /// folds nothing.
    func draw(_ app: Connection) throws -> Result {
        progress("a draw from the city's register")
        let plan = #"{"matters":["办学资质"],"count":1000,"inspectors":["a","b","c","d","e","f"],"per_target":2,"window":{"from":"2024-12-20","to":"2024-12-31"}}"#
        let key = "BENCH-\(UUID().lowercasedText.prefix(8))"
        _ = try Appender(configuration: configuration).append(json: #"{"id":"\#(UUID().lowercasedText)","stream":"draw-\#(key)","type":"DrawPlanned","occurred_on":"2024-12-15","actor":"bench","data":\#(plan)}"#, on: app)
        var ledger = Latencies(), raw = Latencies()
        var poolSize = 0
        for _ in 0..<5 {
            try ledger.record {
                guard let draw = try RecordedDraw.read(key, configuration: configuration, app) else { throw LedgerError("the plan was not recorded") }
                poolSize = draw.pool.count
                _ = try draw.expected(beacon: "福彩3D 2024-12-16 第2024341期 527")
            }
            try raw.record {
                _ = try app.execute("SELECT count(*) FROM ledger.events WHERE type = ANY(\(TextArray(DrawPool.types.map(\.rawValue)))::text[]) AND stream LIKE 'institution-%'")
            }
        }
        return compare(
            "draw 1000 targets from a pool of \(poolSize)", ledger: ledger, raw: raw, rawWork: "SQL counting the pool's events (no fold)",
            target: "p99 < 1 s", met: ledger.percentile(0.99) < 1)
    }

    func history(_ app: Connection) throws -> Result {
        progress("history of single institutions")
        let streams = try app.execute("""
            SELECT stream FROM ledger.events WHERE type = \(type: .institutionRegistered)
             ORDER BY hashtext(stream) LIMIT \(options.historySamples)
            """).compactMap { $0["stream"] }
        var ledger = Latencies(), raw = Latencies()
        for name in streams {
            guard let stream = StreamName(name) else { continue }
            try ledger.record { _ = try History.of(stream, app) }
            try raw.record {
                _ = try app.execute("SELECT * FROM ledger.events WHERE stream = \(name) ORDER BY version")
            }
        }
        return compare(
            "history of one institution", ledger: ledger, raw: raw, rawWork: "SELECT of the stream's rows",
            target: "p99 < 10 ms", met: ledger.percentile(0.99) < 0.010)
    }

    func verify(_ app: Connection) throws -> Result {
        progress("verifying every chain")
        var report: VerifyReport?
        let elapsed = try seconds { report = try EventStore().verify(app) }
        let events = Double(report?.eventsChecked ?? 0)
        let rawElapsed = try seconds {
            try app.execute("SELECT count(*) FROM ledger.events WHERE sha256(convert_to(data::text, 'UTF8')) IS NOT NULL")
        }
        return compare(
            "verify the whole ledger", ledger: events / elapsed, raw: events / rawElapsed, unit: "events/s",
            rawWork: "scan and SHA-256 every event's data", target: nil, memory: nil)
    }

    /// Single-event appends from `clients` connections at once, each its own transaction, or
    /// (`pooled`) from as many concurrent callers of a service's pool of 4 connections, through
    /// its group commit and kept stream states, against an autocommit INSERT of the same row from `clients` connections.
    /// The two alternate in rounds, so a drift in the disk's flush time during the run touches
    /// both alike.
    func appends(clients: Int, pooled: Bool = false, _ app: Connection, _ admin: Connection) throws -> Result {
        progress("single-event appends, \(clients) \(pooled ? "callers of a pool" : "client(s)")")
        let group = pooled ? GroupCommit(pool: ConnectionPool(appConninfo, size: 4)) : nil
        let rounds = 4
        let perClient = max(1, options.appends / clients / rounds)
        var streams = try app.execute("""
            SELECT stream FROM ledger.events WHERE type = \(type: .institutionRegistered)
             ORDER BY hashtext(stream || \(String(clients))) LIMIT \(perClient * clients * rounds)
            """).compactMap { $0["stream"] }
        // Each client keeps to its own institutions (a small history has fewer than appends).
        streams.removeLast(streams.count % clients)
        guard !streams.isEmpty else { throw LedgerError("too few institutions to append to") }
        var service = Appender(configuration: configuration)
        if pooled {
            // A warm service: its appends keep stream states, and each caller comes back to the
            // same 20 institutions of its own, as staff keep working on theirs.
            service.streamCache = StreamStateCache()
            streams = Array(streams.prefix(clients * 20))
        }
        let appender = service
        let appConninfo = appConninfo, adminConninfo = adminConninfo
        var ledgerTime = 0.0, rawTime = 0.0, ledgerCount = 0, rawCount = 0
        for round in 0..<rounds {
            let mine = (0..<(perClient * clients)).map { streams[(round * perClient * clients + $0) % streams.count] }
            let before = try EventStore().headPosition(app)
            let lanes = (0..<clients).map { lane in
                stride(from: lane, to: mine.count, by: clients).map { index in
                    """
                    {"id":"\(UUID().lowercasedText)","stream":"\(mine[index])","type":"\(EventType.interviewHeld.rawValue)",\
                    "occurred_on":"2024-12-31","actor":"bench","data":{"reason":"benchmark interview"}}
                    """
                }
            }
            if let group {
                ledgerTime += try Self.concurrently(lanes, group, appender)
            } else {
                ledgerTime += try Self.concurrently(lanes) { lane in
                    let connection = try Connection(appConninfo)
                    return {
                        for json in lane { _ = try appender.append(json: json, on: connection) }
                    }
                }
            }
            let rows = try app.execute("""
                SELECT id::text, stream, version::text, type, occurred_on::text, actor, data::text FROM ledger.events
                 WHERE position > \(before) ORDER BY position
                """).map { row in (0..<7).map { row[$0] ?? "" } }
            ledgerCount += rows.count
            rawCount += rows.count
            let rawLanes = (0..<clients).map { lane in stride(from: lane, to: rows.count, by: clients).map { rows[$0] } }
            rawTime += try Self.concurrently(rawLanes) { lane in
                let connection = try Connection(adminConninfo)
                return {
                    for r in lane {
                        try connection.execute("""
                            INSERT INTO bench_raw.inserted (id, stream, version, type, occurred_on, actor, data)
                            VALUES (\(r[0])::uuid, \(r[1]), \(r[2])::int, \(r[3]), \(r[4])::date, \(r[5]), \(r[6])::jsonb)
                            """)
                    }
                }
            }
        }
        return compare(
            pooled ? "append one event, \(clients) caller\(clients == 1 ? "" : "s") of the service (group commit, kept states)" : "append one event, \(clients) client\(clients == 1 ? "" : "s")",
            ledger: Double(ledgerCount) / ledgerTime, raw: Double(rawCount) / rawTime, unit: "events/s",
            // Issue 18's targets: half of raw INSERT for one caller, as fast as raw from as many
            // connections once callers share commits.
            rawWork: "INSERT of the same row, autocommit", target: pooled && clients > 1 ? 1.0 : 0.5, memory: nil)
    }

    /// Runs one thread per lane: `setup` (untimed, e.g. connecting) then the work it returns, all
    /// started together. Returns the wall time from start to the last finish; rethrows a failure.
    static func concurrently<Lane: Sendable>(
        _ lanes: [Lane], setup: @escaping @Sendable (Lane) throws -> () throws -> Void
    ) throws -> Double {
        let ready = DispatchGroup(), done = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        let failures = FailureBox()
        for lane in lanes {
            ready.enter()
            done.enter()
            Thread {
                defer { done.leave() }
                let work: (() throws -> Void)?
                do { work = try setup(lane) } catch { failures.record(error); work = nil }
                ready.leave()
                start.wait()
                do { try work?() } catch { failures.record(error) }
            }.start()
        }
        ready.wait()
        let elapsed = seconds {
            for _ in lanes { start.signal() }
            done.wait()
        }
        if let error = failures.first { throw error }
        return elapsed
    }

    /// Runs each lane as a task calling `group`, all at once; returns the wall time.
    static func concurrently(_ lanes: [[String]], _ group: GroupCommit, _ appender: Appender) throws -> Double {
        let done = DispatchSemaphore(value: 0)
        let failures = FailureBox()
        let elapsed = seconds {
            Task {
                do {
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        for lane in lanes {
                            tasks.addTask {
                                for json in lane { _ = try await group.append([Submission(text: json)], with: appender) }
                            }
                        }
                        try await tasks.waitForAll()
                    }
                } catch {
                    failures.record(error)
                }
                done.signal()
            }
            done.wait()
        }
        if let error = failures.first { throw error }
        return elapsed
    }

    // MARK: Comparing

    func compare(
        _ operation: String, ledger: Double, raw: Double, unit: String, rawWork: String, target: Double?, memory: Int?
    ) -> Result {
        let ratio = ledger / raw
        return Result(
            operation: operation, ledger: .rate(ledger, unit: unit), raw: .rate(raw, unit: unit), rawWork: rawWork,
            ratio: ratio, target: target.map { "≥ \($0)×" }, met: target.map { ratio >= $0 }, peakMemory: memory)
    }

    func compare(_ operation: String, ledger: Latencies, raw: Latencies, rawWork: String, target: String, met: Bool) -> Result {
        Result(
            operation: operation,
            ledger: .latency(p50: ledger.percentile(0.5), p99: ledger.percentile(0.99)),
            raw: .latency(p50: raw.percentile(0.5), p99: raw.percentile(0.99)), rawWork: rawWork,
            ratio: raw.percentile(0.5) / ledger.percentile(0.5), target: target, met: met)
    }
}

/// The first error thrown on any benchmark thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func record(_ error: Error) { lock.withLock { errors.append(error) } }
    var first: Error? { lock.withLock { errors.first } }
}
