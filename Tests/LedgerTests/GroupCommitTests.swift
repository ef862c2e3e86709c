import EventStore
import Foundation
import Ledger
import Postgres
import Testing

/// Group commit (issue 18): concurrent calls through one ``GroupCommit`` share transactions, and
/// every claim of the separate appends still holds, proven with real concurrent calls.
@Suite struct GroupCommitTests {
    static let writers = 8

    /// A service's appender, its stream states kept in `cache` when given.
    static func appender(_ cache: StreamStateCache? = nil) -> Appender {
        var appender = Appender(configuration: .changzhou, today: LedgerHarness.today)
        appender.streamCache = cache
        return appender
    }

    /// One call through `appends`: its outcome or its rejection.
    static func append(_ lines: [String], _ appends: GroupCommit, _ cache: StreamStateCache? = nil) async throws -> Result<Appender.Outcome, Appender.Rejected> {
        do {
            return .success(try await appends.append(lines.map { Submission(text: $0) }, with: appender(cache)))
        } catch let rejected as Appender.Rejected {
            return .failure(rejected)
        }
    }

    @Test func concurrentCallsLoseNothingDuplicateNothingAndShareCommits() async throws {
        let ledger = try LedgerHarness("groupcommit")
        let shared = (1...4).map { "S\($0)" }
        try ledger.append(shared.map { Events.registered($0) } + (1...Self.writers * 4).map { Events.registered("W\($0)") })
        // Two services on one ledger (each its own group commit and kept states), so that
        // batches also meet writers who got there first.
        let services = (0..<2).map { _ in GroupCommit(pool: ConnectionPool(ledger.database.appURL, size: 4)) }
        let caches = [StreamStateCache(), StreamStateCache()]
        let perWriter = 30

        // 32 callers, each alternating between a stream every caller contends for and its own,
        // with batches of one to three events.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 1...Self.writers * 4 {
                group.addTask {
                    for n in 0..<perWriter {
                        let stream = n % 2 == 0 ? "institution-\(shared[n / 2 % shared.count])" : "institution-W\(writer)"
                        let lines = (0...(n % 3)).map { Events.line(stream, "InterviewHeld", #"{"reason":"writer \#(writer) call \#(n) event \#($0)"}"#) }
                        _ = try await services[writer % 2].append(lines.map { Submission(text: $0) }, with: Self.appender(caches[writer % 2]))
                    }
                }
            }
            try await group.waitForAll()
        }

        let connection = try ledger.database.connect()
        let perCaller = (0..<perWriter).reduce(0) { $0 + $1 % 3 + 1 }
        let expected = shared.count + Self.writers * 4 * (1 + perCaller)
        #expect(try ledger.count() == expected)
        #expect(try connection.execute("SELECT count(DISTINCT id) AS n FROM ledger.events")[0]["n"] == String(expected))
        #expect(try connection.execute("SELECT stream FROM ledger.events GROUP BY stream HAVING max(version) <> count(*) OR min(version) <> 1").isEmpty)
        #expect(try connection.execute("""
            SELECT count(*) AS n FROM ledger.events a JOIN ledger.events b
              ON a.stream = b.stream AND b.version = a.version + 1 AND b.position < a.position
            """)[0]["n"] == "0")
        #expect(try EventStore().verify(connection).breaks.isEmpty)
        var (transactions, calls) = (0, 0)
        for appends in services {
            transactions += await appends.transactions
            calls += await appends.calls
        }
        #expect(calls == Self.writers * 4 * perWriter)
        #expect(transactions < calls, "\(transactions) transactions for \(calls) calls: no call shared a commit")
    }

    @Test func exactlyOneCallWinsEachContestedExpectedVersion() async throws {
        let ledger = try LedgerHarness("groupcontested")
        try ledger.append([Events.registered("C1")])
        let appends = GroupCommit(pool: ConnectionPool(ledger.database.appURL, size: 4))
        let cache = StreamStateCache()
        for round in 1...5 {
            let results = try await withThrowingTaskGroup(of: Result<Appender.Outcome, Appender.Rejected>.self) { group in
                for writer in 1...Self.writers {
                    let line = Events.line("institution-C1", "InterviewHeld", #"{"reason":"round \#(round) writer \#(writer)"}"#,
                                           extra: #","expected_version":\#(round)"#)
                    group.addTask { try await Self.append([line], appends, cache) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1, "round \(round)")
            for case .failure(let rejected) in results { #expect(rejected.isConflict) }
        }
        #expect(try ledger.count(stream: "institution-C1") == 6)
    }

    @Test func concurrentRetriesOfOneEventAppendItOnce() async throws {
        let ledger = try LedgerHarness("groupretries")
        try ledger.append([Events.registered("R1")])
        let appends = GroupCommit(pool: ConnectionPool(ledger.database.appURL, size: 4))
        let line = Events.line("institution-R1", "InterviewHeld", #"{"reason":"retry"}"#)
        let appended = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 1...Self.writers {
                group.addTask {
                    guard case .success(let outcome) = try await Self.append([line], appends) else { return -1 }
                    return outcome.appended
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(appended.sorted() == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try ledger.count(stream: "institution-R1") == 2)
    }

    /// Calls written together: the second builds on the first (its expected version, its
    /// retry), the third is rejected and left out alone, the fourth commits; positions follow the calls.
    @Test(arguments: [false, true]) func aRejectedCallFailsAloneAndItsNeighboursCommit(locked: Bool) throws {
        let ledger = try LedgerHarness("grouprejected")
        try ledger.append([Events.registered("B1"), Events.registered("B2")])
        let first = Events.line("institution-B1", "InterviewHeld", #"{"reason":"first"}"#)
        let calls: [[String]] = [
            [first],
            [first, Events.line("institution-B1", "InterviewHeld", #"{"reason":"second"}"#, extra: #","expected_version":2"#)],
            [Events.line("institution-B2", "InterviewHeld", #"{"reason":"third, undone"}"#),
             Events.line("institution-B2", "InterviewHeld", #"{"reason":""}"#)],
            [Events.line("institution-B2", "InterviewHeld", #"{"reason":"fourth"}"#, extra: #","expected_version":1"#)],
        ]
        // Checked together and written in one statement, or (when a writer got there first)
        // each in a savepoint under the lock.
        let batch = calls.map { (appender: Self.appender(), submissions: $0.map { Submission(text: $0) }) }
        let results = try locked ? Appender.appendLockedTogether(batch, on: ledger.database.connect())
            : Appender.appendTogether(batch, on: ledger.database.connect())
        let outcomes = results.compactMap { try? $0.get() }
        #expect(outcomes.map(\.appended) == [1, 1, 1])
        #expect(outcomes[1].duplicates == 1)
        guard case .failure(let error as Appender.Rejected) = results[2] else {
            Issue.record("the third call was not rejected: \(results[2])")
            return
        }
        #expect(error.rejections.first?.problems.first?.field == "data.reason")
        #expect(try ledger.count(stream: "institution-B1") == 3)
        #expect(try ledger.count(stream: "institution-B2") == 2)
        let positions = outcomes.flatMap(\.events).map(\.position)
        #expect(positions == positions.sorted() && Set(positions).count == 3)
        #expect(try EventStore().verify(ledger.database.connect()).breaks.isEmpty)
    }

    @Test func positionsBecomeVisibleInOrder() async throws {
        // A transaction that appended but has not committed holds back every batch after it.
        let ledger = try LedgerHarness("groupvisible")
        try ledger.append([Events.registered("P1"), Events.registered("P2")])
        let store = EventStore()
        let (slow, held) = try ledger.heldAppend("institution-P1", version: 2)
        let appends = GroupCommit(pool: ConnectionPool(ledger.database.appURL, size: 4))
        let fast = (1...4).map { n in
            Task { try await Self.append([Events.line("institution-P2", "InterviewHeld", #"{"reason":"fast \#(n)"}"#)], appends) }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try store.headPosition(ledger.database.connect()) == 2, "nothing after position 2 may be visible yet")
        try slow.execute("COMMIT")
        for task in fast {
            guard case .success(let outcome) = try await task.value else {
                Issue.record("a fast append was rejected")
                continue
            }
            #expect(outcome.events[0].position > held)
        }
    }
}
