import EventStore
import Postgres
import Ledger

/// The institutions over time (SPEC §3): each institution's state day by day, its enforcement
/// events attributed to its district on the day they occurred, and its white-list entries.
///
/// Reads every event of institution streams. Owns:
/// - `institution_states(stream, valid_from, valid_to, …, member)`: the fold of the live events
///   with `occurred_on ≤ d`, ordered by (occurred_on, version), as intervals `[valid_from, valid_to)`;
/// - `institution_events(id, stream, type, occurred_on, district, amount, key, deadline, detail)`:
///   the live notices, verifications, penalties, revocations and closures, attributed to the
///   district on their `occurred_on`;
/// - `institution_counts(stream, occurred_on, type, district, events, amount)`: the live
///   inspections, interviews, violations and warnings, counted per institution and day;
/// - `list_states(stream, list, valid_from, valid_to, listed, courses)`: white-list membership;
/// - `directory(stream, name, uscc, district, search)`: each registered institution's name, USCC
///   and district today, and every name and USCC it has had, for the public lookup (SPEC §13);
/// - the rollups the figures read (``createRollups(in:_:)``).
///
/// A late entry, a relocation or a void can change an institution's whole past, so a batch
/// recomputes, set-based, every institution it touches from that institution's live events.
public struct InstitutionsProjection: Projection {
    public let name = "institutions"
    public let definition = 10
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
                detail      text,
                -- A notice's first completed verification; a penalty's first revocation.
                settled_on  date,
                -- An unlicensed closure's previous one of the same institution, anywhere and in
                -- the same district: the figures count institutions, not closures.
                previous_on             date,
                previous_in_district_on date
            )
            """)
        // The events the figures only count (inspections, interviews, violations, warnings: most of
        // the log), per institution, day and type; institution_events keeps the rest one by one.
        try connection.execute("""
            CREATE TABLE \(identifier: schema).institution_counts (
                stream      text NOT NULL,
                occurred_on date NOT NULL,
                type        text NOT NULL,
                district    text,
                events      bigint NOT NULL,
                amount      bigint,
                PRIMARY KEY (stream, occurred_on, type)
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).institution_events (type, occurred_on)")
        try connection.execute("CREATE INDEX ON \(identifier: schema).institution_events (occurred_on) WHERE previous_on IS NOT NULL")
        try createRollups(in: schema, connection)
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
        try connection.execute("""
            CREATE TABLE \(identifier: schema).directory (
                stream   text PRIMARY KEY,
                name     text NOT NULL,
                uscc     text,
                district text,
                search   text NOT NULL
            )
            """)
        // A search for a rare text goes through the trigram index; one that most names hold
        // (常州) walks the names in order and stops at a page.
        try connection.execute("CREATE INDEX ON \(identifier: schema).directory USING gin (search public.gin_trgm_ops)")
        try connection.execute("CREATE INDEX ON \(identifier: schema).directory (name, stream)")
    }

    /// The policy baseline (2021-07-24, the day 双减 took effect) that compression is counted
    /// against; the rollups precompute it, other baselines are computed from the intervals.
    public static let policyBaseline = CalendarDate(year: 2021, month: 7, day: 24)!

    /// Daily rollups kept by triggers (`Rollups/*.sql`, created here beside them), so the figures never scan the intervals
    /// or the events: enforcement events per day, district and type; member intervals starting
    /// and ending per day and district; and the baseline's members leaving and rejoining.
    private func createRollups(in schema: String, _ connection: Connection) throws {
        let s = SQL(identifier: schema)
        try connection.execute("""
            CREATE TABLE \(s).institution_daily (
                day date NOT NULL, district text NOT NULL, type text NOT NULL,
                events bigint NOT NULL, amount bigint NOT NULL,
                PRIMARY KEY (type, day, district)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(s).institution_monthly (
                month date NOT NULL, district text NOT NULL, type text NOT NULL,
                events bigint NOT NULL, amount bigint NOT NULL,
                PRIMARY KEY (type, month, district)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(s).member_changes (
                day date NOT NULL, district text NOT NULL,
                members bigint NOT NULL, non_profit bigint NOT NULL, fund_custody bigint NOT NULL, guidance_price bigint NOT NULL,
                PRIMARY KEY (day, district)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(s).baseline_changes (
                day date NOT NULL, district text NOT NULL, compressed bigint NOT NULL,
                PRIMARY KEY (day, district)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(s).list_segments (
                stream text NOT NULL, list text NOT NULL, valid_from date NOT NULL, valid_to date, district text,
                courses bigint NOT NULL, science bigint NOT NULL, arts bigint NOT NULL, sports bigint NOT NULL, general bigint NOT NULL,
                PRIMARY KEY (stream, list, valid_from)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(s).list_changes (
                day date NOT NULL, district text NOT NULL, list text NOT NULL,
                institutions bigint NOT NULL, courses bigint NOT NULL, science bigint NOT NULL, arts bigint NOT NULL,
                sports bigint NOT NULL, general bigint NOT NULL,
                PRIMARY KEY (day, district, list)
            )
            """)
        for function in [RollupFunction.institutionEvents, .institutionStates, .listSegments] {
            try function.create(in: schema, connection)
        }
        try RollupFunction.listSegments.attach(to: "list_segments", in: schema, connection)
        for (table, counting) in [("institution_events", "row"), ("institution_counts", "events")] {
            try RollupFunction.institutionEvents.attach(to: table, in: schema, passing: counting, connection)
        }
        try RollupFunction.institutionStates.attach(
            to: "institution_states", in: schema, passing: Self.policyBaseline.description, suffix: "states_", connection)
    }

    public func apply(in schema: String, from: Int64, to: Int64, _ connection: Connection) throws {
        let s = SQL(identifier: schema)
        try connection.execute("DROP TABLE IF EXISTS pg_temp.touched, pg_temp.live")
        // From the start (a rebuild, a replay) every institution is touched and the tables are
        // empty: no list of touched institutions, nothing to delete.
        let touched: (SQL) -> SQL
        if from == 0 {
            touched = { "\($0) LIKE 'institution-%'" }
        } else {
            try connection.execute("""
                CREATE TEMP TABLE touched ON COMMIT DROP AS
                SELECT DISTINCT stream FROM ledger.events
                 WHERE position > \(from) AND position <= \(to) AND stream LIKE 'institution-%'
                """)
            try connection.execute("ANALYZE pg_temp.touched")
            for table in ["institution_states", "institution_events", "institution_counts", "list_states", "list_segments", "directory"] {
                try connection.execute("DELETE FROM \(s).\(identifier: table) WHERE stream IN (SELECT stream FROM pg_temp.touched)")
            }
            touched = { "\($0) IN (SELECT stream FROM pg_temp.touched)" }
        }
        // The live events of those institutions as the ledger stood at `to`.
        try connection.execute("""
            CREATE TEMP TABLE live ON COMMIT DROP AS
            SELECT e.stream, e.id, e.version, e.type, e.occurred_on, e.data
              FROM ledger.live_events(\(to)) e
             WHERE \(touched("e.stream"))
            """)
        // Statistics for the planner, but none on `data`: sampling documents costs more than it tells.
        try connection.execute("ALTER TABLE pg_temp.live ALTER COLUMN data SET STATISTICS 0")
        try connection.execute("ANALYZE pg_temp.live")
        try insertStates(s, connection)
        try insertEvents(s, connection)
        try insertLists(s, connection, streams: touched("l.stream"))
        try insertDirectory(s, connection)
    }

    /// Each registered institution's name and USCC as last amended (an amendment before the
    /// registration's own, as the staff pages read them), its district as last relocated, and
    /// the text the public lookup searches: the key and every name and USCC it has had.
    private func insertDirectory(_ s: SQL, _ connection: Connection) throws {
        let named: SQL = "(\(type: .institutionRegistered), \(type: .institutionAmended), \(type: .convertedToNonProfit))"
        try connection.execute("""
            INSERT INTO \(s).directory (stream, name, uscc, district, search)
            SELECT stream,
                   (array_agg(data ->> 'name' ORDER BY type = \(type: .institutionAmended) DESC, occurred_on DESC, version DESC)
                        FILTER (WHERE type IN \(named) AND data ? 'name'))[1],
                   (array_agg(data ->> 'uscc' ORDER BY type <> \(type: .institutionRegistered) DESC, occurred_on DESC, version DESC)
                        FILTER (WHERE type IN \(named) AND data ? 'uscc'))[1],
                   (array_agg(data ->> 'district' ORDER BY type = \(type: .institutionRelocated) DESC, occurred_on DESC, version DESC)
                        FILTER (WHERE type IN (\(type: .institutionRegistered), \(type: .institutionRelocated))))[1],
                   substr(stream, length('institution-') + 1) || ' ' ||
                       string_agg(concat_ws(' ', data ->> 'name', data ->> 'uscc'), ' ' ORDER BY version) FILTER (WHERE type IN \(named))
              FROM pg_temp.live
             WHERE type IN (\(type: .institutionRegistered), \(type: .institutionAmended), \(type: .convertedToNonProfit), \(type: .institutionRelocated))
             GROUP BY stream
            HAVING bool_or(type = \(type: .institutionRegistered))
            """)
    }

    /// The event types that change an institution's state; the others (inspections, most of the
    /// log) leave it as it was, so state intervals start only on the days these occur.
    static let stateTypes: SQL = """
        \(type: .institutionRegistered), \(type: .institutionRelocated), \(type: .institutionAmended), \(type: .convertedToNonAcademic),
        \(type: .convertedToNonProfit), \(type: .institutionClosed), \(type: .institutionReopened), \(type: .fundCustodyEnrolled), \(type: .guidancePriceAdopted)
        """

    /// Folds each institution's live events into state with running last values: one interval
    /// per day on which a state-changing event occurred.
    private func insertStates(_ s: SQL, _ connection: Connection) throws {
        try connection.execute("INSERT INTO \(s).institution_states \(Self.stateIntervals(of: "pg_temp.live"))")
    }

    /// The fold itself, over any relation of live institution events `(stream, version, type,
    /// occurred_on, data)`, aliased here (a table or a parenthesized query): each event read by `ledger.institution_step` (db/functions, the step
    /// `ledger.institution_on` folds too), folded with running last values into the rows of
    /// `institution_states`, in its column order. Public so the
    /// benchmark's plain-SQL floor computes states exactly as the projection does.
    public static func stateIntervals(of live: SQL) -> SQL {
        """
        WITH steps AS (
            SELECT l.stream, l.occurred_on, l.version, step.*
              FROM \(live) l
             CROSS JOIN LATERAL ledger.institution_step(l.type, l.data) step
             WHERE l.type IN (\(stateTypes))
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
        SELECT stream, occurred_on AS valid_from, lead(occurred_on) OVER (PARTITION BY stream ORDER BY occurred_on) AS valid_to,
               coalesce(registered, false) AS registered, district, category, mode, compulsory, for_profit,
               coalesce(closed, false) AS closed, coalesce(fund_custody, false) AS fund_custody,
               coalesce(guidance_price, false) AS guidance_price,
               coalesce(registered, false) AND NOT coalesce(closed, false) AND mode IS NOT DISTINCT FROM 'offline'
                   AND category IS NOT DISTINCT FROM 'academic' AND coalesce(compulsory, false) AS member
          FROM daily
        """
    }

    /// The enforcement events, each attributed to its institution's district on its date (the
    /// registration's district for the rare entry dated before the registration): one by one
    /// for the kinds the figures look into (notices, verifications, penalties, revocations,
    /// closures), counted per institution and day for the kinds they only count.
    private func insertEvents(_ s: SQL, _ connection: Connection) throws {
        let attributed: SQL = """
            SELECT l.id, l.stream, l.type, l.occurred_on, l.data,
                   coalesce(st.district, (SELECT r.data ->> 'district' FROM pg_temp.live r
                                           WHERE r.stream = l.stream AND r.type = \(type: .institutionRegistered))) AS district
              FROM pg_temp.live l
              LEFT JOIN \(s).institution_states st
                ON st.stream = l.stream AND st.valid_from <= l.occurred_on
               AND (st.valid_to IS NULL OR l.occurred_on < st.valid_to)
            """
        try connection.execute("""
            INSERT INTO \(s).institution_events
                   (id, stream, type, occurred_on, district, amount, key, deadline, detail, settled_on, previous_on, previous_in_district_on)
            WITH settlements AS (
                SELECT stream, \(type: .rectificationOrdered) AS type, data ->> 'notice_no' AS key, min(occurred_on) AS settled_on
                  FROM pg_temp.live WHERE type = \(type: .rectificationVerified) AND data ->> 'outcome' = 'completed'
                 GROUP BY 1, 2, 3
                UNION ALL
                SELECT stream, \(type: .penaltyImposed), data ->> 'decision_no', min(occurred_on)
                  FROM pg_temp.live WHERE type = \(type: .penaltyRevoked)
                 GROUP BY 1, 2, 3
            ),
            keyed AS (
                SELECT id, stream, type, occurred_on, district,
                       CASE type WHEN \(type: .penaltyImposed) THEN (data ->> 'fine_fen')::bigint + (data ->> 'confiscated_fen')::bigint END AS amount,
                       CASE type WHEN \(type: .rectificationOrdered) THEN data ->> 'notice_no'
                                 WHEN \(type: .rectificationVerified) THEN data ->> 'notice_no'
                                 WHEN \(type: .penaltyImposed) THEN data ->> 'decision_no'
                                 WHEN \(type: .penaltyRevoked) THEN data ->> 'decision_no'
                                 WHEN \(type: .institutionClosed) THEN data ->> 'reason' END AS key,
                       CASE WHEN type = \(type: .rectificationOrdered) THEN (data ->> 'deadline')::date END AS deadline,
                       CASE WHEN type = \(type: .rectificationVerified) THEN data ->> 'outcome' END AS detail,
                       CASE WHEN type = \(type: .institutionClosed) AND data ->> 'reason' = 'unlicensed_shutdown'
                            THEN lag(occurred_on) OVER (PARTITION BY stream, type, data ->> 'reason' ORDER BY occurred_on, id) END AS previous_on,
                       CASE WHEN type = \(type: .institutionClosed) AND data ->> 'reason' = 'unlicensed_shutdown'
                            THEN lag(occurred_on) OVER (PARTITION BY stream, type, data ->> 'reason', district ORDER BY occurred_on, id) END
                            AS previous_in_district_on
                  FROM (\(attributed)
                         WHERE l.type IN (\(type: .rectificationOrdered), \(type: .rectificationVerified), \(type: .penaltyImposed), \(type: .penaltyRevoked),
                                          \(type: .institutionClosed))) a
            )
            SELECT k.id, k.stream, k.type, k.occurred_on, k.district, k.amount, k.key, k.deadline, k.detail, st.settled_on,
                   k.previous_on, k.previous_in_district_on
              FROM keyed k LEFT JOIN settlements st USING (stream, type, key)
            """)
        try connection.execute("""
            INSERT INTO \(s).institution_counts (stream, occurred_on, type, district, events, amount)
            SELECT stream, occurred_on, type, min(district), count(*),
                   sum(CASE WHEN type = \(type: .violationFound) THEN (data ->> 'persons_involved')::bigint END)
              FROM (\(attributed)
                     WHERE l.type IN (\(type: .institutionInspected), \(type: .interviewHeld), \(type: .violationFound), \(type: .warningIssued))) a
             GROUP BY stream, occurred_on, type
            """)
    }

    /// White-list membership per list: a later `Whitelisted` replaces the courses, `Delisted` ends it.
    private func insertLists(_ s: SQL, _ connection: Connection, streams touched: SQL) throws {
        try connection.execute("""
            INSERT INTO \(s).list_states
            WITH daily AS (
                SELECT DISTINCT ON (stream, data ->> 'list', occurred_on)
                       stream, data ->> 'list' AS list, occurred_on, type = \(type: .whitelisted) AS listed, data -> 'courses' AS courses
                  FROM pg_temp.live
                 WHERE type IN (\(type: .whitelisted), \(type: .delisted))
                 ORDER BY stream, data ->> 'list', occurred_on, version DESC
            )
            SELECT stream, list, occurred_on, lead(occurred_on) OVER (PARTITION BY stream, list ORDER BY occurred_on),
                   listed, CASE WHEN listed THEN courses END
              FROM daily
            """)
        // Where a listing overlaps the institution being registered and open: the figures count
        // those, by the district of the overlapping state interval, with their courses.
        try connection.execute("""
            INSERT INTO \(s).list_segments
            SELECT l.stream, l.list, greatest(l.valid_from, t.valid_from),
                   CASE WHEN l.valid_to IS NULL THEN t.valid_to WHEN t.valid_to IS NULL THEN l.valid_to
                        ELSE least(l.valid_to, t.valid_to) END,
                   t.district, c.courses, c.science, c.arts, c.sports, c.general
              FROM \(s).list_states l
              JOIN \(s).institution_states t
                ON t.stream = l.stream AND t.valid_from < coalesce(l.valid_to, 'infinity')
               AND l.valid_from < coalesce(t.valid_to, 'infinity')
             CROSS JOIN LATERAL (
                SELECT count(*) AS courses,
                       count(*) FILTER (WHERE course ->> 'specialty' = 'science') AS science,
                       count(*) FILTER (WHERE course ->> 'specialty' = 'arts') AS arts,
                       count(*) FILTER (WHERE course ->> 'specialty' = 'sports') AS sports,
                       count(*) FILTER (WHERE course ->> 'specialty' = 'general') AS general
                  FROM jsonb_array_elements(coalesce(l.courses, '[]')) AS course
             ) c
             WHERE l.listed AND t.registered AND NOT t.closed AND \(touched)
            """)
    }
}
