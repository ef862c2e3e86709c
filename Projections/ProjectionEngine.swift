import EventStore
import Foundation
import Postgres

/// Runs projections over the log: applies batches to the current generation of each, moves the
/// checkpoint in the same transaction, rebuilds a generation from zero while the current one keeps
/// answering, and replays into a throw-away generation for figures "as the ledger stood at P".
///
/// Positions become visible in commit order (an append holds the append lock until it commits),
/// so reading `position > checkpoint` never skips an event that commits later with a smaller position.
public struct ProjectionEngine: Sendable {
    public var projections: [any Projection]
    /// Events applied per transaction by the worker.
    public var batchSize: Int64
    /// Events applied per transaction by a rebuild. Unbounded by default: a batch recomputes
    /// every institution it touches from its whole history, so a rebuild in k batches does the
    /// work of about k/2 rebuilds; in one it does each institution once. The read model is a
    /// generation of its own, so the one long transaction holds nothing else back.
    public var rebuildBatchSize: Int64
    /// Seconds a worker's statement waits for a lock before it reports who holds it (and waits on).
    public var lockTimeout: Double = 2

    public init(projections: [any Projection] = Projections.all, batchSize: Int64 = 250_000, rebuildBatchSize: Int64 = .max) {
        self.projections = projections
        self.batchSize = batchSize
        self.rebuildBatchSize = rebuildBatchSize
    }

    /// One generation of a projection's read model.
    public struct Generation: Sendable, Equatable {
        public var projection: String
        public var generation: Int
        public var schema: String
        /// The checkpoint: every event up to here is applied.
        public var position: Int64
        /// The projection definition version that built it.
        public var definition: Int
    }

    /// Progress of catching up or rebuilding.
    public struct Progress: Sendable {
        public var projection: String
        public var position: Int64
        public var head: Int64
    }

    static func schemaName(_ projection: String, _ generation: Int) -> String { "rm_\(projection)_\(generation)" }

    // MARK: Reading

    /// The current generation of every projection (creating empty ones the first time).
    public func currentGenerations(_ connection: Connection) throws -> [String: Generation] {
        var result: [String: Generation] = [:]
        for projection in projections {
            result[projection.name] = try current(projection, connection)
        }
        return result
    }

    /// The current generation of every projection, or nil when one is missing or was built by an
    /// older definition (a catch-up creates or rebuilds it). Reads only.
    public func existingCurrentGenerations(_ connection: Connection) throws -> [String: Generation]? {
        let rows = try connection.execute("""
            SELECT projection, generation, schema_name, position, definition FROM projections.generations
             WHERE state = 'current'
            """)
        var result: [String: Generation] = [:]
        for row in rows {
            let generation = try Self.generation(row)
            result[generation.projection] = generation
        }
        for projection in projections {
            guard result[projection.name]?.definition == projection.definition else { return nil }
        }
        return result.filter { name, _ in projections.contains { $0.name == name } }
    }

    func current(_ projection: any Projection, _ connection: Connection) throws -> Generation {
        if let existing = try find(projection.name, state: "current", connection) { return existing }
        do {
            return try connection.transaction {
                let generation = try create(projection, state: "current", connection)
                return generation
            }
        } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
            // Another worker created it first.
            guard let existing = try find(projection.name, state: "current", connection) else { throw error }
            return existing
        }
    }

    private func find(_ name: String, state: String, lock: Bool = false, _ connection: Connection) throws -> Generation? {
        let forUpdate: SQL = lock ? "FOR UPDATE" : ""
        let rows = try connection.execute("""
            SELECT projection, generation, schema_name, position, definition FROM projections.generations
             WHERE projection = \(name) AND state = \(state) \(forUpdate)
            """)
        return try rows.first.map(Self.generation)
    }

    static func generation(_ row: Row) throws -> Generation {
        Generation(
            projection: try row.decode("projection"), generation: try row.decode("generation"),
            schema: try row.decode("schema_name"), position: try row.decode("position"),
            definition: try row.decode("definition"))
    }

    /// Creates the next generation's schema, tables and registry row, in the caller's transaction.
    private func create(_ projection: any Projection, state: String, _ connection: Connection) throws -> Generation {
        let next = try connection.execute("""
            SELECT coalesce(max(generation), 0) + 1 AS next FROM projections.generations WHERE projection = \(projection.name)
            """)[0].decode("next", as: Int.self)
        let schema = Self.schemaName(projection.name, next)
        try connection.execute("DROP SCHEMA IF EXISTS \(identifier: schema) CASCADE")
        try connection.execute("CREATE SCHEMA \(identifier: schema)")
        try connection.execute("GRANT USAGE ON SCHEMA \(identifier: schema) TO ledger_reader")
        try connection.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA \(identifier: schema) GRANT SELECT ON TABLES TO ledger_reader")
        try projection.create(in: schema, connection)
        try connection.execute("""
            INSERT INTO projections.generations (projection, generation, schema_name, state, definition)
            VALUES (\(projection.name), \(next), \(schema), \(state), \(projection.definition))
            """)
        return Generation(projection: projection.name, generation: next, schema: schema, position: 0, definition: projection.definition)
    }

    // MARK: Applying

    /// Applies one batch to `projection`'s generation in `state`, up to `target` (default: the
    /// head). Returns the new checkpoint, or nil when there was nothing to apply.
    ///
    /// The generation's row is locked for the transaction, so two workers never apply the same
    /// batch: the second waits, then sees the moved checkpoint.
    func step(_ projection: any Projection, state: String = "current", upTo target: Int64?, batch: Int64, _ connection: Connection) throws -> Int64? {
        try connection.transaction {
            guard let generation = try find(projection.name, state: state, lock: true, connection) else { return nil }
            let head = try target ?? EventStore().headPosition(connection)
            guard generation.position < head else { return nil }
            let to = batch >= head - generation.position ? head : generation.position + batch
            try projection.apply(in: generation.schema, from: generation.position, to: to, connection)
            try connection.execute("""
                UPDATE projections.generations SET position = \(to)
                 WHERE projection = \(projection.name) AND generation = \(generation.generation)
                """)
            return to
        }
    }

    /// Brings every projection's current generation up to `target` (default: the head as each
    /// batch begins). Returns the lowest checkpoint reached.
    @discardableResult
    public func catchUp(
        upTo target: Int64? = nil, _ connection: Connection, progress: ((Progress) -> Void)? = nil, blocked: ((Blocked) -> Void)? = nil
    ) throws -> Int64 {
        var reached = Int64.max
        try limitingLockWaits(connection) {
            for projection in projections {
                let position = try waitingForLocks(projection.name, connection, blocked: blocked) { () -> Int64 in
                    var generation = try current(projection, connection)
                    if generation.definition != projection.definition {
                        // Built by an older definition of the projection: rebuild it before use.
                        try rebuild(projection, connection, blocked: blocked)
                        generation = try current(projection, connection)
                    }
                    var position = generation.position
                    while let next = try step(projection, upTo: target, batch: batchSize, connection) {
                        position = next
                        progress?(Progress(projection: projection.name, position: next, head: target ?? next))
                    }
                    return position
                }
                reached = min(reached, position)
            }
        }
        return reached == .max ? 0 : reached
    }

    /// Rebuilds `projection` from zero into a new generation while the current one keeps
    /// answering, then switches over in one transaction and drops the old generation.
    public func rebuild(
        _ projection: any Projection, _ connection: Connection, progress: ((Progress) -> Void)? = nil, blocked: ((Blocked) -> Void)? = nil
    ) throws {
        let lockKey = Int64(7_231_178_100) + Int64(projections.firstIndex { $0.name == projection.name } ?? 0)
        try connection.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(lockKey))") }

        _ = try current(projection, connection)
        // A rebuild killed earlier left its generation behind: start again.
        if let stale = try find(projection.name, state: "building", connection) {
            try drop(stale, connection)
        }
        _ = try connection.transaction { try create(projection, state: "building", connection) }
        try limitingLockWaits(connection) { try rebuildLimited(projection, connection, progress: progress, blocked: blocked) }
    }

    private func rebuildLimited(
        _ projection: any Projection, _ connection: Connection, progress: ((Progress) -> Void)?, blocked: ((Blocked) -> Void)?
    ) throws {
        while let next = try waitingForLocks(projection.name, connection, blocked: blocked, {
            try step(projection, state: "building", upTo: nil, batch: rebuildBatchSize, connection)
        }) {
            let head = try EventStore().headPosition(connection)
            progress?(Progress(projection: projection.name, position: next, head: head))
        }
        let old = try waitingForLocks(projection.name, connection, blocked: blocked) { try connection.transaction { () -> Generation in
            // Locking the current row holds the worker back while the last events are applied.
            guard let old = try find(projection.name, state: "current", lock: true, connection),
                  var fresh = try find(projection.name, state: "building", lock: true, connection) else {
                throw LedgerError("the generations of \(projection.name) changed during the rebuild")
            }
            let head = try EventStore().headPosition(connection)
            if fresh.position < head {
                try projection.apply(in: fresh.schema, from: fresh.position, to: head, connection)
                fresh.position = head
            }
            try connection.execute("DELETE FROM projections.generations WHERE projection = \(old.projection) AND generation = \(old.generation)")
            try connection.execute("""
                UPDATE projections.generations SET state = 'current', position = \(fresh.position)
                 WHERE projection = \(fresh.projection) AND generation = \(fresh.generation)
                """)
            return old
        } }
        // A reader still inside a transaction on the old generation holds its drop back.
        _ = try waitingForLocks(projection.name, connection, blocked: blocked) {
            try connection.execute("DROP SCHEMA IF EXISTS \(identifier: old.schema) CASCADE")
        }
    }

    private func drop(_ generation: Generation, _ connection: Connection) throws {
        try connection.transaction {
            try connection.execute("DROP SCHEMA IF EXISTS \(identifier: generation.schema) CASCADE")
            try connection.execute("""
                DELETE FROM projections.generations WHERE projection = \(generation.projection) AND generation = \(generation.generation)
                """)
        }
    }

    /// Replays the log up to `position` into fresh schemas, inside the caller's transaction, and
    /// returns each projection's schema. The caller rolls the transaction back afterwards, which
    /// removes them: figures "as the ledger stood at P", from the log itself.
    public func replay(upTo position: Int64, _ connection: Connection) throws -> [String: Generation] {
        var result: [String: Generation] = [:]
        let tag = "\(position)_\(connection.backendPID)"
        for projection in projections {
            let schema = "rm_\(projection.name)_at_\(tag)"
            try connection.execute("CREATE SCHEMA \(identifier: schema)")
            try projection.create(in: schema, connection)
            try projection.apply(in: schema, from: 0, to: position, connection)
            result[projection.name] = Generation(
                projection: projection.name, generation: 0, schema: schema, position: position, definition: projection.definition)
        }
        return result
    }
}
