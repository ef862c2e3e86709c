import Postgres

/// 开展检查: every `OperationConducted`, with its own district and inspectors, voided or not.
///
/// Reads `OperationConducted` and the `EntryVoided` of operation streams.
/// Owns `operations(stream, id, occurred_on, district, inspectors, voided)`.
public struct OperationsProjection: Projection {
    public let name = "operations"
    public let definition = 1
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
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(identifier: schema).operations (stream, id, occurred_on, district, inspectors)
            SELECT stream, id, occurred_on, data ->> 'district', (data ->> 'inspectors')::integer
              FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND type = 'OperationConducted'
            """)
        try markVoided("operations", in: schema, from: from, to: to, connection)
    }
}
