import Accounts
import EventStore
import Foundation
import Hummingbird
import Ledger
import Reply

/// A form for a step people record by hand: on an institution an inspection (检查), a
/// rectification notice (责令整改通知书), a penalty (罚没款) or a new case (立案); on a case
/// the penalty notice (告知), the decision with its penalty (处罚决定), its service (送达) and a
/// payment (缴纳); a proposal received (交办) and its reply sent (答复). It builds the same events
/// an API client would send, appends them through the same path, and shows every problem next to
/// its field, keeping what was typed.
struct RecordForm: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case inspection, notice, penalty, `case`, blacklist, unblacklist
        case penaltyNotice = "penalty_notice", decision, service, payment
        case proposal, reply
        case complaint, accept, decline, extend, verify, answer

        var heading: String {
            switch self {
            case .inspection: "记录检查"
            case .notice: "下发责令整改通知书"
            case .penalty: "记录行政处罚(罚没款)"
            case .case: "立案"
            case .blacklist: "列入黑名单"
            case .unblacklist: "移出黑名单(信用修复)"
            case .penaltyNotice: "送达行政处罚事先告知书"
            case .decision: "作出处罚决定"
            case .service: "送达处罚决定书"
            case .payment: "记录缴纳罚没款"
            case .proposal: "登记交办的提案"
            case .reply: "记录已答复提案"
            case .complaint: "登记投诉举报"
            case .accept: "受理"
            case .decline: "不予受理"
            case .extend: "延长核查期限"
            case .verify: "记录核查结果"
            case .answer: "答复举报人"
            }
        }

        /// The stream the form records a step of; nil for a proposal received, which opens its own.
        var subject: StreamCategory? {
            switch self {
            case .inspection, .notice, .penalty, .case, .blacklist, .unblacklist: .institution
            case .penaltyNotice, .decision, .service, .payment: .case
            case .proposal, .complaint: nil
            case .reply: .proposal
            case .accept, .decline, .extend, .verify, .answer: .complaint
            }
        }
    }

    let kind: Kind
    let user: User
    /// The stream whose step is recorded (nil for a new proposal), and how the page names it.
    let subject: StreamName?
    let subjectText: String
    let district: String?
    /// A case's procedure (its institution, notice and decision), for its steps.
    let procedure: CaseFacts
    /// The choices the form offers: recent operations (an inspection), the replies produced for
    /// the proposal (a reply sent).
    let choices: [(key: String, label: String)]
    let today: CalendarDate
    let configuration: LedgerConfiguration
    let districts: [Pages.Option]

    /// The value of the operation choice that creates a new operation with the inspection.
    static let newOperation = "new"

    init(
        _ request: Request, _ context: LedgerRequestContext, services: LedgerServices, user: User, subject category: StreamCategory?,
        opening: Kind? = nil
    ) async throws {
        let kinds = opening.map { [$0] } ?? Kind.allCases.filter { $0.subject == category }
        let asked = FormFields.query(request).text("kind").flatMap(Kind.init(rawValue:)) ?? (kinds.count == 1 ? kinds.first : nil)
        guard let kind = asked, kinds.contains(kind) else {
            throw APIError.badRequest("kind must be one of \(kinds.map(\.rawValue).joined(separator: ", "))", field: "kind")
        }
        self.kind = kind
        self.user = user
        today = services.configuration.today
        configuration = services.configuration
        districts = Pages.districtOptions(selected: user.district, for: user, services.configuration)
        guard let category else {
            let what = kind == .complaint ? "投诉举报" : "提案"
            (subject, subjectText, district, procedure, choices) = (nil, user.district.map { "\($0)的\(what)" } ?? "全市或各区的\(what)", user.district, CaseFacts(), [])
            return
        }
        let (stream, entries, state) = try await services.history("\(category.rawValue)-\(try context.pathParameter("key"))", for: user)
        subject = stream
        district = state.district
        procedure = state.facts.procedure
        if let own = user.district, district != own {
            throw APIError(.forbidden, "forbidden", "\(stream) is in \(district ?? "no district"); you record events for \(own) only",
                           chinese: "\(stream) 属于\(district ?? "无区");您只能记录\(own)的事件")
        }
        let opening = entries.first?.event.data
        switch category {
        case .institution:
            subjectText = "\(InstitutionProfile(state).name)(\(stream.key)),\(district ?? "—")"
        case .case:
            subjectText = "案件 \(stream.key),机构 \(procedure.institution ?? "—"),\(district ?? "—")"
        case .complaint:
            subjectText = "投诉举报 \(stream.key),\(district ?? "—")"
        default:
            subjectText = "\(opening?["session"]?.stringValue ?? "")第\(opening?["number"]?.stringValue ?? "")号《\(opening?["title"]?.stringValue ?? "")》,\(district ?? "全市")"
        }
        let district = district
        switch kind {
        case .inspection:
            choices = try await services.pool.read { try InstitutionDirectory.recentOperations(district: district, $0) }
        case .reply:
            let replies = services.replies, local = services.configuration
            choices = try await services.pool.read { try replies.list($0) }
                .filter { $0.issued.proposal == stream.key }
                .map { ($0.key, "\($0.key):\($0.issued.from) 至 \($0.issued.to) 的数据,\($0.actor) 于 \(local.localDay($0.recordedAt)) 生成") }
        default:
            choices = []
        }
    }

    /// Where the form posts, and where it goes back to.
    var action: String {
        guard let page = subject.flatMap(Pages.href) else { return kind == .complaint ? "/complaints/new" : "/proposals/new" }
        return "\(page)/record?kind=\(kind.rawValue)"
    }

    var back: String { subject.flatMap(Pages.href) ?? (kind == .complaint ? "/complaints" : "/proposals") }

    /// Fields never shown again once submitted: a reporter's identity stays on no page (SPEC §12).
    static let confidential: Set<String> = ["reporter_name", "reporter_phone", "reporter_id_number"]

    // MARK: The page

    /// The form's page: what was typed, each problem next to its field.
    struct Page: Sendable {
        let heading: String
        let subject: String
        let action: String
        let back: String
        let id: String
        let hasErrors: Bool
        /// Problems that belong to no field, shown above the form.
        let general: [String]
        let fields: [Field]
    }

    struct Field: Sendable {
        let name: String
        let label: String
        let value: String
        var isHidden = false, isText = false, isDate = false, isArea = false, isSelect = false, isRadio = false, isChecks = false
        var error: String?
        var placeholder: String?
        var hint: String?
        var options: [Pages.Option] = []
    }

    func page(_ pages: Pages, values: FormFields, problems: [Problem]) -> Response {
        var errors: [String: String] = [:]
        var general: [String] = []
        let names = Set(fieldList(values, errors: [:]).map(\.name))
        for problem in problems {
            if let field = formField(for: problem.field), names.contains(field) {
                let reason = problem.because.chinese
                errors[field] = errors[field].map { "\($0);\(reason)" } ?? reason
            } else {
                general.append(problem.text(.chinese))
            }
        }
        let id = values.text("id") ?? UUID().lowercasedText
        let operationID = values.text("operation_id") ?? UUID().lowercasedText
        return pages.render("record", title: kind.heading, user: user, status: problems.isEmpty ? .ok : .unprocessableContent, Page(
            heading: kind.heading, subject: subjectText, action: action, back: back, id: id,
            hasErrors: !problems.isEmpty, general: general,
            fields: fieldList(values, errors: errors) + [Field(name: "operation_id", label: "", value: operationID, isHidden: true)]))
    }

    private func fieldList(_ values: FormFields, errors: [String: String]) -> [Field] {
        func field(_ name: String, _ label: String, _ type: String, placeholder: String? = nil, hint: String? = nil,
                   options: [(String, String)] = [], default defaultValue: String = "") -> Field {
            let value = Self.confidential.contains(name) ? "" : values[name] ?? defaultValue
            let checked = type == "checks" ? Set(options.map(\.0).filter { values["\(name).\($0)"] != nil }) : [value]
            return Field(
                name: name, label: label, value: value,
                isText: type == "text", isDate: type == "date", isArea: type == "area",
                isSelect: type == "select", isRadio: type == "radio", isChecks: type == "checks",
                error: errors[name], placeholder: placeholder, hint: hint,
                options: options.map { Pages.Option(value: $0.0, label: $0.1, selected: checked.contains($0.0)) })
        }
        func labelled<T: RawRepresentable>(_ cases: [T]) -> [(String, String)] where T.RawValue == String {
            cases.map { ($0.rawValue, EventLabels.values[$0.rawValue] ?? $0.rawValue) }
        }
        var fields = [field("occurred_on", kind == .proposal ? "交办日期" : kind == .complaint ? "收到日期" : "发生日期", "date", default: today.description)]
        switch kind {
        case .inspection:
            let choices = choices + [(Self.newOperation, "新建检查行动(与本次检查一并登记)")]
            fields += [
                field("operation", "所属检查行动", "select", options: choices, default: self.choices.first?.key ?? Self.newOperation),
                field("new_operation_kind", "新建行动的类型", "select", hint: "仅在新建检查行动时使用",
                      options: EventLabels.operationKinds.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, default: "daily_patrol"),
                field("new_operation_inspectors", "新建行动出动人员(人)", "text", placeholder: "例如 2", default: "2"),
                field("result", "检查结果", "radio", options: [("compliant", "合规"), ("issues_found", "发现问题")]),
                field("notes", "情况说明(选填)", "area"),
            ]
        case .notice:
            fields += [
                field("notice_no", "通知书编号", "text", placeholder: "例如 天教整〔2026〕12号"),
                field("deadline", "整改期限", "date"),
                field("items", "整改事项", "area", placeholder: "每行一项", hint: "每行填写一项整改要求"),
            ]
        case .penalty:
            fields += [
                field("decision_no", "处罚决定书编号", "text", placeholder: "例如 天教罚〔2026〕3号"),
                field("fine", "罚款(元)", "text", placeholder: "例如 20000 或 1500.50"),
                field("confiscated", "没收违法所得(元)", "text", placeholder: "没有填 0", default: "0"),
            ]
        case .case:
            fields += [
                field("case_key", "案件编号", "text", hint: "字母、数字和 . _ -,例如 TN-2026-007",
                      default: "\(subject?.key.prefix(40) ?? "")-\(today.description.replacingOccurrences(of: "-", with: ""))"),
                field("violation", "违法行为类型", "select", options: labelled(ViolationKind.allCases)),
                field("source", "案件来源", "select", options: labelled(CaseSource.allCases)),
                field("source_ref", "来源编号(选填)", "text", placeholder: "检查行动、投诉或抽查的编号"),
                field("violation_on", "违法行为发生日期", "date"),
                field("discovered_on", "发现日期", "date", default: today.description),
                field("officers", "承办执法人员", "area", placeholder: "每行一人,至少两人", default: user.name),
            ]
        case .penaltyNotice:
            fields += [
                field("proposed", "拟作出的处罚", "checks", options: labelled(PenaltyKind.allCases)),
                field("fine", "拟罚款(元)", "text", placeholder: "拟罚款时填写"),
                field("confiscated", "拟没收违法所得(元)", "text", placeholder: "拟没收时填写"),
                field("hearing_right", "告知听证权利", "radio", hint: "告知听证权利的,当事人可在 5 个工作日内申请听证",
                      options: [("true", "是"), ("false", "否")]),
            ]
        case .decision:
            let proposed = procedure.notice?.proposed ?? []
            fields += [
                field("decision_no", "处罚决定书编号", "text", placeholder: "例如 天教罚〔2026〕3号"),
                field("outcome", "处理结果", "radio", options: labelled(CaseOutcome.allCases), default: CaseOutcome.penalty.rawValue),
                field("penalties", "处罚种类", "checks", hint: "只能在告知书拟作出的处罚中选择(行政处罚法第四十五条)",
                      options: labelled(proposed.isEmpty ? PenaltyKind.allCases : proposed)),
                field("fine", "罚款(元)", "text", default: procedure.notice?.fineFen.map(EventLabels.yuan) ?? ""),
                field("confiscated", "没收违法所得(元)", "text", default: procedure.notice?.confiscatedFen.map(EventLabels.yuan) ?? ""),
            ]
        case .service:
            fields += [field("method", "送达方式", "radio", options: labelled(ServiceMethod.allCases), default: ServiceMethod.inPerson.rawValue)]
        case .payment:
            fields += [field("amount", "缴纳金额(元)", "text", placeholder: "例如 20000", hint: "已缴 \(EventLabels.yuan(procedure.paidFen)) 元")]
        case .proposal:
            fields += [
                field("proposal_key", "提案编号(系统内)", "text", hint: "字母、数字和 . _ -,例如 ZX-2026-0123"),
                field("session", "会议", "text", placeholder: "例如 市政协十四届三次会议"),
                field("number", "提案号", "text", placeholder: "例如 0123"),
                field("title", "标题", "text"),
                field("proposers", "提案人", "area", placeholder: "每行一人"),
                field("role", "办理类型", "radio", options: [("lead", "主办"), ("co", "协办")], default: "lead"),
                field("district", "承办区域", "select", options: districts.map { ($0.value, $0.label) }, default: user.district ?? ""),
                field("due_on", "答复期限(选填)", "date", hint: "不填则为交办后 3 个月(遇节假日顺延)"),
            ]
        case .complaint:
            fields += [
                field("complaint_key", "投诉举报编号(系统内)", "text", hint: "字母、数字和 . _ -,例如 12345-20261130-001"),
                field("channel", "渠道", "select", options: labelled(ComplaintChannel.allCases), default: ComplaintChannel.hotline12345.rawValue),
                field("district", "所属区域", "select",
                      options: (user.district == nil ? [("", "请选择")] : []) + districts.filter { !$0.value.isEmpty }.map { ($0.value, $0.label) },
                      default: user.district ?? ""),
                field("institution", "被投诉机构编号(已登记的)", "text", hint: "已登记机构填编号;无证场所填下面两项"),
                field("venue_name", "无证场所名称", "text"),
                field("venue_address", "无证场所地址", "text"),
                field("summary", "投诉内容摘要", "area", hint: "不要在摘要中写举报人的姓名、电话或证件号"),
                field("anonymous", "是否匿名", "radio", options: [("false", "实名"), ("true", "匿名")], default: "false"),
                field("reporter_name", "举报人姓名", "text", hint: "加密保存,只有投诉举报受理人员可查阅且每次查阅都留痕;提交后不再显示"),
                field("reporter_phone", "举报人电话(选填)", "text"),
                field("reporter_id_number", "举报人身份证号(选填)", "text"),
            ]
        case .accept:
            break
        case .blacklist:
            fields += [
                field("reason", "列入原因", "area"),
                field("case", "所依据的案件编号(选填)", "text"),
                field("until", "列入期限至(选填)", "date", hint: "不填则直至信用修复移出"),
            ]
        case .unblacklist:
            fields += [field("reason", "信用修复理由", "area")]
        case .decline, .extend:
            fields += [field("reason", kind == .decline ? "不予受理理由" : "延期理由", "area")]
        case .verify:
            fields += [
                field("finding", "核查结果", "radio", options: labelled(ComplaintFinding.allCases)),
                field("operation", "核查行动编号(选填)", "text", hint: "类型为“投诉核查”的检查行动"),
                field("case", "立案编号(选填)", "text", hint: "由本投诉立案的案件"),
            ]
        case .answer:
            fields += [field("summary", "答复内容摘要", "area")]
        case .reply:
            fields += [
                field("reply", "答复件", "select", hint: choices.isEmpty ? "尚未为该提案生成答复件:先在“提案答复”中生成" : nil,
                      options: choices.map { ($0.key, $0.label) }),
                field("classification", "答复类别", "radio", options: [
                    ("A", "A 所提问题已解决或采纳"), ("B", "B 正在解决或列入计划"), ("C", "C 因条件限制暂不能解决"),
                ]),
            ]
        }
        return fields
    }

    /// The form field a problem of the appended events belongs to (`data.fine_fen` → `fine`);
    /// nil, or a field the form does not have, shows it above the form.
    func formField(for path: String) -> String? {
        var name = path.hasPrefix("data.") ? String(path.dropFirst(5)) : path
        if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
        let renamed: [String: String] = [
            "data": "fine", "fine_fen": "fine", "confiscated_fen": "confiscated", "amount_fen": "amount",
            "kind": "new_operation_kind", "inspectors": "new_operation_inspectors",
            "stream": kind == .case ? "case_key" : kind == .proposal ? "proposal_key" : kind == .complaint ? "complaint_key" : "stream",
            "reporter.name": "reporter_name", "reporter.phone": "reporter_phone", "reporter.id_number": "reporter_id_number",
            "venue.name": "venue_name", "venue.address": "venue_address",
        ]
        return renamed[name] ?? (name.isEmpty ? nil : name)
    }

    // MARK: The events

    /// The events the form asks for, or the problems of the form itself (blank required fields,
    /// amounts that are not money).
    func submissions(_ values: FormFields) -> ([Submission], [Problem]) {
        var problems: [Problem] = []
        func required(_ name: String) -> String? {
            guard let value = values.text(name) else {
                problems.append(Problem(name, .formRequired))
                return nil
            }
            return value
        }
        func money(_ field: String, optional: Bool = false) -> JSON? {
            guard let text = values.text(field) else {
                if !optional { problems.append(Problem(field, .formRequired)) }
                return nil
            }
            guard let fen = Self.fen(fromYuan: text) else {
                problems.append(Problem(field, .formMoney))
                return nil
            }
            return .integer(fen)
        }
        func lines(_ field: String) -> JSON {
            .array((values[field] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(JSON.string))
        }
        func checked<T: RawRepresentable & CaseIterable>(_ field: String, _: T.Type) -> JSON where T.RawValue == String {
            .array(T.allCases.map(\.rawValue).filter { values["\(field).\($0)"] != nil }.map(JSON.string))
        }
        func key(_ field: String) -> String {
            let key = required(field) ?? ""
            if !key.isEmpty, !StreamName.isValidKey(key) {
                problems.append(Problem(field, .formKey))
            }
            return key
        }
        let id = values.text("id").flatMap { UUID(text: $0) } ?? UUID()
        let occurredOn = values.text("occurred_on") ?? ""
        var events: [JSON] = []
        var data: [String: JSON] = [:]
        var stream = subject?.description ?? ""
        let type: EventType
        switch kind {
        case .inspection:
            type = .institutionInspected
            var operation = required("operation") ?? ""
            if operation == Self.newOperation {
                let operationID = values.text("operation_id").flatMap { UUID(text: $0) } ?? UUID()
                operation = "web-" + occurredOn.replacingOccurrences(of: "-", with: "") + "-" + String(operationID.lowercasedText.prefix(8))
                let inspectors = Int64(values.text("new_operation_inspectors") ?? "")
                if inspectors == nil { problems.append(Problem("new_operation_inspectors", .formInspectors)) }
                events.append(event(id: operationID, stream: "operation-\(operation)", type: .operationConducted, occurredOn: occurredOn, data: [
                    "district": .string(district ?? ""), "kind": .string(values.text("new_operation_kind") ?? ""),
                    "inspectors": .integer(inspectors ?? 0),
                ]))
            }
            data["operation"] = .string(operation)
            data["result"] = .string(required("result") ?? "")
            if let notes = values.text("notes") { data["notes"] = .string(notes) }
        case .notice:
            type = .rectificationOrdered
            data["notice_no"] = .string(required("notice_no") ?? "")
            data["deadline"] = .string(required("deadline") ?? "")
            data["items"] = lines("items")
            if data["items"] == .array([]) { problems.append(Problem("items", .formItems)) }
        case .penalty:
            type = .penaltyImposed
            data["decision_no"] = .string(required("decision_no") ?? "")
            // A blank amount is 0 (the event says when both are).
            data["fine_fen"] = values.text("fine") == nil ? .integer(0) : money("fine")
            data["confiscated_fen"] = values.text("confiscated") == nil ? .integer(0) : money("confiscated")
        case .case:
            type = .caseOpened
            stream = "case-\(key("case_key"))"
            data = [
                "institution": .string(subject?.key ?? ""), "violation": .string(values.text("violation") ?? ""),
                "source": .string(values.text("source") ?? ""), "discovered_on": .string(required("discovered_on") ?? ""),
                "violation_on": .string(required("violation_on") ?? ""), "officers": lines("officers"),
            ]
            if let reference = values.text("source_ref") { data["source_ref"] = .string(reference) }
        case .penaltyNotice:
            type = .penaltyNoticeServed
            data["proposed"] = checked("proposed", PenaltyKind.self)
            data["fine_fen"] = money("fine", optional: true)
            data["confiscated_fen"] = money("confiscated", optional: true)
            data["hearing_right"] = required("hearing_right").map { .bool($0 == "true") }
        case .decision:
            type = .caseDecided
            let decision = required("decision_no") ?? ""
            let outcome = required("outcome") ?? ""
            let penalties = checked("penalties", PenaltyKind.self)
            data = ["decision_no": .string(decision), "outcome": .string(outcome), "penalties": penalties]
            // A penalty comes with its outcomes on the institution's stream, in the same call (SPEC §9).
            let chosen = Set(PenaltyKind.allCases.map(\.rawValue).filter { values["penalties.\($0)"] != nil })
            if outcome == CaseOutcome.penalty.rawValue, let institution = procedure.institution {
                let companion = "institution-\(institution)"
                let named: [String: JSON] = ["decision_no": .string(decision), "case": .string(subject?.key ?? "")]
                if !chosen.isDisjoint(with: [PenaltyKind.fine.rawValue, PenaltyKind.confiscation.rawValue]) {
                    var amounts = named
                    amounts["fine_fen"] = chosen.contains(PenaltyKind.fine.rawValue) ? money("fine") : .integer(0)
                    amounts["confiscated_fen"] = chosen.contains(PenaltyKind.confiscation.rawValue) ? money("confiscated") : .integer(0)
                    events.append(event(id: UUID(), stream: companion, type: .penaltyImposed, occurredOn: occurredOn, data: amounts))
                }
                if chosen.contains(PenaltyKind.warning.rawValue) {
                    events.append(event(id: UUID(), stream: companion, type: .warningIssued, occurredOn: occurredOn,
                                        data: named.merging(["reason": .string("处罚决定 \(decision):警告")]) { $1 }))
                }
                if chosen.contains(PenaltyKind.licenseRevoked.rawValue) {
                    events.append(event(id: UUID(), stream: companion, type: .institutionClosed, occurredOn: occurredOn,
                                        data: ["reason": .string(ClosureReason.licenseRevoked.rawValue), "case": .string(subject?.key ?? "")]))
                }
            }
        case .service:
            type = .decisionServed
            data["method"] = .string(required("method") ?? "")
        case .payment:
            type = .finePaid
            data["amount_fen"] = money("amount")
        case .proposal:
            type = .proposalReceived
            stream = "proposal-\(key("proposal_key"))"
            data = [
                "session": .string(required("session") ?? ""), "number": .string(required("number") ?? ""),
                "title": .string(required("title") ?? ""), "proposers": lines("proposers"), "role": .string(values.text("role") ?? ""),
            ]
            if let district = values.text("district") { data["district"] = .string(district) }
            if let due = values.text("due_on") { data["due_on"] = .string(due) }
        case .reply:
            type = .replySent
            data = ["reply": .string(required("reply") ?? ""), "classification": .string(required("classification") ?? "")]
        case .complaint:
            type = .complaintReceived
            stream = "complaint-\(key("complaint_key"))"
            let anonymous = values.text("anonymous") == "true"
            data = [
                "channel": .string(values.text("channel") ?? ""), "district": .string(required("district") ?? ""),
                "summary": .string(required("summary") ?? ""), "anonymous": .bool(anonymous),
            ]
            if let institution = values.text("institution") { data["institution"] = .string(institution) }
            if values.text("venue_name") != nil || values.text("venue_address") != nil {
                data["venue"] = .object(["name": .string(values.text("venue_name") ?? ""), "address": .string(values.text("venue_address") ?? "")])
            }
            if let name = values.text("reporter_name") {
                var reporter: [String: JSON] = ["name": .string(name)]
                if let phone = values.text("reporter_phone") { reporter["phone"] = .string(phone) }
                if let number = values.text("reporter_id_number") { reporter["id_number"] = .string(number) }
                data["reporter"] = .object(reporter)
            }
        case .blacklist:
            type = .blacklisted
            data["reason"] = .string(required("reason") ?? "")
            if let key = values.text("case") { data["case"] = .string(key) }
            if let until = values.text("until") { data["until"] = .string(until) }
        case .unblacklist:
            type = .unblacklisted
            data["reason"] = .string(required("reason") ?? "")
        case .accept:
            type = .complaintAccepted
        case .decline, .extend:
            type = kind == .decline ? .complaintDeclined : .complaintExtended
            data["reason"] = .string(required("reason") ?? "")
        case .verify:
            type = .complaintVerified
            data["finding"] = .string(required("finding") ?? "")
            for field in ["operation", "case"] { if let key = values.text(field) { data[field] = .string(key) } }
        case .answer:
            type = .complaintAnswered
            data["summary"] = .string(required("summary") ?? "")
        }
        // The step itself comes first: the companions of a decision follow it.
        events.insert(event(id: id, stream: stream, type: type, occurredOn: occurredOn, data: data),
                      at: kind == .decision ? 0 : events.count)
        guard problems.isEmpty else {
            // Nothing is appended; show, with the form's own problems, what the event checks say
            // of the other fields, so every mistake is shown at once.
            let fieldsWithProblems = Set(problems.map(\.field))
            for event in events {
                guard case .invalid(let found) = Envelope.decode(event, configuration: configuration, today: today) else { continue }
                problems += found.filter { formField(for: $0.field).map { !fieldsWithProblems.contains($0) } ?? true }
            }
            return ([], problems)
        }
        return (events.enumerated().map { Submission(line: $0.offset + 1, text: $0.element.canonicalText) }, [])
    }

    /// The stream the recorded step went to, and its id: where the page goes after saving.
    static func recorded(_ submissions: [Submission]) -> (stream: StreamName, id: String)? {
        guard let first = submissions.first, let json = try? JSONParser.parse(first.bytes),
              let stream = json["stream"]?.stringValue.flatMap(StreamName.init), let id = json["id"]?.stringValue else { return nil }
        // An inspection may open its operation first; the step is the last line then.
        if stream.category == .operation, let last = submissions.last, let json = try? JSONParser.parse(last.bytes),
           let stream = json["stream"]?.stringValue.flatMap(StreamName.init), let id = json["id"]?.stringValue {
            return (stream, id)
        }
        return (stream, id)
    }

    func event(id: UUID, stream: String, type: EventType, occurredOn: String, data: [String: JSON]) -> JSON {
        .object([
            "id": .string(id.lowercasedText), "stream": .string(stream), "type": .string(type.rawValue),
            "occurred_on": .string(occurredOn), "actor": .string(user.name), "data": .object(data),
        ])
    }

    /// `1500.5` 元 → 150050 分, exactly; nil for anything that is not an amount of money.
    static func fen(fromYuan text: String) -> Int64? {
        let parts = text.replacingOccurrences(of: ",", with: "").split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, parts[0].count <= 10,
              parts[0].allSatisfy(\.isASCII) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(fraction) else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return whole * 100 + cents
    }
}
