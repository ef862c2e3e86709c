import Postgres

/// The institutions over time (SPEC §3): each institution's state day by day, its enforcement
/// events attributed to its district on the day they occurred, and its white-list entries.
///
/// Reads every event of institution streams. Owns:
/// - `institution_states(stream, valid_from, valid_to, …, member)`: the fold of the live events
///   with `occurred_on ≤ d`, ordered by (occurred_on, version), as intervals `[valid_from, valid_to)`;
/// - `institution_events(id, stream, type, occurred_on, district, amount, key, deadline, detail)`:
///   the live enforcement events, attributed to the district on their `occurred_on`;
/// - `list_states(stream, list, valid_from, valid_to, listed, courses)`: white-list membership.
///
/// A late entry, a relocation or a void can change an institution's whole past, so a batch
/// recomputes, set-based, every institution it touches from that institution's live events.
public struct InstitutionsProjection: Projection {
    public let name = "institutions"
    public let definition = 2
    public init() {}

    public func create(in schema: String, _ connection: Connection) throws {
        try connection.execute("""
            CREATE TABLE \(identifier: schema).institution_states (
                stream         text NOT NULL,
                valid_from     date NOT NULL,
                valid_to       date,
                registered     boolean NOT NULL,
                district       text,
                category       text,
                mode           text,
                compulsory     boolean,
                for_profit     boolean,
                closed         boolean NOT NULL,
                fund_custody   boolean NOT NULL,
                guidance_price boolean NOT NULL,
                member         boolean NOT NULL,
                PRIMARY KEY (stream, valid_from)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).institution_events (
                id          uuid PRIMARY KEY,
                stream      text NOT NULL,
                type        text NOT NULL,
                occurred_on date NOT NULL,
                district    text,
                amount      bigint,
                key         text,
                deadline    date,
                detail      text
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).institution_events (type, occurred_on)")
        // Per-institution lookups: a notice's verification, a penalty's revocation.
        try connection.execute("CREATE INDEX ON \(identifier: schema).institution_events (stream, type, key)")
        try connection.execute("""
            CREATE TABLE \(identifier: schema).list_states (
                stream     text NOT NULL,
                list       text NOT NULL,
                valid_from date NOT NULL,
                valid_to   date,
                listed     boolean NOT NULL,
                courses    jsonb,
                PRIMARY KEY (stream, list, valid_from)
            )
            """)
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        let s = SQL(identifier: schema)
        try connection.execute("DROP TABLE IF EXISTS pg_temp.touched, pg_temp.live")
        try connection.execute("""
            CREATE TEMP TABLE touched ON COMMIT DROP AS
            SELECT DISTINCT stream FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND stream LIKE 'institution-%'
            """)
        try connection.execute("ANALYZE pg_temp.touched")
        for table in ["institution_states", "institution_events", "list_states"] {
            try connection.execute("DELETE FROM \(s).\(identifier: table) WHERE stream IN (SELECT stream FROM pg_temp.touched)")
        }
        // The live events of those institutions as the ledger stood at `to`.
        try connection.execute("""
            CREATE TEMP TABLE live ON COMMIT DROP AS
            SELECT e.stream, e.id, e.version, e.type, e.occurred_on, e.data
              FROM ledger.events e JOIN pg_temp.touched USING (stream)
             WHERE e.position <= \(to) AND e.type <> 'EntryVoided'
               AND NOT EXISTS (
                   SELECT 1 FROM ledger.events v
                    WHERE v.type = 'EntryVoided' AND v.data ->> 'event_id' = e.id::text
                      AND v.stream = e.stream AND v.position <= \(to))
            """)
        try connection.execute("ANALYZE pg_temp.live")
        try insertStates(s, connection)
        try insertEvents(s, connection)
        try insertLists(s, connection)
    }

    /// Folds each institution's live events into day-by-day state with running last values.
    private func insertStates(_ s: SQL, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(s).institution_states
            WITH steps AS (
                SELECT stream, occurred_on, version,
                       CASE WHEN type = 'InstitutionRegistered' THEN true END AS registered,
                       CASE WHEN type IN ('InstitutionRegistered', 'InstitutionRelocated') THEN data ->> 'district' END AS district,
                       CASE WHEN type = 'InstitutionRegistered' THEN data ->> 'category'
                            WHEN type = 'ConvertedToNonAcademic' THEN 'non_academic' END AS category,
                       CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') THEN data ->> 'mode' END AS mode,
                       CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') AND data ? 'stages'
                            THEN data -> 'stages' @> '["compulsory"]' END AS compulsory,
                       CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') THEN (data ->> 'for_profit')::boolean
                            WHEN type = 'ConvertedToNonProfit' THEN false END AS for_profit,
                       CASE WHEN type = 'InstitutionClosed' THEN true
                            WHEN type IN ('InstitutionReopened', 'InstitutionRegistered') THEN false END AS closed,
                       CASE WHEN type = 'FundCustodyEnrolled' THEN true END AS fund_custody,
                       CASE WHEN type = 'GuidancePriceAdopted' THEN true END AS guidance_price
                  FROM pg_temp.live
            ),
            running AS (
                SELECT stream, occurred_on, version,
                       projections.last_nonnull(registered) OVER w AS registered,
                       projections.last_nonnull(district) OVER w AS district,
                       projections.last_nonnull(category) OVER w AS category,
                       projections.last_nonnull(mode) OVER w AS mode,
                       projections.last_nonnull(compulsory) OVER w AS compulsory,
                       projections.last_nonnull(for_profit) OVER w AS for_profit,
                       projections.last_nonnull(closed) OVER w AS closed,
                       projections.last_nonnull(fund_custody) OVER w AS fund_custody,
                       projections.last_nonnull(guidance_price) OVER w AS guidance_price
                  FROM steps
                WINDOW w AS (PARTITION BY stream ORDER BY occurred_on, version ROWS UNBOUNDED PRECEDING)
            ),
            daily AS (
                SELECT DISTINCT ON (stream, occurred_on) *
                  FROM running
                 ORDER BY stream, occurred_on, version DESC
            )
            SELECT stream, occurred_on, lead(occurred_on) OVER (PARTITION BY stream ORDER BY occurred_on),
                   coalesce(registered, false), district, category, mode, compulsory, for_profit,
                   coalesce(closed, false), coalesce(fund_custody, false), coalesce(guidance_price, false),
                   coalesce(registered, false) AND NOT coalesce(closed, false) AND mode IS NOT DISTINCT FROM 'offline'
                       AND category IS NOT DISTINCT FROM 'academic' AND coalesce(compulsory, false)
              FROM daily
            """)
    }

    /// The enforcement events, each attributed to its institution's district on its date (the
    /// registration's district for the rare entry dated before the registration).
    private func insertEvents(_ s: SQL, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(s).institution_events (id, stream, type, occurred_on, district, amount, key, deadline, detail)
            SELECT l.id, l.stream, l.type, l.occurred_on,
                   coalesce(st.district, (SELECT r.data ->> 'district' FROM pg_temp.live r
                                           WHERE r.stream = l.stream AND r.type = 'InstitutionRegistered')),
                   CASE l.type WHEN 'ViolationFound' THEN (l.data ->> 'persons_involved')::bigint
                               WHEN 'PenaltyImposed' THEN (l.data ->> 'fine_fen')::bigint + (l.data ->> 'confiscated_fen')::bigint END,
                   CASE l.type WHEN 'RectificationOrdered' THEN l.data ->> 'notice_no'
                               WHEN 'RectificationVerified' THEN l.data ->> 'notice_no'
                               WHEN 'PenaltyImposed' THEN l.data ->> 'decision_no'
                               WHEN 'PenaltyRevoked' THEN l.data ->> 'decision_no'
                               WHEN 'InstitutionClosed' THEN l.data ->> 'reason'
                               WHEN 'ViolationFound' THEN l.data ->> 'kind' END,
                   CASE WHEN l.type = 'RectificationOrdered' THEN (l.data ->> 'deadline')::date END,
                   CASE l.type WHEN 'RectificationVerified' THEN l.data ->> 'outcome'
                               WHEN 'InstitutionInspected' THEN l.data ->> 'result' END
              FROM pg_temp.live l
              LEFT JOIN \(s).institution_states st
                ON st.stream = l.stream AND st.valid_from <= l.occurred_on
               AND (st.valid_to IS NULL OR l.occurred_on < st.valid_to)
             WHERE l.type IN ('InstitutionInspected', 'InterviewHeld', 'RectificationOrdered', 'RectificationVerified',
                              'ViolationFound', 'WarningIssued', 'PenaltyImposed', 'PenaltyRevoked', 'InstitutionClosed')
            """)
    }

    /// White-list membership per list: a later `Whitelisted` replaces the courses, `Delisted` ends it.
    private func insertLists(_ s: SQL, _ connection: Connection) throws {
        try connection.execute("""
            INSERT INTO \(s).list_states
            WITH daily AS (
                SELECT DISTINCT ON (stream, data ->> 'list', occurred_on)
                       stream, data ->> 'list' AS list, occurred_on, type = 'Whitelisted' AS listed, data -> 'courses' AS courses
                  FROM pg_temp.live
                 WHERE type IN ('Whitelisted', 'Delisted')
                 ORDER BY stream, data ->> 'list', occurred_on, version DESC
            )
            SELECT stream, list, occurred_on, lead(occurred_on) OVER (PARTITION BY stream, list ORDER BY occurred_on),
                   listed, CASE WHEN listed THEN courses END
              FROM daily
            """)
    }
}
