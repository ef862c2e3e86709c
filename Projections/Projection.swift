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
    public static let all: [any Projection] = [InstitutionsProjection(), OperationsProjection(), BulletinsProjection(), ObligationsProjection()]

    public static func named(_ name: String) -> (any Projection)? {
        all.first { $0.name == name }
    }
}

/// A rollup's trigger function (`Projections/Rollups/<name>.sql`), created in a generation's
/// schema beside the tables it keeps, and attached to them by the projection.
struct RollupFunction {
    let name: String
    let text: [UInt8]

    static let institutionEvents = RollupFunction(name: "roll_institution_events", text: PackageResources.roll_institution_events_sql)
    static let institutionStates = RollupFunction(name: "roll_institution_states", text: PackageResources.roll_institution_states_sql)
    static let listSegments = RollupFunction(name: "roll_list_segments", text: PackageResources.roll_list_segments_sql)
    static let operations = RollupFunction(name: "roll_operations", text: PackageResources.roll_operations_sql)
    static let obligations = RollupFunction(name: "roll_obligations", text: PackageResources.roll_obligations_sql)
    static let drawInspections = RollupFunction(name: "roll_draw_inspections", text: PackageResources.roll_draw_inspections_sql)

    /// Creates the function in `schema` (the file names it unqualified).
    func create(in schema: String, _ connection: Connection) throws {
        let definition = String(decoding: text, as: UTF8.self)
        let unqualified = "CREATE FUNCTION \(name)()"
        precondition(definition.contains(unqualified), "Rollups/\(name).sql does not create \(name)()")
        let qualified = "CREATE FUNCTION \(SQL(identifier: schema).description).\(name)()"
        try connection.execute("\(unsafeRaw: definition.replacingOccurrences(of: unqualified, with: qualified))")
    }

    /// Runs this function after every INSERT and DELETE statement on `table`, the rows it
    /// wrote or removed as the transition table `changed` (a table only ever inserted into and
    /// deleted from, as a projection recomputing the streams it touches does). Trigger names
    /// carry `suffix` where one table has more than one rollup.
    func attach(to table: String, in schema: String, passing argument: String? = nil, suffix: String = "", _ connection: Connection) throws {
        for operation in ["INSERT", "DELETE"] {
            let transition: SQL = operation == "INSERT" ? "NEW TABLE AS changed" : "OLD TABLE AS changed"
            try connection.execute("""
                CREATE TRIGGER \(identifier: "roll_" + suffix + operation.lowercased()) AFTER \(unsafeRaw: operation)
                    ON \(identifier: schema).\(identifier: table) REFERENCING \(transition)
                    FOR EACH STATEMENT EXECUTE FUNCTION \(call(in: schema, argument))
                """)
        }
    }

    /// `EXECUTE FUNCTION <schema>.<name>(<arguments>)` for a trigger.
    func call(in schema: String, _ argument: String? = nil) -> SQL {
        "\(identifier: schema).\(identifier: name)(\(unsafeRaw: argument.map { "'\($0)'" } ?? ""))"
    }
}
