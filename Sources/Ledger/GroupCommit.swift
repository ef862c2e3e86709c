import Postgres

/// Group commit for a long-lived appender (the HTTP service): append calls that arrive while a
/// transaction is being written wait, and are then written together in the next one, with one
/// commit (one flush of the log) for all of them (``Appender/appendTogether(_:on:)``). Each call
/// stays all or nothing and gets its own answer; `expected_version` and idempotent retries work
/// across the calls of a batch as between separate appends, since each call is checked against
/// what the calls before it wrote. A call alone goes its usual way.
///
/// ```swift
/// let appends = GroupCommit(pool: pool)
/// let outcome = try await appends.append(submissions, with: appender)
/// ```
public actor GroupCommit {
    private let pool: ConnectionPool
    /// The most events one transaction takes from waiting calls (a call is never split).
    public let eventsPerBatch: Int
    private var waiting: [(call: (appender: Appender, submissions: [Submission]), answer: CheckedContinuation<Appender.Outcome, any Error>)] = []
    private var writing = false
    /// Transactions written and calls answered so far (for the benchmark and the tests).
    public private(set) var transactions = 0
    public private(set) var calls = 0

    public init(pool: ConnectionPool, eventsPerBatch: Int = Appender.checkedFirstLimit) {
        self.pool = pool
        self.eventsPerBatch = eventsPerBatch
    }

    /// Appends `submissions` with `appender`, together with the calls waiting beside it.
    /// - Throws: ``Appender/Rejected`` when any of its events is rejected (nothing of it appended).
    public func append(_ submissions: [Submission], with appender: Appender) async throws -> Appender.Outcome {
        guard submissions.count <= Appender.checkedFirstLimit else {
            return try await pool.write { try appender.append(submissions, on: $0) }
        }
        return try await withCheckedThrowingContinuation { answer in
            waiting.append(((appender, submissions), answer))
            if !writing {
                writing = true
                Task { await self.write() }
            }
        }
    }

    /// Writes what waits, a transaction at a time, until nothing does.
    private func write() async {
        while !waiting.isEmpty {
            var count = 0
            let batch = waiting.prefix { entry in
                defer { count += entry.call.submissions.count }
                return count == 0 || count + entry.call.submissions.count <= eventsPerBatch
            }
            waiting.removeFirst(batch.count)
            let calls = batch.map(\.call)
            let results: [Result<Appender.Outcome, any Error>]
            do {
                results = try await pool.write { try Appender.appendTogether(calls, on: $0) }
            } catch {
                results = Array(repeating: .failure(error), count: batch.count)
            }
            transactions += 1
            self.calls += batch.count
            for (entry, result) in zip(batch, results) { entry.answer.resume(with: result) }
        }
        writing = false
    }
}
