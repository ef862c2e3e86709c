import Postgres
import Ledger

/// 开展检查: every `OperationConducted`, with its own district and inspectors, voided or not.
///
/// Reads `OperationConducted` and the `EntryVoided` of operation streams.
/// Owns `operations(stream, id, occurred_on, district, inspectors, voided)`.
public struct OperationsProjection: Projection {
    public let name = "operations"
    public let definition = 3
    public init() {}

    public func create(in schema: String, _ connection: Connection) throws {
        try connection.execute("""
            CREATE TABLE \(identifier: schema).operations (
                stream      text PRIMARY KEY,
                id          uuid NOT NULL UNIQUE,
                occurred_on date NOT NULL,
                district    text NOT NULL,
                inspectors  integer NOT NULL,
                voided      boolean NOT NULL DEFAULT false
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).operations (occurred_on)")
        // Live operations per day and district, kept by a trigger (Rollups/roll_operations.sql).
        try connection.execute("""
            CREATE TABLE \(identifier: schema).operation_daily (
                day date NOT NULL, district text NOT NULL, operations bigint NOT NULL, inspectors bigint NOT NULL,
                PRIMARY KEY (day, district)
            )
            """)
        try RollupFunction.operations.create(in: schema, connection)
        let triggers: [(String, SQL)] = [
            ("INSERT", "NEW TABLE AS after"), ("UPDATE", "OLD TABLE AS before NEW TABLE AS after"), ("DELETE", "OLD TABLE AS before"),
        ]
        for (operation, transition) in triggers {
            try connection.execute("""
                CREATE TRIGGER \(identifier: "roll_" + operation.lowercased()) AFTER \(unsafeRaw: operation)
                    ON \(identifier: schema).operations REFERENCING \(transition)
                    FOR EACH STATEMENT EXECUTE FUNCTION \(RollupFunction.operations.call(in: schema))
                """)
        }
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(identifier: schema).operations (stream, id, occurred_on, district, inspectors)
            SELECT stream, id, occurred_on, data ->> 'district', (data ->> 'inspectors')::integer
              FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND type = \(type: .operationConducted)
            """)
        try markVoided("operations", in: schema, from: from, to: to, connection)
    }
}
