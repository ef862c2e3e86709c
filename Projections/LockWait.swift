import Foundation
import Postgres

/// A session that holds a lock on what a worker needs: who it is and what it is doing, so an
/// operator can end it (`SELECT pg_terminate_backend(pid)`) or find who left it open.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int
    public var user: String
    public var application: String
    /// `idle in transaction`, `active`, …
    public var state: String
    /// How long its transaction has been open, in seconds.
    public var transactionSeconds: Int
    /// What it holds a lock on.
    public var relations: String
    /// Its last statement, shortened.
    public var query: String

    public var description: String {
        let app = application.isEmpty ? "" : " (\(application))"
        return "backend \(pid) of \(user)\(app), \(state) for \(transactionSeconds) s, holding a lock on \(relations); last statement: \(query)"
    }

    /// The other sessions holding locks on the event log, the projections' bookkeeping or the
    /// read models, longest-open transaction first. Sessions idle in a transaction come first:
    /// they are the usual culprits.
    public static func holders(_ connection: Connection) throws -> [LockHolder] {
        try connection.execute("""
            SELECT a.pid, coalesce(a.usename, '') AS usename, coalesce(a.application_name, '') AS application_name,
                   coalesce(a.state, '') AS state,
                   coalesce(extract(epoch FROM now() - a.xact_start)::bigint, 0) AS transaction_seconds,
                   string_agg(DISTINCT n.nspname || '.' || c.relname, ', ') AS relations,
                   left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 160) AS query
              FROM pg_locks l
              JOIN pg_class c ON c.oid = l.relation
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.granted AND l.pid <> pg_backend_pid() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND (n.nspname IN ('ledger', 'projections') OR n.nspname LIKE 'rm\\_%') AND c.relkind IN ('r', 'p')
             GROUP BY a.pid, a.usename, a.application_name, a.state, a.xact_start, a.query
             ORDER BY (a.state LIKE 'idle in transaction%') DESC, a.xact_start
            """).map { row in
            LockHolder(
                pid: try row.decode("pid"), user: row["usename"] ?? "", application: row["application_name"] ?? "",
                state: row["state"] ?? "", transactionSeconds: try row.decode("transaction_seconds"),
                relations: row["relations"] ?? "", query: row["query"] ?? "")
        }
    }
}

/// A worker that waited past its lock timeout: which projection, and who holds locks on what it needs.
public struct Blocked: Sendable {
    public var projection: String
    public var holders: [LockHolder]
    /// How long the worker has been waiting, in seconds.
    public var waited: Double
}

extension ProjectionEngine {
    /// Runs `body` (one transaction of the worker) until it gets its locks: each time it waited
    /// ``lockTimeout`` in vain, it looks up who holds locks on what it needs and tries again,
    /// reporting when the holders change and every 30 seconds while they stay. A transaction left
    /// open elsewhere delays the worker, visibly, and never stops it.
    func waitingForLocks<T>(_ projection: String, _ connection: Connection, blocked: ((Blocked) -> Void)?, _ body: () throws -> T) throws -> T {
        let started = Date()
        var reported: (pids: [Int], at: Date)?
        while true {
            do {
                return try body()
            } catch let error as PostgresError where error.sqlState == SQLState.lockNotAvailable {
                let holders = (try? LockHolder.holders(connection)) ?? []
                let pids = holders.map(\.pid)
                if let last = reported, last.pids == pids, Date().timeIntervalSince(last.at) < 30 { continue }
                reported = (pids, Date())
                blocked?(Blocked(projection: projection, holders: holders, waited: Date().timeIntervalSince(started)))
            }
        }
    }

    /// Runs `body` with the session's lock timeout set to ``lockTimeout``, then restores it.
    /// Nested calls keep the outer setting.
    func limitingLockWaits<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        let previous: String = try connection.execute("SELECT current_setting('lock_timeout') AS value")[0].decode("value")
        let milliseconds = "\(Int(lockTimeout * 1000))ms"
        guard previous != milliseconds else { return try body() }
        try connection.execute("SELECT set_config('lock_timeout', \(milliseconds), false)")
        defer { _ = try? connection.execute("SELECT set_config('lock_timeout', \(previous), false)") }
        return try body()
    }
}
