import EventStore
import Ledger
import Postgres

/// One figure of SPEC §4: its JSON key, its label and unit, its value, the event types it counts,
/// the query a reviewer runs to re-derive it from `ledger.events`, and its place in a council reply.
///
/// ``Statistics/figures`` is the one list of them. The JSON, the table, the CSV, the dashboard,
/// the reply (its enforcement sentence and its provenance block), `reply --diff`, the OpenAPI
/// schema and the benchmark all iterate it; adding a figure is a row here plus the query that
/// computes it (``StatisticsQuery``).
public struct Figure: Sendable {
    /// The JSON key; a dotted key (`compression.baseline`) is a member of an object (`compression`).
    public var key: String
    /// The Chinese label, without the unit.
    public var label: String
    public var unit: Unit
    public var value: @Sendable (Statistics) -> Value
    /// The types whose events feed the figure (the state changes, for the figures of state on a day).
    public var types: [EventType]
    /// The SQL that re-derives the figure, from live events at the figures' position; nil where
    /// there is none (a figure computed from others), or none for this request.
    public var provenance: (@Sendable (ProvenanceScope) -> String?)?
    /// Where a reply shows the figure; nil when it does not.
    public var reply: InReply?
    /// Words the table adds after the unit (the baseline's day).
    var qualifier: (@Sendable (StatisticsRequest) -> String)?

    public enum Unit: Sendable, Equatable {
        /// A count of something: 次, 家次, 人 …
        case of(String)
        /// Money in 分, which people read in 万元.
        case fen
        /// A percentage with two decimals.
        case percent
        /// A day.
        case day
        /// Parts that carry their own units.
        case none
    }

    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case percent(String?)
        case day(CalendarDate)
        /// Compression per district, in the configured order.
        case districts([Statistics.DistrictCompression])
        /// Counts that are one figure (coverage): each part's key, label and value.
        case parts([Part])
        case whitelists([Statistics.Whitelist])
    }

    public struct Part: Sendable, Equatable {
        public var key: String
        public var label: String
        public var value: Int64
        /// Its CSV column (the key, unless that alone would be ambiguous).
        public var column: String

        init(key: String, label: String, value: Int64, column: String? = nil) {
            self.key = key
            self.label = label
            self.value = value
            self.column = column ?? key
        }
    }

    /// A figure's place in a reply: its rank in the provenance block, and the clause of the
    /// enforcement sentence that states it (nil for figures the governance sentence states).
    public struct InReply: Sendable {
        public var rank: Int
        /// The clause for a figure that is not zero; nil leaves it out.
        public var clause: (@Sendable (Statistics) -> String?)?

        init(rank: Int, clause: (@Sendable (Statistics) -> String?)? = nil) {
            self.rank = rank
            self.clause = clause
        }
    }

    /// The label with the unit people read the figure in, as the reply's provenance shows it.
    public var labelWithUnit: String {
        switch unit {
        case .of(let unit): "\(label)(\(unit))"
        case .fen: "\(label)(分)"
        case .percent, .day, .none: label
        }
    }

    /// The figure's value as text, in its plain unit (分 for money): what the reply's provenance
    /// block states and `reply --diff` compares.
    public func plainText(_ s: Statistics) -> String {
        switch value(s) {
        case .integer(let n): "\(n)"
        case .percent(let p): p.map { "\($0)%" } ?? "—"
        case .day(let day): day.description
        case .districts(let rows): rows.map { "\($0.district) \($0.baseline)/\($0.compressed)" }.joined(separator: "、")
        case .parts(let parts): parts.map { "\($0.value)" }.joined(separator: "/")
        case .whitelists(let lists): lists.map { "\($0.list) \($0.institutions)/\($0.courses)" }.joined(separator: "、")
        }
    }

    /// The integer a count or sum holds; nil for the other kinds of value.
    public func integer(_ s: Statistics) -> Int64? {
        if case .integer(let n) = value(s) { n } else { nil }
    }

    /// The JSON key's last member (`baseline` of `compression.baseline`), as the CSV names columns.
    var leaf: Substring { key.split(separator: ".").last ?? Substring(key) }

    /// The JSON key's object (`compression` of `compression.baseline`); nil for a top-level key.
    var group: Substring? { key.contains(".") ? key.split(separator: ".").first : nil }
}

/// What a provenance query is written for: SQL literals of the request, the position, and the
/// pieces the queries share.
public struct ProvenanceScope: Sendable {
    public var request: StatisticsRequest
    public var position: Int64

    public init(request: StatisticsRequest, position: Int64) {
        self.request = request
        self.position = position
    }

    /// A SQL string literal (quotes doubled): for text a reviewer runs, never executed from input.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    var p: String { String(position) }
    var from: String { Self.literal(request.from.description) }
    var to: String { Self.literal(request.to.description) }
    var baseline: String { Self.literal(request.baseline.description) }
    var district: String? { request.district.map(Self.literal) }
    var period: String { "occurred_on BETWEEN \(from) AND \(to)" }
    var live: String { "ledger.live_events(\(p))" }
    /// The event's institution is in the district on the event's date.
    var institutionDistrict: String { district.map { " AND ledger.district_on(stream, occurred_on, \(p)) = \($0)" } ?? "" }
    /// The event names its district (operations, bulletins).
    var namedDistrict: String { district.map { " AND data ->> 'district' = \($0)" } ?? "" }
    /// Every institution stream at the position.
    var institutions: String { "(SELECT DISTINCT stream FROM \(live) WHERE stream LIKE 'institution-%') s" }
    /// The institution's state on `day`, as table alias `alias`.
    func state(_ alias: String, on day: String) -> String {
        "CROSS JOIN LATERAL ledger.institution_on(s.stream, \(day), \(p)) \(alias)"
    }
    /// Live events of `type` in the period, attributed to the district.
    func count(_ type: EventType) -> String {
        "SELECT count(*) FROM \(live) WHERE type = \(type.quoted) AND \(period)\(institutionDistrict);"
    }
    /// The sum of the integer field `field` of live events of `type` in the period.
    func sum(_ field: String, of type: EventType, district: String) -> String {
        "SELECT coalesce(sum((data ->> '\(field)')::bigint), 0) FROM \(live) WHERE type = \(type.quoted) AND \(period)\(district);"
    }
}

extension Statistics {
    /// The state changes the figures of state on a day (compression, coverage) fold.
    static let stateTypes: [EventType] = [
        .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
        .convertedToNonProfit, .institutionClosed, .institutionReopened,
    ]

    /// The figures of SPEC §4, in the order of its JSON object.
    public static let figures: [Figure] = [
        Figure(
            key: "operations", label: "开展检查", unit: .of("次"), value: { .integer($0.operations) },
            types: [.operationConducted],
            provenance: { "SELECT count(*) FROM \($0.live) WHERE type = \(EventType.operationConducted.quoted) AND \($0.period)\($0.namedDistrict);" },
            reply: .init(rank: 6) { "开展检查\($0.operations)次" }),
        Figure(
            key: "inspector_person_times", label: "出动检查人员", unit: .of("人次"), value: { .integer($0.inspectorPersonTimes) },
            types: [.operationConducted],
            provenance: { $0.sum("inspectors", of: .operationConducted, district: $0.namedDistrict) },
            reply: .init(rank: 5) { "出动检查人员\($0.inspectorPersonTimes)人次" }),
        Figure(
            key: "institution_inspections", label: "检查机构", unit: .of("家次"), value: { .integer($0.institutionInspections) },
            types: [.institutionInspected, .institutionRelocated], provenance: { $0.count(.institutionInspected) },
            reply: .init(rank: 7) { "检查机构\($0.institutionInspections)家次" }),
        Figure(
            key: "interviews", label: "约谈", unit: .of("次"), value: { .integer($0.interviews) },
            types: [.interviewHeld, .institutionRelocated], provenance: { $0.count(.interviewHeld) },
            reply: .init(rank: 8) { "约谈培训机构\($0.interviews)次" }),
        Figure(
            key: "rectification_notices", label: "责令整改通知书", unit: .of("份"), value: { .integer($0.rectificationNotices) },
            types: [.rectificationOrdered, .institutionRelocated], provenance: { $0.count(.rectificationOrdered) },
            reply: .init(rank: 9) { "发放责令整改通知书\($0.rectificationNotices)份" }),
        Figure(
            key: "rectifications_overdue", label: "其中逾期未整改", unit: .of("份"), value: { .integer($0.rectificationsOverdue) },
            types: [.rectificationOrdered, .rectificationVerified, .institutionRelocated],
            provenance: { q in """
                SELECT count(*) FROM \(q.live) n WHERE type = \(EventType.rectificationOrdered.quoted) AND \(q.period)\(q.institutionDistrict) AND (data ->> 'deadline')::date < \(q.to) AND NOT EXISTS (SELECT 1 FROM \(q.live) v WHERE v.type = \(EventType.rectificationVerified.quoted) AND v.stream = n.stream AND v.data ->> 'notice_no' = n.data ->> 'notice_no' AND v.data ->> 'outcome' = 'completed' AND v.occurred_on <= \(q.to));
                """ }),
        Figure(
            key: "violations", label: "查处违规行为", unit: .of("起"), value: { .integer($0.violations) },
            types: [.violationFound, .institutionRelocated], provenance: { $0.count(.violationFound) },
            reply: .init(rank: 10) { "查处隐形变异违规学科培训行为\($0.violations)起" }),
        Figure(
            key: "violating_persons", label: "违规人员", unit: .of("人"), value: { .integer($0.violatingPersons) },
            types: [.violationFound, .institutionRelocated],
            provenance: { $0.sum("persons_involved", of: .violationFound, district: $0.institutionDistrict) },
            reply: .init(rank: 11) { $0.violations > 0 ? "违规人员\($0.violatingPersons)人" : nil }),
        Figure(
            key: "warnings", label: "警告", unit: .of("次"), value: { .integer($0.warnings) },
            types: [.warningIssued, .institutionRelocated], provenance: { $0.count(.warningIssued) }),
        Figure(
            key: "unlicensed_closed", label: "关停无证无照机构", unit: .of("家"), value: { .integer($0.unlicensedClosed) },
            types: [.institutionClosed, .institutionRelocated],
            provenance: { q in """
                SELECT count(DISTINCT stream) FROM \(q.live) WHERE type = \(EventType.institutionClosed.quoted) AND data ->> 'reason' = 'unlicensed_shutdown' AND \(q.period)\(q.institutionDistrict);
                """ },
            reply: .init(rank: 12) { "关停无证无照机构\($0.unlicensedClosed)家" }),
        Figure(
            key: "bulletins", label: "发布通报", unit: .of("期"), value: { .integer($0.bulletins) },
            types: [.bulletinPublished],
            provenance: { "SELECT count(*) FROM \($0.live) WHERE type = \(EventType.bulletinPublished.quoted) AND \($0.period)\($0.namedDistrict);" },
            reply: .init(rank: 13) { "发布通报\($0.bulletins)期" }),
        Figure(
            key: "exposed_institutions", label: "曝光培训机构", unit: .of("家"), value: { .integer($0.exposedInstitutions) },
            types: [.bulletinPublished, .institutionRelocated],
            provenance: { q in
                let district = q.district.map { " AND ledger.district_on('institution-' || x.key, b.occurred_on, \(q.p)) = \($0)" } ?? ""
                return """
                SELECT count(DISTINCT x.key) FROM \(q.live) b CROSS JOIN LATERAL jsonb_array_elements_text(b.data -> 'exposed') AS x (key) WHERE b.type = \(EventType.bulletinPublished.quoted) AND b.\(q.period)\(district);
                """
            },
            reply: .init(rank: 14) { "曝光培训机构\($0.exposedInstitutions)家" }),
        Figure(
            key: "fines_fen", label: "罚没款金额", unit: .fen, value: { .integer($0.finesFen) },
            types: [.penaltyImposed, .penaltyRevoked, .institutionRelocated],
            provenance: { q in """
                SELECT coalesce(sum((data ->> 'fine_fen')::bigint + (data ->> 'confiscated_fen')::bigint), 0) FROM \(q.live) e WHERE type = \(EventType.penaltyImposed.quoted) AND \(q.period)\(q.institutionDistrict) AND NOT EXISTS (SELECT 1 FROM \(q.live) r WHERE r.type = \(EventType.penaltyRevoked.quoted) AND r.stream = e.stream AND r.data ->> 'decision_no' = e.data ->> 'decision_no');
                """ },
            reply: .init(rank: 15) { "罚没款金额\(HalfUp.wanYuan(fen: $0.finesFen))万元" }),
        Figure(
            key: "compression.baseline_date", label: "压减基数日", unit: .day, value: { .day($0.request.baseline) }, types: []),
        Figure(
            key: "compression.baseline", label: "压减基数", unit: .of("家"), value: { .integer($0.compression.baseline) },
            types: stateTypes,
            provenance: { q in
                let district = q.district.map { " AND b.district = \($0)" } ?? ""
                return "SELECT count(*) FROM \(q.institutions) \(q.state("b", on: q.baseline)) WHERE b.member\(district);"
            },
            reply: .init(rank: 1), qualifier: { $0.baseline.description }),
        Figure(
            key: "compression.compressed", label: "已压减", unit: .of("家"), value: { .integer($0.compression.compressed) },
            types: stateTypes,
            provenance: { q in
                let district = q.district.map { " AND b.district = \($0)" } ?? ""
                return "SELECT count(*) FROM \(q.institutions) \(q.state("b", on: q.baseline)) \(q.state("t", on: q.to)) WHERE b.member AND NOT t.member\(district);"
            },
            reply: .init(rank: 2)),
        Figure(
            key: "compression.rate_percent", label: "压减率", unit: .percent, value: { .percent($0.compression.ratePercent) },
            types: stateTypes),
        Figure(
            key: "compression.by_district", label: "各区压减", unit: .of("基数/已压减"), value: { .districts($0.compression.byDistrict) },
            types: stateTypes,
            provenance: { q in
                guard q.district == nil else { return nil }
                return "SELECT b.district, count(*), count(*) FILTER (WHERE NOT t.member) FROM \(q.institutions) \(q.state("b", on: q.baseline)) \(q.state("t", on: q.to)) WHERE b.member GROUP BY b.district;"
            },
            reply: .init(rank: 3)),
        Figure(
            key: "coverage", label: "现存学科类机构/营改非/资金监管/政府指导价", unit: .of("家"),
            value: { s in
                .parts([
                    .init(key: "remaining", label: "现存学科类机构", value: s.coverage.remaining),
                    .init(key: "non_profit", label: "营改非", value: s.coverage.nonProfit),
                    .init(key: "fund_custody", label: "资金监管", value: s.coverage.fundCustody),
                    .init(key: "guidance_price", label: "政府指导价", value: s.coverage.guidancePrice),
                ])
            },
            types: stateTypes + [.fundCustodyEnrolled, .guidancePriceAdopted],
            provenance: { q in
                let district = q.district.map { " AND t.district = \($0)" } ?? ""
                return """
                SELECT count(*) || '/' || count(*) FILTER (WHERE t.for_profit IS FALSE) || '/' || count(*) FILTER (WHERE t.fund_custody) || '/' || count(*) FILTER (WHERE t.guidance_price) FROM \(q.institutions) \(q.state("t", on: q.to)) WHERE t.member\(district);
                """
            },
            reply: .init(rank: 4)),
        Figure(
            key: "whitelists", label: "白名单", unit: .none, value: { .whitelists($0.whitelists) },
            types: stateTypes + [.whitelisted, .delisted]),
        Figure(
            key: "cases", label: "立案/作出决定/其中90日内决定/逾期未决定/结案", unit: .of("件"),
            value: { s in
                .parts([
                    .init(key: "opened", label: "立案", value: s.cases.opened, column: "cases_opened"),
                    .init(key: "decided", label: "作出处罚决定", value: s.cases.decided, column: "cases_decided"),
                    .init(key: "decided_within_limit", label: "其中90日内决定", value: s.cases.decidedWithinLimit, column: "cases_decided_within_limit"),
                    .init(key: "open_overdue", label: "逾期未决定案件", value: s.cases.openOverdue, column: "cases_open_overdue"),
                    .init(key: "closed", label: "结案", value: s.cases.closed, column: "cases_closed"),
                ])
            },
            types: [.caseOpened, .caseDecided, .caseClosed, .institutionRelocated, .calendarPublished],
            provenance: { q in
                let district = q.district.map { " WHERE district = \($0)" } ?? ""
                let decidedInPeriod = "decided_on BETWEEN \(q.from) AND \(q.to)"
                return """
                WITH k AS (SELECT * FROM (SELECT o.occurred_on AS opened_on, ledger.district_on('institution-' || (o.data ->> 'institution'), o.occurred_on, \(q.p)) AS district, ledger.working_day_on_or_after(o.occurred_on + 90, \(q.p)) AS due_on, (SELECT min(d.occurred_on) FROM \(q.live) d WHERE d.stream = o.stream AND d.type = \(EventType.caseDecided.quoted)) AS decided_on, (SELECT min(c.occurred_on) FROM \(q.live) c WHERE c.stream = o.stream AND c.type = \(EventType.caseClosed.quoted)) AS closed_on FROM \(q.live) o WHERE o.type = \(EventType.caseOpened.quoted)) x\(district)) SELECT count(*) FILTER (WHERE opened_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE \(decidedInPeriod)) || '/' || count(*) FILTER (WHERE \(decidedInPeriod) AND decided_on <= due_on) || '/' || count(*) FILTER (WHERE opened_on <= \(q.to) AND (decided_on IS NULL OR decided_on > \(q.to)) AND due_on < \(q.to)) || '/' || count(*) FILTER (WHERE closed_on BETWEEN \(q.from) AND \(q.to)) FROM k;
                """
            }),
        Figure(
            key: "proposals", label: "提案收到/已答复/按期答复/逾期未答复/满意/基本满意/不满意", unit: .of("件"),
            value: { s in
                .parts([
                    .init(key: "received", label: "收到提案", value: s.proposals.received, column: "proposals_received"),
                    .init(key: "answered", label: "已答复提案", value: s.proposals.answered, column: "proposals_answered"),
                    .init(key: "answered_on_time", label: "其中按期答复", value: s.proposals.answeredOnTime, column: "proposals_answered_on_time"),
                    .init(key: "open_overdue", label: "逾期未答复提案", value: s.proposals.openOverdue, column: "proposals_open_overdue"),
                    .init(key: "satisfied", label: "提案人满意", value: s.proposals.satisfied, column: "proposals_satisfied"),
                    .init(key: "basically_satisfied", label: "提案人基本满意", value: s.proposals.basicallySatisfied, column: "proposals_basically_satisfied"),
                    .init(key: "unsatisfied", label: "提案人不满意", value: s.proposals.unsatisfied, column: "proposals_unsatisfied"),
                ])
            },
            types: [.proposalReceived, .replySent, .proposerFeedback, .calendarPublished],
            provenance: { q in
                let district = q.district.map { " AND r.data ->> 'district' = \($0)" } ?? ""
                let answeredInPeriod = "answered_on BETWEEN \(q.from) AND \(q.to)"
                return """
                WITH p AS (SELECT r.stream, r.occurred_on AS received_on, coalesce((r.data ->> 'due_on')::date, ledger.working_day_on_or_after((r.occurred_on + interval '3 months')::date, \(q.p))) AS due_on, (SELECT min(a.occurred_on) FROM \(q.live) a WHERE a.stream = r.stream AND a.type = \(EventType.replySent.quoted)) AS answered_on FROM \(q.live) r WHERE r.type = \(EventType.proposalReceived.quoted)\(district)), f AS (SELECT e.data ->> 'satisfaction' AS satisfaction FROM \(q.live) e JOIN p USING (stream) WHERE e.type = \(EventType.proposerFeedback.quoted) AND e.\(q.period)) SELECT count(*) FILTER (WHERE received_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE \(answeredInPeriod)) || '/' || count(*) FILTER (WHERE \(answeredInPeriod) AND answered_on <= due_on) || '/' || count(*) FILTER (WHERE received_on <= \(q.to) AND (answered_on IS NULL OR answered_on > \(q.to)) AND due_on < \(q.to)) || '/' || (SELECT count(*) FROM f WHERE satisfaction = 'satisfied') || '/' || (SELECT count(*) FROM f WHERE satisfaction = 'basically_satisfied') || '/' || (SELECT count(*) FROM f WHERE satisfaction = 'unsatisfied') FROM p;
                """
            }),
        Figure(
            key: "random_checks", label: "双随机抽查计划/摇号/抽取对象/已检查/发现问题/按期公示", unit: .of("个"),
            value: { s in
                .parts([
                    .init(key: "planned", label: "双随机抽查计划", value: s.randomChecks.planned, column: "random_checks_planned"),
                    .init(key: "drawn", label: "完成摇号", value: s.randomChecks.drawn, column: "random_checks_drawn"),
                    .init(key: "targets", label: "抽取对象", value: s.randomChecks.targets, column: "random_checks_targets"),
                    .init(key: "inspected", label: "已检查对象", value: s.randomChecks.inspected, column: "random_checks_inspected"),
                    .init(key: "issues_found", label: "其中发现问题", value: s.randomChecks.issuesFound, column: "random_checks_issues_found"),
                    .init(key: "published_on_time", label: "按期公示结果", value: s.randomChecks.publishedOnTime, column: "random_checks_published_on_time"),
                ])
            },
            types: [.drawPlanned, .drawPerformed, .drawResultsPublished, .institutionInspected, .calendarPublished],
            provenance: { q in
                let district = q.district.map { " AND p.data ->> 'district' = \($0)" } ?? ""
                let publishedDue = "(SELECT g::date FROM generate_series(window_to + 1, window_to + 120, interval '1 day') g WHERE ledger.working_day_on_or_after(g::date, \(q.p)) = g::date ORDER BY g OFFSET 19 LIMIT 1)"
                return """
                WITH d AS (SELECT p.stream, p.occurred_on AS planned_on, (p.data #>> '{window,to}')::date AS window_to, x.occurred_on AS drawn_on, coalesce(jsonb_array_length(x.data -> 'targets'), 0) AS targets, (SELECT min(r.occurred_on) FROM \(q.live) r WHERE r.stream = p.stream AND r.type = \(EventType.drawResultsPublished.quoted)) AS published_on FROM \(q.live) p LEFT JOIN \(q.live) x ON x.stream = p.stream AND x.type = \(EventType.drawPerformed.quoted) WHERE p.type = \(EventType.drawPlanned.quoted)\(district)), i AS (SELECT DISTINCT ON (d.stream, e.stream) e.occurred_on, e.data ->> 'result' AS result FROM d JOIN \(q.live) e ON e.type = \(EventType.institutionInspected.quoted) AND e.data ? 'draw' AND e.data ->> 'draw' = substr(d.stream, 6) ORDER BY d.stream, e.stream, e.occurred_on, e.version) SELECT (SELECT count(*) FROM d WHERE planned_on BETWEEN \(q.from) AND \(q.to)) || '/' || (SELECT count(*) FROM d WHERE drawn_on BETWEEN \(q.from) AND \(q.to)) || '/' || (SELECT coalesce(sum(targets), 0) FROM d WHERE drawn_on BETWEEN \(q.from) AND \(q.to)) || '/' || (SELECT count(*) FROM i WHERE occurred_on BETWEEN \(q.from) AND \(q.to)) || '/' || (SELECT count(*) FROM i WHERE occurred_on BETWEEN \(q.from) AND \(q.to) AND result = 'issues_found') || '/' || (SELECT count(*) FROM d WHERE published_on BETWEEN \(q.from) AND \(q.to) AND published_on <= \(publishedDue));
                """
            }),
        Figure(
            key: "blacklist", label: "黑名单在列/本期列入/本期移出", unit: .of("家"),
            value: { s in
                .parts([
                    .init(key: "listed", label: "列入黑名单的机构", value: s.blacklist.listed, column: "blacklist_listed"),
                    .init(key: "added_in_period", label: "本期列入黑名单", value: s.blacklist.addedInPeriod, column: "blacklist_added_in_period"),
                    .init(key: "removed_in_period", label: "本期移出黑名单", value: s.blacklist.removedInPeriod, column: "blacklist_removed_in_period"),
                ])
            },
            types: [.blacklisted, .unblacklisted, .institutionRelocated],
            provenance: { q in
                let district = q.district.map { " WHERE district = \($0)" } ?? ""
                return """
                WITH b AS (SELECT * FROM (SELECT l.occurred_on AS listed_on, nullif(least(coalesce((l.data ->> 'until')::date, 'infinity'), coalesce((SELECT min(u.occurred_on) FROM \(q.live) u WHERE u.stream = l.stream AND u.type = \(EventType.unblacklisted.quoted) AND u.version > l.version), 'infinity')), 'infinity') AS ends_on, ledger.district_on(l.stream, l.occurred_on, \(q.p)) AS district FROM \(q.live) l WHERE l.type = \(EventType.blacklisted.quoted)) x\(district)) SELECT count(*) FILTER (WHERE listed_on <= \(q.to) AND (ends_on IS NULL OR ends_on > \(q.to))) || '/' || count(*) FILTER (WHERE listed_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE ends_on BETWEEN \(q.from) AND \(q.to)) FROM b;
                """
            }),
        Figure(
            key: "complaints", label: "投诉举报收到/受理/不予受理/查实/按期答复/逾期未办结", unit: .of("件"),
            value: { s in
                .parts([
                    .init(key: "received", label: "收到投诉举报", value: s.complaints.received, column: "complaints_received"),
                    .init(key: "accepted", label: "受理", value: s.complaints.accepted, column: "complaints_accepted"),
                    .init(key: "declined", label: "不予受理", value: s.complaints.declined, column: "complaints_declined"),
                    .init(key: "substantiated", label: "核查属实", value: s.complaints.substantiated, column: "complaints_substantiated"),
                    .init(key: "answered_on_time", label: "按期答复举报人", value: s.complaints.answeredOnTime, column: "complaints_answered_on_time"),
                    .init(key: "open_overdue", label: "逾期未办结", value: s.complaints.openOverdue, column: "complaints_open_overdue"),
                ] + ComplaintChannel.allCases.map { channel in
                    .init(key: "by_channel.\(channel.rawValue)", label: "其中来自\(channel.label)", value: s.complaints.byChannel[channel] ?? 0,
                          column: "complaints_by_channel_\(channel.rawValue)")
                })
            },
            types: [.complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified,
                    .complaintAnswered, .calendarPublished],
            provenance: { q in
                let district = q.district.map { " AND r.data ->> 'district' = \($0)" } ?? ""
                func first(_ type: EventType) -> String {
                    "(SELECT min(e.occurred_on) FROM \(q.live) e WHERE e.stream = r.stream AND e.type = \(type.quoted))"
                }
                func due(_ days: String, after day: String) -> String {
                    "(SELECT g::date FROM generate_series(\(day) + 1, \(day) + 120, interval '1 day') g WHERE ledger.working_day_on_or_after(g::date, \(q.p)) = g::date ORDER BY g OFFSET \(days) - 1 LIMIT 1)"
                }
                let open = { (created: String, discharged: String, days: String) in
                    "count(*) FILTER (WHERE \(created) <= \(q.to) AND (\(discharged) IS NULL OR \(discharged) > \(q.to)) AND \(due(days, after: created)) < \(q.to))"
                }
                let channels = ComplaintChannel.allCases.map { "count(*) FILTER (WHERE received_on BETWEEN \(q.from) AND \(q.to) AND channel = '\($0.rawValue)')" }
                    .joined(separator: " || '/' || ")
                return """
                WITH c AS (SELECT r.occurred_on AS received_on, r.data ->> 'channel' AS channel, \(first(.complaintAccepted)) AS accepted_on, \(first(.complaintDeclined)) AS declined_on, \(first(.complaintVerified)) AS verified_on, (SELECT v.data ->> 'finding' FROM \(q.live) v WHERE v.stream = r.stream AND v.type = \(EventType.complaintVerified.quoted)) AS finding, \(first(.complaintAnswered)) AS answered_on, EXISTS (SELECT 1 FROM \(q.live) x WHERE x.stream = r.stream AND x.type = \(EventType.complaintExtended.quoted)) AS extended FROM \(q.live) r WHERE r.type = \(EventType.complaintReceived.quoted)\(district)) SELECT count(*) FILTER (WHERE received_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE accepted_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE declined_on BETWEEN \(q.from) AND \(q.to)) || '/' || count(*) FILTER (WHERE verified_on BETWEEN \(q.from) AND \(q.to) AND finding = 'substantiated') || '/' || count(*) FILTER (WHERE answered_on BETWEEN \(q.from) AND \(q.to) AND answered_on <= \(due("5", after: "coalesce(verified_on, declined_on)"))) || '/' || (\(open("received_on", "coalesce(accepted_on, declined_on)", "7")) + \(open("accepted_on", "verified_on", "CASE WHEN extended THEN 30 ELSE 15 END")) + \(open("coalesce(verified_on, declined_on)", "answered_on", "5"))) || '/' || \(channels) FROM c;
                """
            }),
    ]

    /// The figures a reply shows, in the reply's order.
    public static let inReply: [Figure] = figures.filter { $0.reply != nil }.sorted { $0.reply!.rank < $1.reply!.rank }
}

extension Statistics {
    /// Each figure that has a provenance query, re-derived by that query from the log on
    /// `connection` (as the ledger stood at these figures' position): the keys re-derived, and a
    /// line for each figure whose query gives other than these figures state.
    public func rederived(_ connection: Connection) throws -> (checked: Set<String>, disagreements: [String]) {
        let scope = ProvenanceScope(request: request, position: position)
        var checked: Set<String> = [], disagreements: [String] = []
        for figure in Self.figures {
            guard let sql = figure.provenance?(scope) else { continue }
            checked.insert(figure.key)
            let derived = try connection.execute(SQL(stringLiteral: sql)).map { row in row.values.compactMap { $0 }.joined(separator: " ") }
            let stated = figure.plainText(self)
            // Per district, one row each, in no particular order.
            let agrees = figure.key == "compression.by_district"
                ? Set(stated.split(separator: "、").map(String.init))
                    == Set(derived.map { $0.split(separator: " ").map(String.init) }.map { "\($0[0]) \($0[1])/\($0[2])" })
                : derived == [stated]
            if !agrees { disagreements.append("\(figure.key): stated \(stated), re-derived \(derived)") }
        }
        return (checked, disagreements)
    }
}
