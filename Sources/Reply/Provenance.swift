import EventStore
import Statistics
import Ledger

/// How each figure of a reply is derived: a query a reviewer can run on `ledger.events` as the
/// ledger stood at the reply's position, independent of the read models that computed it.
public enum Provenance {
    /// One figure, its value as the reply states it, the SQL that re-derives it, and the event
    /// types it is computed from.
    public struct Figure: Sendable, Equatable {
        /// The figure's machine name, as `ledger stats --format json` keys it (`fines_fen`,
        /// `compression.by_district`): what `reply --diff` pairs figures by, whatever the label.
        public var key: String
        public var label: String
        public var value: String
        public var sql: String
        /// The types whose events feed the figure (state changes for the temporal ones).
        public var types: [EventType]
    }

    /// The state changes the compression and coverage figures fold.
    static let stateTypes: [EventType] = [
        .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
        .convertedToNonProfit, .institutionClosed, .institutionReopened,
    ]

    /// A SQL string literal (quotes doubled): for the text a reviewer runs, never executed from input.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    public static func figures(_ s: Statistics) -> [Figure] {
        let p = String(s.position)
        let from = literal(s.request.from.description), to = literal(s.request.to.description)
        let baseline = literal(s.request.baseline.description)
        let period = "occurred_on BETWEEN \(from) AND \(to)"
        let district = s.request.district.map(literal)
        let institutionDistrict = district.map { " AND ledger.district_on(stream, occurred_on, \(p)) = \($0)" } ?? ""
        let live = "ledger.live_events(\(p))"
        func count(_ type: EventType, _ extra: String = "") -> String {
            "SELECT count(*) FROM \(live) WHERE type = \(type.quoted) AND \(period)\(extra)\(institutionDistrict);"
        }
        let institutions = "(SELECT DISTINCT stream FROM \(live) WHERE stream LIKE 'institution-%') s"
        let baselineDistrict = district.map { " AND b.district = \($0)" } ?? ""
        let endDistrict = district.map { " AND t.district = \($0)" } ?? ""
        let exposedDistrict = district.map { " AND ledger.district_on('institution-' || x.key, b.occurred_on, \(p)) = \($0)" } ?? ""
        let bulletinDistrict = district.map { " AND data ->> 'district' = \($0)" } ?? ""
        let operationDistrict = district.map { " AND data ->> 'district' = \($0)" } ?? ""

        var figures = [
            Figure(key: "compression.baseline", label: "压减基数(家)", value: "\(s.compression.baseline)", sql: """
                SELECT count(*) FROM \(institutions) CROSS JOIN LATERAL ledger.institution_on(s.stream, \(baseline), \(p)) b WHERE b.member\(baselineDistrict);
                """, types: Self.stateTypes),
            Figure(key: "compression.compressed", label: "已压减(家)", value: "\(s.compression.compressed)", sql: """
                SELECT count(*) FROM \(institutions) CROSS JOIN LATERAL ledger.institution_on(s.stream, \(baseline), \(p)) b CROSS JOIN LATERAL ledger.institution_on(s.stream, \(to), \(p)) t WHERE b.member AND NOT t.member\(baselineDistrict);
                """, types: Self.stateTypes),
            Figure(key: "coverage", label: "现存学科类机构/营改非/资金监管/政府指导价(家)",
                   value: "\(s.coverage.remaining)/\(s.coverage.nonProfit)/\(s.coverage.fundCustody)/\(s.coverage.guidancePrice)", sql: """
                SELECT count(*) || '/' || count(*) FILTER (WHERE t.for_profit IS FALSE) || '/' || count(*) FILTER (WHERE t.fund_custody) || '/' || count(*) FILTER (WHERE t.guidance_price) FROM \(institutions) CROSS JOIN LATERAL ledger.institution_on(s.stream, \(to), \(p)) t WHERE t.member\(endDistrict);
                """, types: Self.stateTypes + [.fundCustodyEnrolled, .guidancePriceAdopted]),
            Figure(key: "inspector_person_times", label: "出动检查人员(人次)", value: "\(s.inspectorPersonTimes)", sql: """
                SELECT coalesce(sum((data ->> 'inspectors')::bigint), 0) FROM \(live) WHERE type = \(EventType.operationConducted.quoted) AND \(period)\(operationDistrict);
                """, types: [.operationConducted]),
            Figure(key: "operations", label: "开展检查(次)", value: "\(s.operations)", sql: """
                SELECT count(*) FROM \(live) WHERE type = \(EventType.operationConducted.quoted) AND \(period)\(operationDistrict);
                """, types: [.operationConducted]),
            Figure(key: "institution_inspections", label: "检查机构(家次)", value: "\(s.institutionInspections)", sql: count(.institutionInspected), types: [.institutionInspected, .institutionRelocated]),
            Figure(key: "interviews", label: "约谈(次)", value: "\(s.interviews)", sql: count(.interviewHeld), types: [.interviewHeld, .institutionRelocated]),
            Figure(key: "rectification_notices", label: "责令整改通知书(份)", value: "\(s.rectificationNotices)", sql: count(.rectificationOrdered), types: [.rectificationOrdered, .institutionRelocated]),
            Figure(key: "violations", label: "查处违规行为(起)", value: "\(s.violations)", sql: count(.violationFound), types: [.violationFound, .institutionRelocated]),
            Figure(key: "violating_persons", label: "违规人员(人)", value: "\(s.violatingPersons)", sql: """
                SELECT coalesce(sum((data ->> 'persons_involved')::bigint), 0) FROM \(live) WHERE type = \(EventType.violationFound.quoted) AND \(period)\(institutionDistrict);
                """, types: [.violationFound, .institutionRelocated]),
            Figure(key: "unlicensed_closed", label: "关停无证无照机构(家)", value: "\(s.unlicensedClosed)", sql: """
                SELECT count(DISTINCT stream) FROM \(live) WHERE type = \(EventType.institutionClosed.quoted) AND data ->> 'reason' = 'unlicensed_shutdown' AND \(period)\(institutionDistrict);
                """, types: [.institutionClosed, .institutionRelocated]),
            Figure(key: "bulletins", label: "发布通报(期)", value: "\(s.bulletins)", sql: """
                SELECT count(*) FROM \(live) WHERE type = \(EventType.bulletinPublished.quoted) AND \(period)\(bulletinDistrict);
                """, types: [.bulletinPublished]),
            Figure(key: "exposed_institutions", label: "曝光培训机构(家)", value: "\(s.exposedInstitutions)", sql: """
                SELECT count(DISTINCT x.key) FROM \(live) b CROSS JOIN LATERAL jsonb_array_elements_text(b.data -> 'exposed') AS x (key) WHERE b.type = \(EventType.bulletinPublished.quoted) AND b.\(period)\(exposedDistrict);
                """, types: [.bulletinPublished, .institutionRelocated]),
            Figure(key: "fines_fen", label: "罚没款金额(分)", value: "\(s.finesFen)", sql: """
                SELECT coalesce(sum((data ->> 'fine_fen')::bigint + (data ->> 'confiscated_fen')::bigint), 0) FROM \(live) e WHERE type = \(EventType.penaltyImposed.quoted) AND \(period)\(institutionDistrict) AND NOT EXISTS (SELECT 1 FROM \(live) r WHERE r.type = \(EventType.penaltyRevoked.quoted) AND r.stream = e.stream AND r.data ->> 'decision_no' = e.data ->> 'decision_no');
                """, types: [.penaltyImposed, .penaltyRevoked, .institutionRelocated]),
        ]
        if s.request.district == nil {
            figures.insert(Figure(
                key: "compression.by_district", label: "各区压减(基数/已压减)",
                value: s.compression.byDistrict.map { "\($0.district) \($0.baseline)/\($0.compressed)" }.joined(separator: "、"),
                sql: """
                SELECT b.district, count(*), count(*) FILTER (WHERE NOT t.member) FROM \(institutions) CROSS JOIN LATERAL ledger.institution_on(s.stream, \(baseline), \(p)) b CROSS JOIN LATERAL ledger.institution_on(s.stream, \(to), \(p)) t WHERE b.member GROUP BY b.district;
                """, types: Self.stateTypes), at: 2)
        }
        return figures
    }
}
