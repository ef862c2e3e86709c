import EventStore
import Postgres
import Projections
import Statistics
import Ledger

/// The floor for rebuilds and stats: SPEC §4's main figures computed by one plain SQL statement
/// straight from `ledger.events`, with no read model (live events, the state fold, attribution to
/// the district on the event's date, the baseline and T).
///
/// It folds states with the projection's own SQL (``InstitutionsProjection/stateIntervals(of:)``)
/// so the two compute the same thing; the benchmark checks that they agree.
enum RawFigures {
    static func statement(_ r: StatisticsRequest) -> SQL {
        let from = r.from.description, to = r.to.description, baseline = r.baseline.description
        let district = r.district
        return """
            WITH live AS MATERIALIZED (
                SELECT e.id, e.stream, e.version, e.type, e.occurred_on, e.data FROM ledger.live_events(\(Int64.max)) e
            ),
            states AS MATERIALIZED (
                \(InstitutionsProjection.stateIntervals(of: "(SELECT * FROM live WHERE stream LIKE 'institution-%')"))
            ),
            registrations AS (
                SELECT stream, data ->> 'district' AS district FROM live WHERE type = \(type: .institutionRegistered)
            ),
            attributed AS (
                SELECT l.stream, l.type, l.data, coalesce(st.district, r.district) AS district
                  FROM live l
                  LEFT JOIN states st ON st.stream = l.stream AND st.valid_from <= l.occurred_on
                                     AND (st.valid_to IS NULL OR l.occurred_on < st.valid_to)
                  LEFT JOIN registrations r ON r.stream = l.stream
                 WHERE l.stream LIKE 'institution-%' AND l.occurred_on BETWEEN \(from)::date AND \(to)::date
                   AND l.type IN (\(type: .institutionInspected), \(type: .interviewHeld), \(type: .rectificationOrdered), \(type: .violationFound),
                                  \(type: .warningIssued), \(type: .penaltyImposed), \(type: .penaltyRevoked))
            ),
            counted AS (
                SELECT * FROM attributed WHERE (\(district)::text IS NULL OR district = \(district))
            ),
            baseline AS (
                SELECT stream, district FROM states
                 WHERE member AND valid_from <= \(baseline)::date AND (valid_to IS NULL OR \(baseline)::date < valid_to)
                   AND (\(district)::text IS NULL OR district = \(district))
            ),
            at_end AS (
                SELECT stream FROM states
                 WHERE member AND valid_from <= \(to)::date AND (valid_to IS NULL OR \(to)::date < valid_to)
                   AND (\(district)::text IS NULL OR district = \(district))
            )
            SELECT
                (SELECT count(*) FROM live WHERE type = \(type: .operationConducted) AND occurred_on BETWEEN \(from)::date AND \(to)::date
                    AND (\(district)::text IS NULL OR data ->> 'district' = \(district))) AS operations,
                (SELECT coalesce(sum((data ->> 'inspectors')::bigint), 0) FROM live WHERE type = \(type: .operationConducted)
                    AND occurred_on BETWEEN \(from)::date AND \(to)::date
                    AND (\(district)::text IS NULL OR data ->> 'district' = \(district))) AS inspector_person_times,
                (SELECT count(*) FROM counted WHERE type = \(type: .institutionInspected)) AS institution_inspections,
                (SELECT count(*) FROM counted WHERE type = \(type: .interviewHeld)) AS interviews,
                (SELECT count(*) FROM counted WHERE type = \(type: .rectificationOrdered)) AS rectification_notices,
                (SELECT count(*) FROM counted WHERE type = \(type: .violationFound)) AS violations,
                (SELECT coalesce(sum((data ->> 'persons_involved')::bigint), 0) FROM counted WHERE type = \(type: .violationFound)) AS violating_persons,
                (SELECT count(*) FROM counted WHERE type = \(type: .warningIssued)) AS warnings,
                (SELECT coalesce(sum((data ->> 'fine_fen')::bigint + (data ->> 'confiscated_fen')::bigint), 0)
                   FROM counted p WHERE type = \(type: .penaltyImposed) AND NOT EXISTS (
                       SELECT 1 FROM live r WHERE r.stream = p.stream AND r.type = \(type: .penaltyRevoked)
                          AND r.data ->> 'decision_no' = p.data ->> 'decision_no')) AS fines_fen,
                (SELECT count(*) FROM baseline) AS "compression.baseline",
                (SELECT count(*) FROM baseline b WHERE NOT EXISTS (
                    SELECT 1 FROM states t WHERE t.stream = b.stream AND t.member
                       AND t.valid_from <= \(to)::date AND (t.valid_to IS NULL OR \(to)::date < t.valid_to))) AS "compression.compressed",
                (SELECT count(*) FROM at_end) AS "coverage.remaining"
            """
    }

    /// Runs the statement; returns the figures by key.
    /// Nested loops are off: the planner cannot see how many rows the CTEs hold and otherwise
    /// joins them quadratically.
    static func compute(_ request: StatisticsRequest, _ connection: Connection) throws -> [String: Int64] {
        let row = try connection.transaction(readOnly: true) {
            try connection.execute("SET LOCAL enable_nestloop = off")
            return try connection.execute(statement(request))[0]
        }
        var figures: [String: Int64] = [:]
        for key in row.columns { figures[key] = try row.decode(key) }
        return figures
    }

    /// The figures where the ledger and the plain SQL disagree (none, when all is well): each
    /// figure of ``Statistics/figures`` the statement computes, named by its key (a part of a
    /// figure as `key.part`).
    static func disagreements(_ raw: [String: Int64], _ statistics: Statistics) -> [String] {
        let ledger = Dictionary(uniqueKeysWithValues: Statistics.figures.flatMap { figure -> [(String, Int64)] in
            switch figure.value(statistics) {
            case .integer(let n): [(figure.key, n)]
            case .parts(let parts): parts.map { ("\(figure.key).\($0.key)", $0.value) }
            default: []
            }
        })
        return raw.keys.sorted().compactMap { key in raw[key] == ledger[key] ? nil : "\(key) \(raw[key] ?? -1) vs \(ledger[key].map(String.init) ?? "no such figure")" }
    }
}
