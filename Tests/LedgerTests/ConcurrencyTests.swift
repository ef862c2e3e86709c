import EventStore
import Foundation
import Ledger
import Postgres
import Testing

/// Concurrency claims proven with real connections, not argued.
@Suite struct ConcurrencyTests {
    static let writers = 8

    /// Appends one event on its own connection; returns the outcome or the rejection.
    static func append(_ line: String, url: String) async throws -> Result<Appender.Outcome, Appender.Rejected> {
        let db = try await DatabaseConnection.connect(url)
        let appender = Appender(configuration: .changzhou, today: LedgerHarness.today)
        return try await db.withConnection { connection in
            do {
                return .success(try appender.append(json: line, on: connection))
            } catch let rejected as Appender.Rejected {
                return .failure(rejected)
            }
        }
    }

    @Test func concurrentAppendersLoseNothingAndDuplicateNothing() async throws {
        let ledger = try LedgerHarness("concurrent")
        let shared = (1...4).map { "S\($0)" }
        try ledger.append(shared.map { Events.registered($0) } + (1...Self.writers).map { Events.registered("W\($0)") })
        let url = ledger.database.appURL
        let perWriter = 30

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 1...Self.writers {
                group.addTask {
                    let db = try await DatabaseConnection.connect(url)
                    let appender = Appender(configuration: .changzhou, today: LedgerHarness.today)
                    for n in 0..<perWriter {
                        // Alternate between a stream every writer contends for and the writer's own.
                        let stream = n % 2 == 0 ? "institution-\(shared[n / 2 % shared.count])" : "institution-W\(writer)"
                        let line = Events.line(stream, "InterviewHeld", #"{"reason":"writer \#(writer) event \#(n)"}"#)
                        _ = try await db.withConnection { try appender.append(json: line, on: $0) }
                    }
                }
            }
            try await group.waitForAll()
        }

        let connection = try ledger.database.connect()
        let expected = shared.count + Self.writers + Self.writers * perWriter
        #expect(try ledger.count() == expected)
        let ids = try connection.execute("SELECT count(DISTINCT id) AS n FROM ledger.events")
        #expect(ids[0]["n"] == String(expected))
        let gaps = try connection.execute("""
            SELECT stream FROM ledger.events GROUP BY stream HAVING max(version) <> count(*) OR min(version) <> 1
            """)
        #expect(gaps.isEmpty)
        let order = try connection.execute("""
            SELECT count(*) AS n FROM ledger.events a JOIN ledger.events b
              ON a.stream = b.stream AND b.version = a.version + 1 AND b.position < a.position
            """)
        #expect(order[0]["n"] == "0")
        #expect(try EventStore().verify(connection).breaks.isEmpty)
    }

    @Test func exactlyOneWriterWinsEachContestedExpectedVersion() async throws {
        let ledger = try LedgerHarness("contested")
        try ledger.append([Events.registered("C1")])
        let url = ledger.database.appURL

        for round in 1...5 {
            let expectedVersion = round  // the registration plus one winner per earlier round
            let results = try await withThrowingTaskGroup(of: Result<Appender.Outcome, Appender.Rejected>.self) { group in
                for writer in 1...Self.writers {
                    let line = Events.line(
                        "institution-C1", "InterviewHeld", #"{"reason":"round \#(round) writer \#(writer)"}"#,
                        extra: #","expected_version":\#(expectedVersion)"#)
                    group.addTask { try await Self.append(line, url: url) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.filter { if case .success = $0 { true } else { false } }
            #expect(winners.count == 1, "round \(round): \(winners.count) winners")
            for case .failure(let rejected) in results {
                #expect(rejected.isConflict)
            }
        }
        #expect(try ledger.count(stream: "institution-C1") == 6)
    }

    @Test func concurrentRetriesOfOneEventAppendItOnce() async throws {
        let ledger = try LedgerHarness("retries")
        try ledger.append([Events.registered("R1")])
        let line = Events.line("institution-R1", "InterviewHeld", #"{"reason":"retry"}"#)
        let url = ledger.database.appURL
        let appended = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 1...Self.writers {
                group.addTask {
                    guard case .success(let outcome) = try await Self.append(line, url: url) else { return -1 }
                    return outcome.appended
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(appended.sorted() == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try ledger.count(stream: "institution-R1") == 2)
    }

    @Test func positionsBecomeVisibleInOrder() async throws {
        // A transaction that appended but has not committed holds back every later append, so a
        // reader never sees a position and later a smaller one.
        let ledger = try LedgerHarness("visible")
        try ledger.append([Events.registered("P1"), Events.registered("P2")])
        let store = EventStore()
        let (slow, held) = try ledger.heldAppend("institution-P1", version: 2)

        let url = ledger.database.appURL
        let fast = Task { try await Self.append(Events.line("institution-P2", "InterviewHeld", #"{"reason":"fast"}"#), url: url) }
        try await Task.sleep(for: .milliseconds(300))
        let reader = try ledger.database.connect()
        #expect(try store.headPosition(reader) == 2, "nothing after position 2 may be visible yet")
        try slow.execute("COMMIT")
        guard case .success(let outcome) = try await fast.value else {
            Issue.record("the fast append was rejected")
            return
        }
        #expect(outcome.events[0].position > held)
    }

    /// A batch of up to 10,000 events (an API call) is checked whole before it takes the append
    /// lock: refused, it never waited for the lock and drew no positions.
    @Test func aRefusedBatchNeverTakesTheLockNorDrawsPositions() throws {
        let ledger = try LedgerHarness("refused_batch")
        try ledger.append([Events.registered("BIG")])
        let head = try EventStore().headPosition(ledger.database.connect())
        var lines = (1..<Appender.checkedFirstLimit).map { Events.line("institution-BIG", "InterviewHeld", #"{"reason":"第\#($0)次"}"#) }
        lines.append(Events.line("institution-BIG", "InstitutionReopened", #"{"reason":"未关停"}"#))  // refused: not closed

        // Another session holds the append lock for as long as the batch is checked.
        let holder = try ledger.database.connect()
        try holder.execute("BEGIN")
        try holder.execute("SELECT ledger.lock_appends()")
        let connection = try ledger.database.connect()
        // Waiting for the lock would fail the test after 5 s instead of hanging it.
        try connection.execute("SET lock_timeout = '5s'")
        let rejection = try #require(try ledger.rejection(lines, on: connection))
        #expect(rejection.count == 1)
        #expect(rejection.rejections.first?.line == Appender.checkedFirstLimit)
        try holder.execute("ROLLBACK")

        let appended = try ledger.appender.append(json: Events.line("institution-BIG", "InterviewHeld", #"{"reason":"之后"}"#), on: connection)
        #expect(appended.firstPosition == head + 1)
    }
}
