import Postgres
import Ledger

/// Every obligation the log creates (SPEC §8): what creates it, when it falls due, and when it
/// was discharged. The due day is not stored where it depends on the working-day calendar: the
/// calendar is ledger data too and a correction moves it, so the deadline is computed when it is
/// read (``Obligation``), with the calendar at the same position.
///
/// Reads rectification notices and their verifications, relocations (the district), proposals and
/// their replies, and voids. Owns `obligations(stream, kind, key, created_on, due_on, due_months,
/// district, discharged_on, label)`:
/// - `rectification`: a live `RectificationOrdered`, due on its own `deadline` (used as given),
///   discharged by a live `RectificationVerified` `completed` of the same notice; attributed to the
///   institution's district on the notice's date (SPEC §3);
/// - `proposal_reply`: a live `ProposalReceived`, due on its `due_on` or 3 months after it was
///   received, discharged by a live `ReplySent`.
///
/// And `proposal_feedback(stream, id, occurred_on, satisfaction, district)`: each live
/// `ProposerFeedback`, with its proposal's district, for the `proposals` figures.
///
/// A late entry or a void can change a stream's obligations, so a batch recomputes every stream
/// it touches with an event of those types from that stream's live events.
public struct ObligationsProjection: Projection {
    public let name = "obligations"
    public let definition = 2
    public init() {}

    /// The types whose events can change a stream's obligations.
    static let types: [EventType] = [
        .rectificationOrdered, .rectificationVerified, .institutionRegistered, .institutionRelocated, .entryVoided,
        .proposalReceived, .replySent, .proposerFeedback,
    ]

    public func create(in schema: String, _ connection: Connection) throws {
        try connection.execute("""
            CREATE TABLE \(identifier: schema).obligations (
                stream        text NOT NULL,
                kind          text NOT NULL,
                key           text NOT NULL,
                created_on    date NOT NULL,
                due_on        date,
                due_months    integer,
                district      text,
                discharged_on date,
                label         text NOT NULL,
                PRIMARY KEY (stream, kind, key)
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).obligations (created_on)")
        try connection.execute("""
            CREATE TABLE \(identifier: schema).proposal_feedback (
                stream       text NOT NULL,
                id           uuid PRIMARY KEY,
                occurred_on  date NOT NULL,
                satisfaction text NOT NULL,
                district     text
            )
            """)
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        let s = SQL(identifier: schema)
        let types = SQL.joined(Self.types.map { "\(type: $0)" }, separator: ", ")
        try connection.execute("DROP TABLE IF EXISTS pg_temp.obligation_streams")
        try connection.execute("""
            CREATE TEMP TABLE obligation_streams ON COMMIT DROP AS
            SELECT DISTINCT stream FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND type IN (\(types))
               AND (stream LIKE 'institution-%' OR stream LIKE 'proposal-%')
            """)
        for table in ["obligations", "proposal_feedback"] {
            try connection.execute("DELETE FROM \(s).\(identifier: table) WHERE stream IN (SELECT stream FROM pg_temp.obligation_streams)")
        }
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_on, due_months, district, discharged_on, label)
            SELECT n.stream, 'rectification', n.data ->> 'notice_no', n.occurred_on, (n.data ->> 'deadline')::date, NULL,
                   ledger.district_on(n.stream, n.occurred_on, \(to)),
                   (SELECT min(v.occurred_on) FROM ledger.live_events(\(to)) v
                     WHERE v.stream = n.stream AND v.type = \(type: .rectificationVerified)
                       AND v.data ->> 'notice_no' = n.data ->> 'notice_no' AND v.data ->> 'outcome' = 'completed'),
                   '完成整改(' || (n.data ->> 'notice_no') || ')'
              FROM ledger.live_events(\(to)) n
             WHERE n.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND n.type = \(type: .rectificationOrdered)
            ON CONFLICT (stream, kind, key) DO NOTHING
            """)
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_on, due_months, district, discharged_on, label)
            SELECT p.stream, 'proposal_reply', p.data ->> 'number', p.occurred_on, (p.data ->> 'due_on')::date,
                   CASE WHEN p.data ? 'due_on' THEN NULL ELSE 3 END,
                   p.data ->> 'district',
                   (SELECT min(r.occurred_on) FROM ledger.live_events(\(to)) r
                     WHERE r.stream = p.stream AND r.type = \(type: .replySent)),
                   '答复提案(' || (p.data ->> 'session') || '第' || (p.data ->> 'number') || '号)'
              FROM ledger.live_events(\(to)) p
             WHERE p.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND p.type = \(type: .proposalReceived)
            """)
        try connection.execute("""
            INSERT INTO \(s).proposal_feedback (stream, id, occurred_on, satisfaction, district)
            SELECT f.stream, f.id, f.occurred_on, f.data ->> 'satisfaction',
                   (SELECT p.data ->> 'district' FROM ledger.live_events(\(to)) p WHERE p.stream = f.stream AND p.type = \(type: .proposalReceived))
              FROM ledger.live_events(\(to)) f
             WHERE f.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND f.type = \(type: .proposerFeedback)
            """)
    }
}
