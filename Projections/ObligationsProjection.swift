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
/// - `decision`: a live `CaseOpened`, due 90 days after it (moved to a working day), discharged by
///   the case's `CaseDecided` (Art 60); attributed to the institution's district on that day;
/// - `service`: a `penalty` decision, due 7 working days after it, discharged by `DecisionServed`
///   (served the same day, it is never open) (Art 61);
/// - `payment`: a served decision that fines or confiscates, due 15 days after service, discharged
///   by payments reaching the decision's amount, an appeal filed, or `EnforcementApplied` (Art 67).
///
/// - `draw_inspection`: each target of a live `DrawPerformed`, due on the plan's `window.to`,
///   discharged by its first live inspection naming the draw; `draw_publication`: the draw's
///   results, due 20 working days after `window.to` (`due_base`), discharged by
///   `DrawResultsPublished`; both in the plan's district (SPEC §11).
///
/// - `complaint_acceptance`: a live `ComplaintReceived`, due 7 working days after it, discharged
///   by `ComplaintAccepted` or `ComplaintDeclined`; `complaint_verification`: an accepted complaint,
///   due 15 working days after the acceptance (30 once `ComplaintExtended`), discharged by
///   `ComplaintVerified`; `complaint_answer`: a verified or declined complaint, due 5 working days
///   after that, discharged by the first `ComplaintAnswered`; all in the complaint's district (SPEC §12).
///
/// And `penalty_decisions(stream, decision_no, …)`: every penalty decision the public site shows
/// (SPEC §13), each live `PenaltyImposed`, and each `CaseDecided` whose penalties hold more than a
/// warning and that no `PenaltyImposed` carries out, with the institution's name and USCC as on
/// the decision day, the case's violation, and the day it was withdrawn (revoked, or changed,
/// revoked or confirmed illegal on appeal), if it was; `blacklistings(stream, id, listed_on, ends_on, district, reason)`: each live `Blacklisted`,
/// ending on its `until` or on the first live `Unblacklisted` after it, whichever comes first, in
/// the institution's district on the day it was listed (SPEC §13); `complaints(stream,
/// received_on, district, channel, accepted_on, declined_on, verified_on, finding)` for the
/// `complaints` figures, `draws(stream, planned_on, district)` and `draw_inspections(stream, institution,
/// inspected_on, issues_found, district)` for the `random_checks` figures, and
/// `case_closures(stream, closed_on, district)` for the `cases` figures (the rest of them are
/// the `decision` obligations), and
/// `proposal_feedback(stream, id, occurred_on, satisfaction, district)`: each live
/// `ProposerFeedback`, with its proposal's district, for the `proposals` figures.
///
/// Two rollups kept by triggers make the figures sums over days: `obligation_daily` for the
/// obligations with a given due day (Rollups/roll_obligations.sql) and `draw_inspection_daily`.
///
/// A late entry or a void can change a stream's obligations, so a batch recomputes every stream
/// it touches with an event of those types from that stream's live events.
public struct ObligationsProjection: Projection {
    public let name = "obligations"
    public let definition = 10
    public init() {}

    /// The types whose events can change a stream's obligations (a registration creates none and
    /// comes first; a case's penalty touches the case, below).
    static let types: [EventType] = [
        .rectificationOrdered, .rectificationVerified, .institutionRelocated, .entryVoided,
        .proposalReceived, .replySent, .proposerFeedback,
        .caseOpened, .caseDecided, .decisionServed, .finePaid, .enforcementApplied, .reconsiderationFiled,
        .litigationFiled, .appealDecided, .caseClosed,
        .drawPlanned, .drawPerformed, .drawResultsPublished,
        .complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified, .complaintAnswered,
        .blacklisted, .unblacklisted, .penaltyImposed, .penaltyRevoked, .institutionAmended,
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
                due_days      integer,
                due_working_days integer,
                -- The day a relative due day counts from, when not created_on (a draw's results
                -- are due 20 working days after its window closes).
                due_base      date,
                district      text,
                discharged_on date,
                label         text NOT NULL,
                PRIMARY KEY (stream, kind, key)
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).obligations (created_on)")
        // The figures count one kind at a time.
        try connection.execute("CREATE INDEX ON \(identifier: schema).obligations (kind, created_on)")
        // The figures of the kinds with a given due day, as sums over days (Rollups/roll_obligations.sql).
        try connection.execute("""
            CREATE TABLE \(identifier: schema).obligation_daily (
                kind text NOT NULL, day date NOT NULL, district text NOT NULL,
                created bigint NOT NULL, discharged bigint NOT NULL, discharged_on_time bigint NOT NULL,
                opened_overdue bigint NOT NULL, closed_overdue bigint NOT NULL,
                PRIMARY KEY (kind, day, district)
            )
            """)
        try RollupFunction.obligations.create(in: schema, connection)
        try RollupFunction.obligations.attach(to: "obligations", in: schema, connection)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).case_closures (
                stream      text PRIMARY KEY,
                closed_on   date NOT NULL,
                district    text
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).draws (
                stream      text PRIMARY KEY,
                planned_on  date NOT NULL,
                district    text
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).draw_inspections (
                stream       text NOT NULL,
                institution  text NOT NULL,
                inspected_on date NOT NULL,
                issues_found boolean NOT NULL,
                district     text,
                PRIMARY KEY (stream, institution)
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).draw_inspection_daily (
                day date NOT NULL, district text NOT NULL, inspected bigint NOT NULL, issues_found bigint NOT NULL,
                PRIMARY KEY (day, district)
            )
            """)
        try RollupFunction.drawInspections.create(in: schema, connection)
        try RollupFunction.drawInspections.attach(to: "draw_inspections", in: schema, connection)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).complaints (
                stream       text PRIMARY KEY,
                received_on  date NOT NULL,
                district     text,
                channel      text NOT NULL,
                accepted_on  date,
                declined_on  date,
                verified_on  date,
                finding      text
            )
            """)
        try connection.execute("""
            CREATE TABLE \(identifier: schema).penalty_decisions (
                stream          text NOT NULL,
                decision_no     text NOT NULL,
                institution     text NOT NULL,
                case_key        text,
                decided_on      date NOT NULL,
                name            text,
                uscc            text,
                district        text,
                violation       text,
                penalties       jsonb NOT NULL,
                fine_fen        bigint NOT NULL,
                confiscated_fen bigint NOT NULL,
                withdrawn_on    date,
                PRIMARY KEY (stream, decision_no)
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).penalty_decisions (decided_on)")
        try connection.execute("""
            CREATE TABLE \(identifier: schema).blacklistings (
                stream     text NOT NULL,
                id         uuid PRIMARY KEY,
                listed_on  date NOT NULL,
                ends_on    date,
                district   text,
                reason     text NOT NULL
            )
            """)
        try connection.execute("CREATE INDEX ON \(identifier: schema).blacklistings (stream)")
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
               AND (stream LIKE 'institution-%' OR stream LIKE 'proposal-%' OR stream LIKE 'case-%' OR stream LIKE 'draw-%'
                    OR stream LIKE 'complaint-%')
            UNION
            SELECT 'case-' || (data ->> 'case') FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND data ? 'case' AND stream LIKE 'institution-%'
            UNION
            SELECT 'draw-' || (data ->> 'draw') FROM ledger.events
             WHERE position > \(from) AND position <= \(to) AND type = \(type: .institutionInspected) AND data ? 'draw'
            UNION
            -- A case's decision or appeal changes what its institution's penalties show.
            SELECT 'institution-' || (o.data ->> 'institution') FROM ledger.events c
              JOIN ledger.events o ON o.stream = c.stream AND o.type = \(type: .caseOpened)
             WHERE c.position > \(from) AND c.position <= \(to) AND c.stream LIKE 'case-%'
               AND c.type IN (\(type: .caseDecided), \(type: .appealDecided), \(type: .entryVoided))
            UNION
            SELECT 'draw-' || (t.data ->> 'draw') FROM ledger.events v JOIN ledger.events t ON t.id = (v.data ->> 'event_id')::uuid
             WHERE v.position > \(from) AND v.position <= \(to) AND v.type = \(type: .entryVoided) AND v.stream LIKE 'institution-%'
               AND t.type = \(type: .institutionInspected) AND t.data ? 'draw'
            """)
        for table in ["obligations", "proposal_feedback", "case_closures", "draws", "draw_inspections", "complaints", "blacklistings", "penalty_decisions"] {
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
        try insertCases(s, to: to, connection)
        try insertDraws(s, to: to, connection)
        try insertComplaints(s, to: to, connection)
        try insertPenaltyDecisions(s, to: to, connection)
        try connection.execute("""
            INSERT INTO \(s).blacklistings (stream, id, listed_on, ends_on, district, reason)
            SELECT b.stream, b.id, b.occurred_on,
                   nullif(least(coalesce((b.data ->> 'until')::date, 'infinity'),
                                coalesce((SELECT min(u.occurred_on) FROM ledger.live_events(\(to)) u
                                           WHERE u.stream = b.stream AND u.type = \(type: .unblacklisted) AND u.version > b.version),
                                         'infinity')), 'infinity'),
                   ledger.district_on(b.stream, b.occurred_on, \(to)), b.data ->> 'reason'
              FROM ledger.live_events(\(to)) b
             WHERE b.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND b.type = \(type: .blacklisted)
            """)
    }

    /// The penalty decisions of the streams touched, as the public site shows them (SPEC §13).
    private func insertPenaltyDecisions(_ s: SQL, to: Int64, _ connection: Connection) throws {
        let live: SQL = "ledger.live_events(\(to))"
        // The institution's name or USCC on the decision day: its latest live registration or amendment that gives it.
        func asOf(_ field: String, _ stream: SQL, _ day: SQL) -> SQL {
            """
            (SELECT n.data ->> \(field) FROM \(live) n
              WHERE n.stream = \(stream) AND n.type IN (\(type: .institutionRegistered), \(type: .institutionAmended))
                AND n.data ? \(field) AND n.occurred_on <= \(day)
              ORDER BY n.occurred_on DESC, n.version DESC LIMIT 1)
            """
        }
        // The day an appeal withdrew case `k`'s decision (changed, revoked, confirmed illegal).
        let appealed: SQL = """
            (SELECT min(a.occurred_on) FROM \(live) a WHERE a.stream = 'case-' || k.key AND a.type = \(type: .appealDecided)
              AND a.data ->> 'outcome' IN ('changed', 'revoked', 'confirmed_illegal'))
            """
        try connection.execute("""
            INSERT INTO \(s).penalty_decisions
                (stream, decision_no, institution, case_key, decided_on, name, uscc, district, violation, penalties, fine_fen,
                 confiscated_fen, withdrawn_on)
            SELECT p.stream, p.data ->> 'decision_no', substr(p.stream, length('institution-') + 1), k.key, p.occurred_on,
                   coalesce(\(asOf("name", "p.stream", "p.occurred_on")), \(asOf("name", "p.stream", "'infinity'::date"))),
                   \(asOf("uscc", "p.stream", "p.occurred_on")), ledger.district_on(p.stream, p.occurred_on, \(to)),
                   (SELECT o.data ->> 'violation' FROM \(live) o WHERE o.stream = 'case-' || k.key AND o.type = \(type: .caseOpened)),
                   coalesce((SELECT d.data -> 'penalties' FROM \(live) d WHERE d.stream = 'case-' || k.key AND d.type = \(type: .caseDecided)),
                            to_jsonb(array_remove(ARRAY[CASE WHEN (p.data ->> 'fine_fen')::bigint > 0 THEN 'fine' END,
                                                        CASE WHEN (p.data ->> 'confiscated_fen')::bigint > 0 THEN 'confiscation' END], NULL))),
                   (p.data ->> 'fine_fen')::bigint, (p.data ->> 'confiscated_fen')::bigint,
                   least((SELECT min(r.occurred_on) FROM \(live) r WHERE r.stream = p.stream AND r.type = \(type: .penaltyRevoked)
                           AND r.data ->> 'decision_no' = p.data ->> 'decision_no'), \(appealed))
              FROM \(live) p
              LEFT JOIN LATERAL (SELECT p.data ->> 'case' AS key) k ON true
             WHERE p.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND p.type = \(type: .penaltyImposed)
            ON CONFLICT (stream, decision_no) DO NOTHING
            """)
        // Decisions without money (stop enrolment, a licence revoked…): from the case, unless a
        // PenaltyImposed carries the decision out; a warning alone is not published.
        try connection.execute("""
            INSERT INTO \(s).penalty_decisions
                (stream, decision_no, institution, case_key, decided_on, name, uscc, district, violation, penalties, fine_fen,
                 confiscated_fen, withdrawn_on)
            SELECT d.stream, d.data ->> 'decision_no', o.data ->> 'institution', k.key, d.occurred_on,
                   coalesce(\(asOf("name", "'institution-' || (o.data ->> 'institution')", "d.occurred_on")),
                            \(asOf("name", "'institution-' || (o.data ->> 'institution')", "'infinity'::date"))),
                   \(asOf("uscc", "'institution-' || (o.data ->> 'institution')", "d.occurred_on")),
                   ledger.district_on('institution-' || (o.data ->> 'institution'), d.occurred_on, \(to)),
                   o.data ->> 'violation', d.data -> 'penalties', 0, 0, \(appealed)
              FROM \(live) d
              JOIN \(live) o ON o.stream = d.stream AND o.type = \(type: .caseOpened)
              LEFT JOIN LATERAL (SELECT substr(d.stream, length('case-') + 1) AS key) k ON true
             WHERE d.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND d.type = \(type: .caseDecided)
               AND d.data ->> 'outcome' = 'penalty' AND d.data -> 'penalties' <> '["warning"]'::jsonb
               AND NOT EXISTS (SELECT 1 FROM \(live) p WHERE p.type = \(type: .penaltyImposed)
                                 AND p.stream = 'institution-' || (o.data ->> 'institution')
                                 AND p.data ->> 'case' = k.key AND p.data ->> 'decision_no' = d.data ->> 'decision_no')
            ON CONFLICT (stream, decision_no) DO NOTHING
            """)
    }

    /// The complaints touched (SPEC §12): each with the days of its steps, and its three clocks.
    private func insertComplaints(_ s: SQL, to: Int64, _ connection: Connection) throws {
        func first(_ type: EventType) -> SQL {
            "(SELECT min(e.occurred_on) FROM ledger.live_events(\(to)) e WHERE e.stream = r.stream AND e.type = \(type: type))"
        }
        try connection.execute("DROP TABLE IF EXISTS pg_temp.complaint_steps")
        try connection.execute("""
            CREATE TEMP TABLE complaint_steps ON COMMIT DROP AS
            SELECT r.stream, r.occurred_on AS received_on, r.data ->> 'district' AS district, r.data ->> 'channel' AS channel,
                   \(first(.complaintAccepted)) AS accepted_on, \(first(.complaintDeclined)) AS declined_on,
                   \(first(.complaintVerified)) AS verified_on, \(first(.complaintAnswered)) AS answered_on,
                   (SELECT v.data ->> 'finding' FROM ledger.live_events(\(to)) v
                     WHERE v.stream = r.stream AND v.type = \(type: .complaintVerified) ORDER BY v.version LIMIT 1) AS finding,
                   EXISTS (SELECT 1 FROM ledger.live_events(\(to)) x WHERE x.stream = r.stream AND x.type = \(type: .complaintExtended)) AS extended
              FROM ledger.live_events(\(to)) r
             WHERE r.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND r.type = \(type: .complaintReceived)
            """)
        try connection.execute("""
            INSERT INTO \(s).complaints (stream, received_on, district, channel, accepted_on, declined_on, verified_on, finding)
            SELECT stream, received_on, district, channel, accepted_on, declined_on, verified_on, finding FROM pg_temp.complaint_steps
            """)
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_working_days, district, discharged_on, label)
            SELECT stream, 'complaint_acceptance', '', received_on, 7, district, coalesce(accepted_on, declined_on),
                   '受理或不予受理投诉举报(' || stream || ')'
              FROM pg_temp.complaint_steps
            UNION ALL
            SELECT stream, 'complaint_verification', '', accepted_on, CASE WHEN extended THEN 30 ELSE 15 END, district, verified_on,
                   '核查投诉举报(' || stream || ')'
              FROM pg_temp.complaint_steps WHERE accepted_on IS NOT NULL
            UNION ALL
            SELECT stream, 'complaint_answer', '', coalesce(verified_on, declined_on), 5, district, answered_on,
                   '答复举报人(' || stream || ')'
              FROM pg_temp.complaint_steps WHERE coalesce(verified_on, declined_on) IS NOT NULL
            """)
    }

    /// The draws touched (SPEC §11): each plan; each target of a draw, due by the window's end and
    /// discharged by its first inspection naming the draw; the results, due 20 working days after
    /// the window, discharged by their publication. All counted in the plan's district.
    private func insertDraws(_ s: SQL, to: Int64, _ connection: Connection) throws {
        try connection.execute("DROP TABLE IF EXISTS pg_temp.draw_steps")
        try connection.execute("""
            CREATE TEMP TABLE draw_steps ON COMMIT DROP AS
            SELECT p.stream, p.occurred_on AS planned_on, p.data ->> 'district' AS district,
                   (p.data #>> '{window,to}')::date AS window_to, x.occurred_on AS drawn_on, x.data -> 'targets' AS targets,
                   (SELECT min(r.occurred_on) FROM ledger.live_events(\(to)) r
                     WHERE r.stream = p.stream AND r.type = \(type: .drawResultsPublished)) AS published_on
              FROM ledger.live_events(\(to)) p
              LEFT JOIN ledger.live_events(\(to)) x ON x.stream = p.stream AND x.type = \(type: .drawPerformed)
             WHERE p.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND p.type = \(type: .drawPlanned)
            """)
        try connection.execute("""
            INSERT INTO \(s).draws (stream, planned_on, district) SELECT stream, planned_on, district FROM pg_temp.draw_steps
            """)
        try connection.execute("""
            INSERT INTO \(s).draw_inspections (stream, institution, inspected_on, issues_found, district)
            SELECT DISTINCT ON (k.stream, i.stream) k.stream, substr(i.stream, length('institution-') + 1), i.occurred_on,
                   i.data ->> 'result' = 'issues_found', k.district
              FROM pg_temp.draw_steps k
              JOIN ledger.live_events(\(to)) i ON i.type = \(type: .institutionInspected) AND i.data ? 'draw'
                                              AND i.data ->> 'draw' = substr(k.stream, length('draw-') + 1)
             ORDER BY k.stream, i.stream, i.occurred_on, i.version
            """)
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_on, district, discharged_on, label)
            SELECT k.stream, 'draw_inspection', t ->> 'institution', k.drawn_on, k.window_to, k.district,
                   (SELECT d.inspected_on FROM \(s).draw_inspections d WHERE d.stream = k.stream AND d.institution = t ->> 'institution'),
                   '双随机抽查 institution-' || (t ->> 'institution') || '(' || k.stream || ')'
              FROM pg_temp.draw_steps k CROSS JOIN LATERAL jsonb_array_elements(k.targets) t
             WHERE k.drawn_on IS NOT NULL
            """)
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_working_days, due_base, district, discharged_on, label)
            SELECT stream, 'draw_publication', '', drawn_on, 20, window_to, district, published_on, '公示抽查结果(' || stream || ')'
              FROM pg_temp.draw_steps WHERE drawn_on IS NOT NULL
            """)
    }

    /// The obligations of the cases touched, and their closures.
    private func insertCases(_ s: SQL, to: Int64, _ connection: Connection) throws {
        try connection.execute("DROP TABLE IF EXISTS pg_temp.case_steps")
        // Per case: when it was opened and where, its decision, service, closure, and the day its
        // payment obligation ended (paid in full, appealed or sent to court).
        try connection.execute("""
            CREATE TEMP TABLE case_steps ON COMMIT DROP AS
            SELECT o.stream, o.occurred_on AS opened_on,
                   ledger.district_on('institution-' || (o.data ->> 'institution'), o.occurred_on, \(to)) AS district,
                   d.occurred_on AS decided_on, d.data ->> 'decision_no' AS decision_no,
                   d.data ->> 'outcome' = 'penalty' AS penalty,
                   (SELECT min(v.occurred_on) FROM ledger.live_events(\(to)) v WHERE v.stream = o.stream AND v.type = \(type: .decisionServed)) AS served_on,
                   (SELECT min(c.occurred_on) FROM ledger.live_events(\(to)) c WHERE c.stream = o.stream AND c.type = \(type: .caseClosed)) AS closed_on,
                   (SELECT coalesce(sum((p.data ->> 'fine_fen')::bigint + (p.data ->> 'confiscated_fen')::bigint), 0)
                      FROM ledger.live_events(\(to)) p
                     WHERE p.stream = 'institution-' || (o.data ->> 'institution') AND p.type = \(type: .penaltyImposed)
                       AND p.data ->> 'case' = substr(o.stream, 6) AND p.data ->> 'decision_no' = d.data ->> 'decision_no') AS owed
              FROM ledger.live_events(\(to)) o
              LEFT JOIN ledger.live_events(\(to)) d ON d.stream = o.stream AND d.type = \(type: .caseDecided)
             WHERE o.stream IN (SELECT stream FROM pg_temp.obligation_streams) AND o.type = \(type: .caseOpened)
            """)
        try connection.execute("""
            INSERT INTO \(s).case_closures (stream, closed_on, district)
            SELECT stream, closed_on, district FROM pg_temp.case_steps WHERE closed_on IS NOT NULL
            """)
        try connection.execute("""
            INSERT INTO \(s).obligations (stream, kind, key, created_on, due_days, due_working_days, district, discharged_on, label)
            SELECT stream, 'decision', '', opened_on, 90, NULL, district, decided_on, '作出处罚决定'
              FROM pg_temp.case_steps
            UNION ALL
            SELECT stream, 'service', decision_no, decided_on, NULL, 7, district, served_on, '送达处罚决定书(' || decision_no || ')'
              FROM pg_temp.case_steps WHERE penalty
            UNION ALL
            SELECT k.stream, 'payment', k.decision_no, k.served_on, 15, NULL, k.district,
                   (SELECT min(day) FROM (
                        SELECT min(x.occurred_on) AS day FROM ledger.live_events(\(to)) x
                         WHERE x.stream = k.stream AND x.type IN (\(type: .reconsiderationFiled), \(type: .litigationFiled), \(type: .enforcementApplied))
                        UNION ALL
                        SELECT min(day) FROM (
                            SELECT f.occurred_on AS day, sum((f.data ->> 'amount_fen')::bigint) OVER (ORDER BY f.occurred_on, f.version) AS paid
                              FROM ledger.live_events(\(to)) f WHERE f.stream = k.stream AND f.type = \(type: .finePaid)) paid
                         WHERE paid >= k.owed) ended),
                   '缴纳罚没款(' || k.decision_no || ')'
              FROM pg_temp.case_steps k WHERE k.penalty AND k.served_on IS NOT NULL AND k.owed > 0
            """)
    }
}
