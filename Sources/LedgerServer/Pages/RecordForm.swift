import Accounts
import EventStore
import Foundation
import Hummingbird
import Ledger

/// The inspector's form for one institution: an inspection (检查), a rectification notice
/// (责令整改通知书) or a penalty (罚没款). It builds the same events an API client would send,
/// appends them through the same path, and shows every problem next to its field, keeping what
/// was typed.
struct RecordForm: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case inspection, notice, penalty

        var heading: String {
            switch self {
            case .inspection: "记录检查"
            case .notice: "下发责令整改通知书"
            case .penalty: "记录行政处罚(罚没款)"
            }
        }
    }

    let kind: Kind
    let key: String
    let user: User
    let profile: InstitutionProfile
    let operations: [(key: String, label: String)]
    let today: CalendarDate
    let configuration: LedgerConfiguration

    /// The value of the operation choice that creates a new operation with the inspection.
    static let newOperation = "new"

    init(_ request: Request, _ context: LedgerRequestContext, services: LedgerServices, user: User) async throws {
        guard let kind = FormFields.query(request).text("kind").flatMap(Kind.init(rawValue:)) else {
            throw APIError.badRequest("kind must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
        }
        self.kind = kind
        self.user = user
        key = try context.pathParameter("key")
        today = services.configuration.today
        configuration = services.configuration
        let (_, _, today) = try await services.history("institution-\(key)", for: user)
        profile = InstitutionProfile(today)
        if let own = user.district, profile.district != own {
            throw APIError(.forbidden, "forbidden", "this institution is in \(profile.district ?? "no district"); you record events for \(own) only")
        }
        let district = profile.district
        operations = kind == .inspection
            ? try await services.pool.read { try InstitutionDirectory.recentOperations(district: district, $0) } : []
    }

    // MARK: The page

    /// The form's page: what was typed, each problem next to its field.
    struct Page: Sendable {
        let heading: String
        let kind: String
        let key: String
        let institutionName: String
        let district: String
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
        var isHidden = false, isText = false, isDate = false, isArea = false, isSelect = false, isRadio = false
        var error: String?
        var placeholder: String?
        var hint: String?
        var options: [Pages.Option] = []
    }

    func page(_ pages: Pages, values: FormFields, problems: [Problem]) -> Response {
        var errors: [String: String] = [:]
        var general: [String] = []
        for problem in problems {
            if let field = Self.formField(for: problem.field) {
                let reason = problem.reason == "is required" ? "必填" : problem.reason
                errors[field] = errors[field].map { "\($0);\(reason)" } ?? reason
            } else {
                general.append(problem.description)
            }
        }
        let id = values.text("id") ?? UUID().lowercasedText
        let operationID = values.text("operation_id") ?? UUID().lowercasedText
        return pages.render("record", title: kind.heading, user: user, status: problems.isEmpty ? .ok : .unprocessableContent, Page(
            heading: kind.heading, kind: kind.rawValue, key: key, institutionName: profile.name,
            district: profile.district ?? "—", id: id, hasErrors: !problems.isEmpty, general: general,
            fields: fieldList(values, errors: errors) + [Field(name: "operation_id", label: "", value: operationID, isHidden: true)]))
    }

    private func fieldList(_ values: FormFields, errors: [String: String]) -> [Field] {
        func field(_ name: String, _ label: String, _ type: String, placeholder: String? = nil, hint: String? = nil,
                   options: [(String, String)] = [], default defaultValue: String = "") -> Field {
            let value = values[name] ?? defaultValue
            return Field(
                name: name, label: label, value: value,
                isText: type == "text", isDate: type == "date", isArea: type == "area",
                isSelect: type == "select", isRadio: type == "radio",
                error: errors[name], placeholder: placeholder, hint: hint,
                options: options.map { Pages.Option(value: $0.0, label: $0.1, selected: $0.0 == value) })
        }
        var fields = [field("occurred_on", "发生日期", "date", default: today.description)]
        switch kind {
        case .inspection:
            let choices = operations.map { ($0.key, $0.label) } + [(Self.newOperation, "新建检查行动(与本次检查一并登记)")]
            fields += [
                field("operation", "所属检查行动", "select", options: choices, default: operations.first?.key ?? Self.newOperation),
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
        }
        return fields
    }

    /// The form field a problem of the appended events belongs to; nil shows it above the form.
    static func formField(for path: String) -> String? {
        let mapped: [String: String] = [
            "occurred_on": "occurred_on", "data.operation": "operation", "data.result": "result", "data.notes": "notes",
            "data.notice_no": "notice_no", "data.deadline": "deadline", "data.items": "items",
            "data.decision_no": "decision_no", "data.fine_fen": "fine", "data.confiscated_fen": "confiscated", "data": "fine",
            "data.kind": "new_operation_kind", "data.inspectors": "new_operation_inspectors",
        ]
        if let field = mapped[path] { return field }
        if path.hasPrefix("data.items[") { return "items" }
        let formFields: Set<String> = [
            "occurred_on", "operation", "new_operation_kind", "new_operation_inspectors", "result", "notes",
            "notice_no", "deadline", "items", "decision_no", "fine", "confiscated",
        ]
        return formFields.contains(path) ? path : nil
    }

    // MARK: The events

    /// The events the form asks for, or the problems of the form itself (blank required fields,
    /// amounts that are not money).
    func submissions(_ values: FormFields) -> ([Submission], [Problem]) {
        var problems: [Problem] = []
        func required(_ name: String) -> String? {
            guard let value = values.text(name) else {
                problems.append(Problem(name, "必填"))
                return nil
            }
            return value
        }
        let id = values.text("id").flatMap { UUID(text: $0) } ?? UUID()
        let occurredOn = values.text("occurred_on") ?? ""
        var events: [JSON] = []
        var data: [String: JSON] = [:]
        switch kind {
        case .inspection:
            var operation = required("operation") ?? ""
            if operation == Self.newOperation {
                let operationID = values.text("operation_id").flatMap { UUID(text: $0) } ?? UUID()
                operation = "web-" + occurredOn.replacingOccurrences(of: "-", with: "") + "-" + String(operationID.lowercasedText.prefix(8))
                let inspectors = Int64(values.text("new_operation_inspectors") ?? "")
                if inspectors == nil { problems.append(Problem("new_operation_inspectors", "填写出动人数(整数)")) }
                events.append(event(id: operationID, stream: "operation-\(operation)", type: .operationConducted, occurredOn: occurredOn, data: [
                    "district": .string(profile.district ?? ""), "kind": .string(values.text("new_operation_kind") ?? ""),
                    "inspectors": .integer(inspectors ?? 0),
                ]))
            }
            data["operation"] = .string(operation)
            data["result"] = .string(required("result") ?? "")
            if let notes = values.text("notes") { data["notes"] = .string(notes) }
        case .notice:
            data["notice_no"] = .string(required("notice_no") ?? "")
            data["deadline"] = .string(required("deadline") ?? "")
            let items = (values["items"] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if items.isEmpty { problems.append(Problem("items", "至少填写一项整改事项")) }
            data["items"] = .array(items.map(JSON.string))
        case .penalty:
            data["decision_no"] = .string(required("decision_no") ?? "")
            for (field, key) in [("fine", "fine_fen"), ("confiscated", "confiscated_fen")] {
                let text = values.text(field) ?? "0"
                guard let fen = Self.fen(fromYuan: text) else {
                    problems.append(Problem(field, "填写金额(元),最多两位小数,例如 1500.50"))
                    continue
                }
                data[key] = .integer(fen)
            }
        }
        let type: EventType = switch kind {
        case .inspection: .institutionInspected
        case .notice: .rectificationOrdered
        case .penalty: .penaltyImposed
        }
        events.append(event(id: id, stream: "institution-\(key)", type: type, occurredOn: occurredOn, data: data))
        guard problems.isEmpty else {
            // Nothing is appended; show, with the form's own problems, what the event checks say
            // of the other fields, so every mistake is shown at once.
            let fieldsWithProblems = Set(problems.map(\.field))
            for event in events {
                guard case .invalid(let found) = Envelope.decode(event, configuration: configuration, today: today) else { continue }
                problems += found.filter { Self.formField(for: $0.field).map { !fieldsWithProblems.contains($0) } ?? true }
            }
            return ([], problems)
        }
        return (events.enumerated().map { Submission(line: $0.offset + 1, text: $0.element.canonicalText) }, [])
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
