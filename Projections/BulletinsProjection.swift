import Postgres
import Ledger

/// 发布通报 and 曝光: every `BulletinPublished`, its district (null at city level) and the
/// institutions it names.
///
/// Reads `BulletinPublished` and the `EntryVoided` of bulletin streams.
/// Owns `bulletins(stream, id, occurred_on, district, voided)` and `bulletin_exposures(stream, institution)`.
public struct BulletinsProjection: Projection {
    public let name = "bulletins"
    public let definition = 1
    public init() {}

    public func create(in schema: String, _ connection: Connection) throws {
        try connection.execute("""
            CREATE TABLE \(identifier: schema).bulletins (
                stream      text PRIMARY KEY,
                id          uuid NOT NULL UNIQUE,
                occurred_on date NOT NULL,
                district    text,
                voided      boolean NOT NULL DEFAULT false
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).bulletin_exposures (
                stream      text NOT NULL,
                institution text NOT NULL,
                PRIMARY KEY (stream, institution)
            )
            """)
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(identifier: schema).bulletins (stream, id, occurred_on, district)
            SELECT stream, id, occurred_on, data ->> 'district'
              FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND type = \(type: .bulletinPublished)
            """)
        try connection.execute("""
            INSERT INTO \(identifier: schema).bulletin_exposures (stream, institution)
            SELECT DISTINCT e.stream, 'institution-' || x.key
              FROM ledger.events e, jsonb_array_elements_text(e.data -> 'exposed') AS x (key)
             WHERE e.position > \(from) AND e.position <= \(to) AND e.type = \(type: .bulletinPublished)
            """)
        try markVoided("bulletins", in: schema, from: from, to: to, connection)
    }
}
