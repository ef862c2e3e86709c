import Foundation
import EventStore
import Ledger
import Postgres
import Projections

/// Answers `ledger stats`: from the read models brought up to the head, or from a replay of the
/// log up to an earlier position. The answer always states the position it reflects.
public struct StatisticsService: Sendable {
    public var engine: ProjectionEngine
    public var query: StatisticsQuery
    /// False on a read replica: the figures come from the read models as replicated, at their
    /// position, in one read-only transaction, without catching them up (which writes).
    public var catchesUp = true

    public init(engine: ProjectionEngine = ProjectionEngine(), configuration: LedgerConfiguration) {
        self.engine = engine
        self.query = StatisticsQuery(configuration: configuration)
    }

    /// Why the figures cannot be computed as asked.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// True when what was asked for does not exist (a position beyond the head, a reply
        /// never recorded), false when the figures cannot be had right now (try again).
        public var isMissing: Bool
        public init(description: String, isMissing: Bool = false) {
            self.description = description
            self.isMissing = isMissing
        }
    }

    /// The figures for `request` now (catching the projections up first), or at `position`.
    public func statistics(_ request: StatisticsRequest, atPosition position: Int64? = nil, _ connection: Connection) throws -> Statistics {
        try read(atPosition: position, connection) { generations, common in
            try query.compute(request, generations: generations, position: common, connection)
        }
    }

    /// The monthly series for `request` (``MonthlySeries``), now or at `position`.
    public func monthly(_ request: StatisticsRequest, atPosition position: Int64? = nil, _ connection: Connection) throws -> MonthlySeries {
        try read(atPosition: position, connection) { generations, common in
            try query.series(request, generations: generations, position: common, connection)
        }
    }

    /// What a workbook holds (``MonthlySeries``, issue 19), read at one position: the figures of
    /// `request`, the same period for each district in it (every configured district for the
    /// city), and the monthly series.
    public func workbookFigures(
        _ request: StatisticsRequest, atPosition position: Int64? = nil, _ connection: Connection
    ) throws -> (statistics: Statistics, districts: [Statistics], series: MonthlySeries) {
        try read(atPosition: position, connection) { generations, common in
            let statistics = try query.compute(request, generations: generations, position: common, connection)
            let districts = try (request.district.map { [$0] } ?? query.configuration.districts).map { district in
                var asked = request
                asked.district = district
                return try query.compute(asked, generations: generations, position: common, connection)
            }
            return (statistics, districts, try query.series(request, generations: generations, position: common, connection))
        }
    }

    /// `body` on the read models (each projection's generation, all at one position) now, after
    /// catching them up, or replayed at `position`, in one repeatable-read transaction.
    public func read<Answer>(
        atPosition position: Int64? = nil, _ connection: Connection,
        _ body: (_ generations: [String: ProjectionEngine.Generation], _ position: Int64) throws -> Answer
    ) throws -> Answer {
        if let position { return try replayed(at: position, connection, body) }
        if !catchesUp { return try asReplicated(connection, body) }
        var target: Int64? = nil
        for attempt in 0..<10 {
            // Most asks find the read models at the head already: then one read transaction, no
            // catch-up round trips.
            if attempt > 0 { try engine.catchUp(upTo: target, connection) }
            let answer = try connection.transaction(.repeatableRead, readOnly: true) { () -> Answer? in
                try Self.tuneForReading(connection)
                guard let generations = try engine.existingCurrentGenerations(connection) else { return nil }
                let positions = Set(generations.values.map(\.position))
                guard positions.count == 1, let common = positions.first else {
                    target = positions.max()
                    return nil
                }
                if attempt == 0, try EventStore().headPosition(connection) != common { return nil }
                return try body(generations, common)
            }
            if let answer { return answer }
        }
        throw Unavailable(description: "the read models kept moving apart; is a rebuild running? try again")
    }

    /// The figures from the read models as they are, at their common position (a replica's are
    /// the primary's, as far as replication has brought them).
    private func asReplicated<Answer>(
        _ connection: Connection, _ body: ([String: ProjectionEngine.Generation], Int64) throws -> Answer
    ) throws -> Answer {
        for attempt in 0..<20 {
            if attempt > 0 { Thread.sleep(forTimeInterval: 0.1) }
            let answer = try connection.transaction(.repeatableRead, readOnly: true) { () -> Answer? in
                try Self.tuneForReading(connection)
                guard let generations = try engine.existingCurrentGenerations(connection) else {
                    throw Unavailable(description: "there are no read models here yet: run the worker on the primary")
                }
                let positions = Set(generations.values.map(\.position))
                guard positions.count == 1, let common = positions.first else { return nil }
                return try body(generations, common)
            }
            if let answer { return answer }
        }
        throw Unavailable(description: "the read models are at different positions (the worker is between projections); try again")
    }

    /// The figures' queries are small and many; compiling them (JIT) costs more than it saves.
    static func tuneForReading(_ connection: Connection) throws {
        try connection.execute("SET LOCAL jit = off")
    }

    /// Replays the log up to `position` into throw-away read models inside one transaction that
    /// is rolled back: nothing it built stays.
    private func replayed<Answer>(
        at position: Int64, _ connection: Connection, _ body: ([String: ProjectionEngine.Generation], Int64) throws -> Answer
    ) throws -> Answer {
        let head = try EventStore().headPosition(connection)
        guard position >= 0, position <= head else {
            throw Unavailable(description: "position \(position) is beyond the ledger's head (\(head))", isMissing: true)
        }
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        defer { _ = try? connection.execute("ROLLBACK") }
        try Self.tuneForReading(connection)
        let generations = try engine.replay(upTo: position, connection)
        return try body(generations, position)
    }
}
