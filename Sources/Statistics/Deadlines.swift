import EventStore
import Ledger
import Postgres
import Projections

/// One open obligation on a day (SPEC §8): what is due, when, and how many working days are left.
public struct Obligation: Sendable, Equatable {
    /// The kinds of SPEC §8, with their wire names.
    public enum Kind: String, Sendable, CaseIterable {
        case decision, service, payment, publication, retraction
        case proposalReply = "proposal_reply"
        case drawInspection = "draw_inspection", drawPublication = "draw_publication"
        case complaintAcceptance = "complaint_acceptance", complaintVerification = "complaint_verification"
        case complaintAnswer = "complaint_answer"
        case rectification
    }

    public var kind: Kind
    public var stream: String
    /// The day it is due, or unknown when the working-day calendar of a year it needs is missing.
    public var due: WorkingCalendar.Due
    /// When due on or after the day asked: the working days in (day, due] (0 = due that day);
    /// otherwise minus the working days in (due, day]. Nil when the calendar cannot say.
    public var workingDaysLeft: Int?
    public var overdue: Bool
    public var district: String?
    /// A sentence for people: 完成整改(常教整〔2024〕3号) 截止2024-12-26.
    public var label: String
}

/// One obligation a stream created, open or discharged: a step of a case or a proposal with its
/// deadline, and whether it was met.
public struct Step: Sendable, Equatable {
    public var kind: Obligation.Kind
    public var created: CalendarDate
    public var due: WorkingCalendar.Due
    /// The day of the event that discharged it; nil while it is open.
    public var discharged: CalendarDate?
    public var label: String

    /// Whether it was discharged on or before its due day; nil while open or when the calendar
    /// cannot say.
    public var met: Bool? {
        guard let discharged, let due = due.day else { return nil }
        return discharged <= due
    }
}

/// What `ledger deadlines` is asked.
public struct DeadlinesRequest: Sendable, Equatable {
    public var on: CalendarDate
    public var district: String?
    public var kind: Obligation.Kind?

    public init(on: CalendarDate, district: String? = nil, kind: Obligation.Kind? = nil) {
        self.on = on
        self.district = district
        self.kind = kind
    }

    /// The request for what a person typed, checked as a statistics request is: a day within
    /// ``StatisticsRequest/askableDays`` (default today), a configured district, a known kind.
    public static func checked(
        on: String?, district: String?, kind: String?, _ configuration: LedgerConfiguration
    ) throws(StatisticsRequest.Invalid) -> DeadlinesRequest {
        let day = try on.map { text throws(StatisticsRequest.Invalid) in try StatisticsRequest.day(text, parameter: "on") } ?? configuration.today
        try StatisticsRequest.checkDistrict(district, configuration)
        var known: Obligation.Kind?
        if let kind {
            guard let value = Obligation.Kind(rawValue: kind) else {
                throw .init(
                    parameter: "kind", reason: .notOneOf(Obligation.Kind.allCases.map(\.rawValue).joined(separator: ", "), found: "'\(kind.prefix(40))'"),
                    isMalformed: true)
            }
            known = value
        }
        return DeadlinesRequest(on: day, district: district, kind: known)
    }
}

extension StatisticsService {
    /// The open obligations `request` asks for, from the read models now (caught up) or replayed
    /// at `position`.
    public func deadlines(_ request: DeadlinesRequest, atPosition position: Int64? = nil, _ connection: Connection) throws -> [Obligation] {
        try read(atPosition: position, connection) { generations, common in
            try Deadlines.open(request, generations: generations, position: common, configuration: query.configuration, connection)
        }
    }

    /// Every obligation `stream` created, open or discharged, from the read models now, in the
    /// order they were created.
    public func steps(of stream: String, _ connection: Connection) throws -> [Step] {
        try steps("stream = \(stream)", connection).map(\.step).sorted { ($0.created, $0.kind.rawValue) < ($1.created, $1.kind.rawValue) }
    }

    /// The latest step of each stream with obligations of `kinds` (of `district`, when given):
    /// each proposal's reply, each complaint's current clock; newest first.
    public func latestSteps(
        of kinds: [Obligation.Kind], district: String?, _ connection: Connection
    ) throws -> [(stream: String, district: String?, step: Step)] {
        let inDistrict: SQL = district.map { "district = \($0)" } ?? "true"
        let all = try steps("kind = ANY(\(TextArray(kinds.map(\.rawValue)))::text[]) AND \(inDistrict)", connection)
        let latest = Dictionary(all.map { ($0.stream, $0) }) { a, b in (a.step.created, a.step.kind.rawValue) >= (b.step.created, b.step.kind.rawValue) ? a : b }
        return latest.values.sorted { ($0.step.created, $0.stream) > ($1.step.created, $1.stream) }
    }

    func steps(_ condition: SQL, _ connection: Connection) throws -> [(stream: String, district: String?, step: Step)] {
        try read(atPosition: nil, connection) { generations, common in
            try Deadlines.read(condition, generations: generations, position: common, configuration: query.configuration, connection).map {
                ($0.stream, $0.district, Step(kind: $0.kind, created: $0.created, due: $0.due, discharged: $0.discharged, label: $0.label))
            }
        }
    }
}

/// The open obligations on a day, most urgent first: from the obligations read model, with the
/// deadlines computed on the working-day calendar as the ledger held it at the same position.
public enum Deadlines {
    public static func open(
        _ request: DeadlinesRequest, generations: [String: ProjectionEngine.Generation], position: Int64,
        configuration: LedgerConfiguration, _ connection: Connection
    ) throws -> [Obligation] {
        let day = request.on.description
        let district: SQL = request.district.map { "district = \($0)" } ?? "true"
        let kind: SQL = request.kind.map { "kind = \($0.rawValue)" } ?? "true"
        let rows = try read(
            "created_on <= \(day)::date AND (discharged_on IS NULL OR discharged_on > \(day)::date) AND \(district) AND \(kind)",
            generations: generations, position: position, configuration: configuration, connection)
        let obligations = rows.map { row in
            Obligation(
                kind: row.kind, stream: row.stream, due: row.due,
                workingDaysLeft: row.due.day.flatMap { row.calendar.workingDaysLeft(on: request.on, until: $0) },
                overdue: row.due.day.map { $0 < request.on } ?? false, district: row.district,
                label: row.label + " " + dueText(row.due))
        }
        // By due day (unknown last), then stream.
        return obligations.sorted { a, b in
            switch (a.due.day, b.due.day) {
            case let (x?, y?) where x != y: x < y
            case (nil, _?): false
            case (_?, nil): true
            default: (a.stream, a.kind.rawValue) < (b.stream, b.kind.rawValue)
            }
        }
    }

    /// `截止2024-12-26`, or why the due day is unknown.
    public static func dueText(_ due: WorkingCalendar.Due) -> String {
        due.day.map { "截止\($0)" } ?? "截止日期未知(缺少\(missingYear(due))年工作日历)"
    }

    /// An obligation row read, with its due day on the calendar as the ledger held it at `position`.
    struct Read {
        var stream: String
        var kind: Obligation.Kind
        var created: CalendarDate
        var due: WorkingCalendar.Due
        var discharged: CalendarDate?
        var district: String?
        var label: String
        var calendar: WorkingCalendar
    }

    static func read(
        _ condition: SQL, generations: [String: ProjectionEngine.Generation], position: Int64,
        configuration: LedgerConfiguration, _ connection: Connection
    ) throws -> [Read] {
        guard let schema = generations["obligations"]?.schema else { throw LedgerError("the obligations read model is missing") }
        let rows = try connection.execute("""
            SELECT stream, kind, created_on::text AS created_on, due_on::text AS due_on, due_months, due_days,
                   due_working_days, due_base::text AS due_base, district, discharged_on::text AS discharged_on, label
              FROM \(identifier: schema).obligations
             WHERE \(condition)
            """)
        let calendar = try WorkingCalendar.published(atPosition: position, configuration: configuration, connection)
        return try rows.map { row in
            guard let kind = row["kind"].flatMap(Obligation.Kind.init(rawValue:)),
                  let created = row["created_on"].flatMap(CalendarDate.init) else {
                throw LedgerError("an obligation row of \(row["stream"] ?? "?") does not read")
            }
            return Read(
                stream: row["stream"] ?? "", kind: kind, created: created, due: try due(row, created: created, calendar),
                discharged: row["discharged_on"].flatMap(CalendarDate.init), district: row["district"],
                label: row["label"] ?? kind.rawValue, calendar: calendar)
        }
    }

    /// An obligation row's due day: the date given in the data as given, else its months, days or
    /// working days after it was created, on the calendar.
    static func due(_ row: Row, created: CalendarDate, _ calendar: WorkingCalendar) throws -> WorkingCalendar.Due {
        if let fixed = row["due_on"].flatMap(CalendarDate.init) { return .on(fixed) }
        let created = row["due_base"].flatMap(CalendarDate.init) ?? created
        if let months: Int = try row.decodeIfPresent("due_months") { return calendar.months(months, after: created) }
        if let days: Int = try row.decodeIfPresent("due_days") { return calendar.days(days, after: created) }
        return calendar.workingDays(try row.decode("due_working_days"), after: created)
    }

    static func missingYear(_ due: WorkingCalendar.Due) -> String {
        if case .unknown(let year) = due { "\(year)" } else { "" }
    }
}

extension [Obligation] {
    /// SPEC §8's JSON: an array of `{kind, stream, due_on, working_days_left, overdue, district, label}`.
    public var jsonText: String {
        Ordered.array(map { obligation in
            .object([
                ("kind", .string(obligation.kind.rawValue)), ("stream", .string(obligation.stream)),
                ("due_on", obligation.due.day.map { .string($0.description) } ?? .null),
                ("working_days_left", obligation.workingDaysLeft.map { .integer(Int64($0)) } ?? .null),
                ("overdue", .bool(obligation.overdue)),
                ("district", obligation.district.map(Ordered.string) ?? .null), ("label", .string(obligation.label)),
            ])
        }).pretty(indent: 0)
    }

    /// Aligned rows for people: due day, working days left, district, what, stream.
    public var tableText: String {
        guard !isEmpty else { return "没有未完成的待办事项" }
        let rows = [["截止日", "剩余工作日", "区域", "事项", "流"]] + map { obligation in
            [obligation.due.day?.description ?? "未知",
             obligation.workingDaysLeft.map { $0 < 0 ? "逾期\(-$0)" : "\($0)" } ?? "—",
             obligation.district ?? "全市", obligation.label, obligation.stream]
        }
        let widths = (0..<5).map { column in rows.map { Statistics.displayWidth($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - Statistics.displayWidth(cell) + 2)
            }.joined()
        }.joined(separator: "\n")
    }

    /// A header and a row per obligation (RFC 4180, UTF-8 with a BOM), the JSON's columns.
    public var csvText: String {
        let header = "kind,stream,due_on,working_days_left,overdue,district,label\r\n"
        return "\u{FEFF}" + header + map { obligation in
            [obligation.kind.rawValue, obligation.stream, obligation.due.day?.description ?? "",
             obligation.workingDaysLeft.map(String.init) ?? "", obligation.overdue ? "true" : "false",
             obligation.district ?? "", obligation.label].map(Statistics.csvCell).joined(separator: ",") + "\r\n"
        }.joined()
    }
}
