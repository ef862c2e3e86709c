import Accounts
import EventStore
import Hummingbird
import Ledger
import Statistics

/// `/cases`, `/proposals` and `/complaints`: a penalty case (SPEC §9), a council proposal (§10) or
/// a complaint (§12, its reporter never shown: only whether it is kept or erased) with its steps,
/// each obligation's deadline and whether it was met, its timeline, and the forms for the steps
/// people record by hand.
struct ProcedurePages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/cases/{key}") { try await page($0, $1, .case) }
        router.get("/cases/{key}/record") { try await pages.recordForm($0, $1, subject: .case) }
        router.post("/cases/{key}/record") { try await pages.record($0, $1, subject: .case) }
        router.get("/proposals") { try await list($0, $1, .proposals) }
        router.get("/complaints") { try await list($0, $1, .complaints) }
        router.get("/proposals/new") { try await pages.recordForm($0, $1, subject: nil, opening: .proposal) }
        router.post("/proposals/new") { try await pages.record($0, $1, subject: nil, opening: .proposal) }
        router.get("/complaints/new") { try await pages.recordForm($0, $1, subject: nil, opening: .complaint) }
        router.post("/complaints/new") { try await pages.record($0, $1, subject: nil, opening: .complaint) }
        router.get("/complaints/{key}") { try await page($0, $1, .complaint) }
        router.get("/complaints/{key}/record") { try await pages.recordForm($0, $1, subject: .complaint) }
        router.post("/complaints/{key}/record") { try await pages.record($0, $1, subject: .complaint) }
        router.get("/proposals/{key}") { try await page($0, $1, .proposal) }
        router.get("/proposals/{key}/record") { try await pages.recordForm($0, $1, subject: .proposal) }
        router.post("/proposals/{key}/record") { try await pages.record($0, $1, subject: .proposal) }
    }

    // MARK: A case or a proposal

    struct Page: Sendable {
        let heading: String
        let recorded: String?
        let facts: [Row]
        let hasSteps: Bool
        let steps: [StepRow]
        /// Art 72's late-payment surcharge, shown on the case and never added to a figure.
        let surcharge: String?
        let actions: [Pages.Link]
        let eventCount: Int
        let entries: [Pages.Entry]
    }

    struct Row: Sendable {
        let label: String
        let value: String
        var href: String?
    }

    /// An obligation beside the step that created it: its deadline and whether it was met.
    struct StepRow: Sendable {
        let label: String
        let from: String
        let due: String
        let done: String
        let status: String
        /// `ok`, `overdue` or `soon`, the colour of the status.
        let tone: String

        init(_ step: Step, today: CalendarDate) {
            label = step.label
            from = step.created.description
            due = step.due.day?.description ?? Deadlines.dueText(step.due)
            done = step.discharged?.description ?? "—"
            let late = { (day: CalendarDate) in step.due.day.map { day.dayNumber - $0.dayNumber } ?? 0 }
            switch (step.discharged, step.met) {
            case (_?, true?): (status, tone) = ("按期完成", "ok")
            case (let day?, false?): (status, tone) = ("逾期完成(晚 \(late(day)) 天)", "overdue")
            case (_?, nil): (status, tone) = ("已完成", "ok")
            case (nil, _) where step.due.day.map({ $0 < today }) ?? false: (status, tone) = ("已逾期 \(late(today)) 天", "overdue")
            case (nil, _): (status, tone) = ("未完成", "soon")
            }
        }
    }

    func page(_ request: Request, _ context: LedgerRequestContext, _ category: StreamCategory) async throws -> Response {
        let user = try context.require(.readHistory)
        let key = try context.pathParameter("key")
        let (stream, entries, state) = try await services.history("\(category.rawValue)-\(key)", for: user)
        let today = services.configuration.today
        let steps = try await services.steps(of: stream)
        let opening = entries.first?.event.data ?? .object([:])
        let mayRecord = user.allows(.append) && (user.district == nil || user.district == state.district)
        func action(_ kind: RecordForm.Kind) -> Pages.Link {
            Pages.Link(href: "\(Pages.href(stream) ?? "")/record?kind=\(kind.rawValue)", label: kind.heading)
        }
        var facts: [Row]
        var actions: [Pages.Link] = []
        var surcharge: String?
        let heading: String
        if category == .case {
            let procedure = state.facts.procedure
            heading = "行政处罚案件 \(key)"
            let institution = procedure.institution ?? ""
            facts = [
                Row(label: "当事机构", value: institution, href: StreamName(category: .institution, key: institution).flatMap(Pages.href)),
                Row(label: "所在区域(立案时)", value: state.district ?? "—"),
                Row(label: "违法行为", value: EventLabels.text(opening["violation"] ?? .null)),
                Row(label: "案件来源", value: EventLabels.text(opening["source"] ?? .null)),
                Row(label: "承办人员", value: EventLabels.text(opening["officers"] ?? .null)),
                Row(label: "处罚决定", value: procedure.decision.map { "\($0.decisionNo)(\(EventLabels.text(.string($0.outcome.rawValue))))" } ?? "尚未作出"),
                Row(label: "已缴纳", value: "\(EventLabels.yuan(procedure.paidFen)) 元"),
                Row(label: "状态", value: procedure.closed ? "已结案" : "办理中"),
            ]
            if mayRecord, !procedure.closed {
                actions = procedure.decision == nil ? [action(.penaltyNotice), action(.decision)] : [action(.service), action(.payment)]
            }
            surcharge = try await lateSurcharge(procedure, steps: steps, today: today)
        } else if category == .complaint {
            let complaint = state.facts.complaint
            let latest = state.facts.latest
            heading = "投诉举报 \(key)"
            let venue = opening["venue"].map { "\($0["name"]?.stringValue ?? "")(\($0["address"]?.stringValue ?? ""))" }
            let institution = opening["institution"]?.stringValue
            facts = [
                Row(label: "渠道", value: EventLabels.text(opening["channel"] ?? .null)),
                Row(label: "所属区域", value: state.district ?? "—"),
                Row(label: institution != nil ? "被投诉机构" : "无证场所", value: institution ?? venue ?? "—",
                    href: institution.flatMap { StreamName(category: .institution, key: $0) }.flatMap(Pages.href)),
                Row(label: "投诉内容摘要", value: opening["summary"]?.stringValue ?? ""),
                Row(label: "举报人", value: entries.first?.reporter.map { $0 == "erased" ? "已删除(密钥已销毁)" : "已加密保存(仅投诉举报受理人员可查阅,每次查阅留痕)" }
                    ?? (complaint.anonymous ? "匿名" : "未留")),
                Row(label: "核查结果", value: complaint.finding.map { EventLabels.text(.string($0.rawValue)) } ?? "—"),
            ]
            if mayRecord {
                if latest[.complaintAccepted] == nil, latest[.complaintDeclined] == nil { actions = [action(.accept), action(.decline)] }
                if latest[.complaintAccepted] != nil, latest[.complaintVerified] == nil {
                    actions = complaint.extended ? [action(.verify)] : [action(.verify), action(.extend)]
                }
                if latest[.complaintVerified] ?? latest[.complaintDeclined] != nil, latest[.complaintAnswered] == nil { actions = [action(.answer)] }
            }
        } else {
            heading = opening["title"]?.stringValue ?? "提案 \(key)"
            facts = [
                Row(label: "会议", value: opening["session"]?.stringValue ?? ""),
                Row(label: "提案号", value: opening["number"]?.stringValue ?? ""),
                Row(label: "提案人", value: EventLabels.text(opening["proposers"] ?? .null)),
                Row(label: "办理类型", value: EventLabels.text(opening["role"] ?? .null)),
                Row(label: "承办区域", value: state.district ?? "全市"),
            ]
            if mayRecord { actions.append(action(.reply)) }
            if user.allows(.produceReplies) {
                actions.append(Pages.Link(href: "/reply?proposal=\(FormFields.percentEncoded(key))", label: "生成答复件"))
            }
        }
        return pages.render("procedure", title: heading, user: user, Page(
            heading: heading, recorded: Pages.recorded(request, in: entries), facts: facts,
            hasSteps: !steps.isEmpty, steps: steps.map { StepRow($0, today: today) }, surcharge: surcharge,
            actions: actions, eventCount: entries.count, entries: entries.map { Pages.Entry($0, services.configuration) }))
    }

    /// 加处罚款 (Art 72): from the day after payment was due, 3% of the fine a day, at most the
    /// fine itself; until paid, or until today while unpaid. Nil when nothing accrued.
    func lateSurcharge(_ procedure: CaseFacts, steps: [Step], today: CalendarDate) async throws -> String? {
        guard let payment = steps.first(where: { $0.kind == .payment }), let due = payment.due.day,
              let decision = procedure.decision, let institution = procedure.institution.flatMap({ StreamName(category: .institution, key: $0) })
        else { return nil }
        let until = payment.discharged ?? today
        let days = until.dayNumber - due.dayNumber
        guard days > 0 else { return nil }
        let events = try await services.pool.read { try History.of(institution, $0) }.map(\.event)
        guard let fine = try StreamState(name: institution, events: events, configuration: services.configuration)
            .facts.penalties[decision.decisionNo]?.fine, fine > 0 else { return nil }
        let accrued = min(fine, (fine * 3 * Int64(days) + 50) / 100)
        return "逾期缴纳 \(days) 天,依行政处罚法第七十二条加处罚款 \(EventLabels.yuan(accrued)) 元(每日按罚款数额的 3%,不超过罚款数额;不计入统计)"
    }

    // MARK: The proposals and the complaints

    /// A list of streams with their current step: the proposals, or the complaints.
    enum Listing {
        case proposals, complaints

        var kinds: [Obligation.Kind] {
            switch self {
            case .proposals: [.proposalReply]
            case .complaints: [.complaintAcceptance, .complaintVerification, .complaintAnswer]
            }
        }
    }

    struct ListPage: Sendable {
        let heading: String
        let subject: String
        let newHref: String
        let newLabel: String
        let empty: String
        let mayRecord: Bool
        let hasRows: Bool
        let rows: [Row]

        struct Row: Sendable {
            let href: String
            let label: String
            let district: String
            let step: StepRow
        }
    }

    /// Every proposal, or every complaint (the reader's district's, for an inspector of one),
    /// newest first, with its current step's deadline and whether it was met.
    func list(_ request: Request, _ context: LedgerRequestContext, _ listing: Listing) async throws -> Response {
        let user = try context.require(.readHistory)
        let district = user.role == .inspector ? user.district : nil
        let today = services.configuration.today
        let service = services.statistics
        let rows = try await services.pool.write { try service.latestSteps(of: listing.kinds, district: district, $0) }
        let (heading, subject, newHref, newLabel, empty) = switch listing {
        case .proposals: ("提案办理", "提案", "/proposals/new", "登记交办的提案", "还没有登记提案。")
        case .complaints: ("投诉举报", "投诉举报与当前环节", "/complaints/new", "登记投诉举报", "还没有登记投诉举报。")
        }
        return pages.render("procedures", title: heading, user: user, ListPage(
            heading: heading, subject: subject, newHref: newHref, newLabel: newLabel, empty: empty,
            mayRecord: user.allows(.append), hasRows: !rows.isEmpty,
            rows: rows.map { stream, district, step in
                .init(href: StreamName(stream).flatMap(Pages.href) ?? "", label: step.label, district: district ?? "全市",
                      step: StepRow(step, today: today))
            }))
    }
}
