import Postgres
import Ledger

/// A read model of the log: the tables it owns and how it applies a batch of events.
///
/// A projection lives in a schema of its own generation, named by the engine. It applies the
/// events with positions in `(from, to]`, set-based, in the caller's transaction; the engine moves
/// its checkpoint in the same transaction, so a batch is applied exactly once or not at all.
public protocol Projection: Sendable {
    /// Its name, for `ledger rebuild NAME` and schema names (`rm_<name>_<generation>`).
    var name: String { get }
    /// The version of its tables and rules: raise it when either changes, and the engine rebuilds
    /// the read model (blue/green) before using it.
    var definition: Int { get }
    /// Creates its (empty) tables in `schema`.
    func create(in schema: String, _ connection: Connection) throws
    /// Applies the events with `from < position <= to`.
    func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws
}

extension Projection {
    /// Marks as voided the rows of `table` (keyed by `stream` and event `id`) whose event an
    /// `EntryVoided` in `(from, to]` targets. A void always follows its target, so the target's
    /// row is in the table by then.
    func markVoided(_ table: String, in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        try connection.execute("""
            UPDATE \(identifier: schema).\(identifier: table) t SET voided = true
              FROM ledger.events v
             WHERE v.position > \(from) AND v.position <= \(to) AND v.type = \(type: .entryVoided)
               AND v.stream = t.stream AND (v.data ->> 'event_id')::uuid = t.id
            """)
    }
}

/// The projections behind SPEC §4, in the order they are applied.
public enum Projections {
    public static let all: [any Projection] = [InstitutionsProjection(), OperationsProjection(), BulletinsProjection()]

    public static func named(_ name: String) -> (any Projection)? {
        all.first { $0.name == name }
    }
}
