import EventStore
import Foundation
import Ledger
import Postgres
import Statistics
import TestSupport
import Testing

/// `ledger deadlines` (SPEC §8) on a hand-made history with every kind of obligation the ledger
/// records so far (rectification notices, council proposals), on and across holidays, after a late
/// entry, a void, a relocation and a calendar correction.
@Suite struct DeadlinesTests {
    static let today = CalendarDate("2026-11-30")!

    func ledger(_ label: String) throws -> TestLedger {
        let ledger = try TestLedger(label, today: Self.today)
        try ledger.append(TestDatabase.shippedCalendars())
        try ledger.append([
            line("institution-I1", "InstitutionRegistered", #"{"name":"学堂","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2024-01-01"),
            line("institution-I1", "RectificationOrdered", #"{"notice_no":"N1","deadline":"2024-10-08","items":["停止违规招生"]}"#, on: "2024-09-20"),
            line("proposal-P1", "ProposalReceived", Self.proposal("0001"), on: "2024-06-30"),
            line("proposal-P2", "ProposalReceived", Self.proposal("0002"), on: "2024-07-01"),
            line("proposal-P3", "ProposalReceived", Self.proposal("0003", extra: #","due_on":"2024-10-05""#), on: "2024-07-02"),
            line("proposal-P4", "ProposalReceived", Self.proposal("0004"), on: "2026-10-15"),
        ])
        return ledger
    }

    static func proposal(_ number: String, extra: String = "") -> String {
        #"{"session":"市人大十七届三次会议","number":"\#(number)","title":"关于校外培训的建议","proposers":["王某"],"role":"lead","district":"天宁区"\#(extra)}"#
    }

    func line(_ stream: String, _ type: String, _ data: String, id: String = UUID().uuidString.lowercased(), on day: String, actor: String = "tester") -> String {
        #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(day)","actor":"\#(actor)","data":\#(data)}"#
    }

    /// The record of a reply produced for proposal `proposal` (which its `ReplySent` names).
    func replyIssued(_ key: String, for proposal: String, on date: String) -> String {
        let hashes = #""digest":"\#(String(repeating: "a", count: 64))","text_sha256":"\#(String(repeating: "b", count: 64))""#
        return line("reply-\(key)", "ReplyIssued", #"{"from":"2024-01-01","to":"2024-06-30","baseline":"2021-07-24","position":1,\#(hashes),"format":"text","proposal":"\#(proposal)"}"#, on: date)
    }

    func open(_ ledger: TestLedger, on day: String, district: String? = nil, at position: Int64? = nil) throws -> [Obligation] {
        let request = DeadlinesRequest(on: CalendarDate(day)!, district: district)
        return try StatisticsService(configuration: .changzhou).deadlines(request, atPosition: position, ledger.database.connect())
    }

    func summary(_ obligations: [Obligation]) -> [String] {
        obligations.map { "\($0.stream) \($0.due) \($0.workingDaysLeft.map(String.init) ?? "nil")\($0.overdue ? " overdue" : "")" }
    }

    @Test func dueDaysOnTheCalendarMostUrgentFirst() throws {
        let ledger = try ledger("deadlines_calendar")
        // 3 months after 06-30 is 09-30, a working day; after 07-01 it is 10-01, in the National
        // Day holiday, so 10-08; P3's own due_on (10-05, a holiday) is used as given, as is the
        // notice's deadline. Working days left from 09-27 count the 调休 Sunday 09-29.
        #expect(summary(try open(ledger, on: "2024-09-27")) == [
            "proposal-P1 2024-09-30 2",
            "proposal-P3 2024-10-05 2",
            "institution-I1 2024-10-08 3",
            "proposal-P2 2024-10-08 3",
        ])
        #expect(summary(try open(ledger, on: "2024-10-09")) == [
            "proposal-P1 2024-09-30 -2 overdue",
            "proposal-P3 2024-10-05 -2 overdue",
            "institution-I1 2024-10-08 -1 overdue",
            "proposal-P2 2024-10-08 -1 overdue",
        ])
        // Nothing is open before what creates it.
        #expect(try open(ledger, on: "2024-06-29").isEmpty)
    }

    @Test func aDeadlineInAYearWithoutACalendarIsUnknownAndLast() throws {
        let ledger = try ledger("deadlines_unknown")
        let open = try open(ledger, on: "2026-11-30")
        let last = try #require(open.last)
        #expect(last.stream == "proposal-P4")
        #expect(last.due == .unknown(missingYear: 2027))
        #expect(last.workingDaysLeft == nil && !last.overdue)
        #expect(last.label.contains("截止日期未知(缺少2027年工作日历)"))
        #expect([last].jsonText.contains(#""due_on": null"#))
    }

    @Test func lateEntriesVoidsRelocationsAndCorrectionsChangeTheList() throws {
        let ledger = try ledger("deadlines_late")
        let before = try EventStore().headPosition(ledger.database.connect())
        // A reply sent on 09-29, recorded late; the notice verified completed on 10-08.
        let replySent = UUID().uuidString.lowercased()
        try ledger.append([
            replyIssued("R1", for: "P1", on: "2024-09-29"),
            line("proposal-P1", "ReplySent", #"{"reply":"R1","classification":"A"}"#, id: replySent, on: "2024-09-29"),
            line("institution-I1", "RectificationVerified", #"{"notice_no":"N1","outcome":"completed"}"#, on: "2024-10-08"),
        ])
        #expect(try open(ledger, on: "2024-10-09").map(\.stream) == ["proposal-P3", "proposal-P2"])
        #expect(try open(ledger, on: "2024-10-07").map(\.stream) == ["proposal-P3", "institution-I1", "proposal-P2"])
        // As the ledger stood before: P1 still open.
        #expect(try open(ledger, on: "2024-10-09", at: before).map(\.stream).contains("proposal-P1"))
        // The reply voided: P1 is open again.
        try ledger.append([line("proposal-P1", "EntryVoided", #"{"event_id":"\#(replySent)","reason":"误录"}"#, on: "2024-10-10")])
        #expect(try open(ledger, on: "2024-10-09").map(\.stream).first == "proposal-P1")
        // A relocation recorded late, dated before the notice: the notice counts in 钟楼区.
        try ledger.append([line("institution-I1", "InstitutionRelocated", #"{"district":"钟楼区"}"#, on: "2024-09-01")])
        #expect(try open(ledger, on: "2024-10-07", district: "钟楼区").map(\.stream) == ["institution-I1"])
        #expect(try !open(ledger, on: "2024-10-07", district: "天宁区").map(\.stream).contains("institution-I1"))
        // A correction of the 2024 calendar making 09-30 a day off moves P1's due day to 10-08.
        let connection = try ledger.database.connect()
        let published = try WorkingCalendar.published(configuration: .changzhou, connection).years[2024]!
        let holidays = (published.holidays.map(\.description) + ["2024-09-30"]).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let workdays = published.workdays.map(\.description).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        try ledger.append([line("calendar-2024", "CalendarPublished", #"{"holidays":[\#(holidays)],"workdays":[\#(workdays)],"source":"更正"}"#, on: "2024-09-02")])
        let p1 = try #require(try open(ledger, on: "2024-09-27").first { $0.stream == "proposal-P1" })
        #expect(p1.due == .on(CalendarDate("2024-10-08")!))
    }

    /// The `proposals` figures, from the read model and the calendar, equal their provenance query
    /// on the log (whose due days come from `ledger.working_day_on_or_after`).
    @Test func theProposalFiguresAgreeWithTheirProvenanceQuery() throws {
        let ledger = try ledger("deadlines_figures")
        try ledger.append([
            replyIssued("R2", for: "P2", on: "2024-10-06"),
            // P2 due 10-08 (3 months after 07-01 is in the holiday): answered on time on 10-08.
            line("proposal-P2", "ReplySent", #"{"reply":"R2","classification":"B"}"#, on: "2024-10-08"),
            line("proposal-P2", "ProposerFeedback", #"{"satisfaction":"satisfied"}"#, on: "2024-10-20"),
            // P3 due 10-05 as given: answered late on 10-06.
            replyIssued("R3", for: "P3", on: "2024-10-06"),
            line("proposal-P3", "ReplySent", #"{"reply":"R3","classification":"A"}"#, on: "2024-10-06"),
        ])
        try expectFigure("proposals", in: ledger, [
            ("2024-01-01", "2024-12-31", nil, "3/2/1/1/1/0/0"),
            ("2024-07-01", "2024-10-07", nil, "2/1/0/1/0/0/0"),
            ("2024-01-01", "2024-12-31", "天宁区", "3/2/1/1/1/0/0"),
            ("2024-01-01", "2024-12-31", "钟楼区", "0/0/0/0/0/0/0"),
            ("2026-01-01", "2026-11-30", nil, "1/0/0/1/0/0/0"),
        ])
    }

    /// A case's obligations: the decision (90 days), the service (7 working days) and the payment
    /// (15 days), each on the calendar; a voided service reopens it and closes the payment; the
    /// `cases` figures agree with their provenance query.
    @Test func aCasesDecisionServiceAndPaymentFallDueOnTheCalendar() throws {
        let ledger = try ledger("deadlines_case")
        let decision = "天教罚〔2024〕11号"
        try ledger.append([
            line("case-K1", "CaseOpened", #"{"institution":"I1","violation":"overcharging","source":"complaint","discovered_on":"2024-06-28","violation_on":"2024-06-01","officers":["张三","李四"]}"#, on: "2024-07-01"),
            line("case-K1", "PenaltyNoticeServed", #"{"proposed":["fine"],"fine_fen":2000000,"hearing_right":false}"#, on: "2024-09-10"),
        ])
        // 90 days after 07-01 is 09-29, a 调休 Sunday worked: due that day.
        #expect(summary(try open(ledger, on: "2024-09-30").filter { $0.stream == "case-K1" }) == ["case-K1 2024-09-29 -1 overdue"])
        try ledger.append([
            line("case-K1", "CaseDecided", #"{"decision_no":"\#(decision)","outcome":"penalty","penalties":["fine"]}"#, on: "2024-10-15"),
            line("institution-I1", "PenaltyImposed", #"{"decision_no":"\#(decision)","fine_fen":2000000,"confiscated_fen":0,"case":"K1"}"#, on: "2024-10-15"),
        ])
        // Service within 7 working days of 10-15: 10-24.
        let service = try #require(try open(ledger, on: "2024-10-20").first { $0.kind == .service })
        #expect(service.due == .on(CalendarDate("2024-10-24")!) && service.workingDaysLeft == 4)
        let served = UUID().uuidString.lowercased()
        try ledger.append([line("case-K1", "DecisionServed", #"{"method":"post"}"#, id: served, on: "2024-10-25")])
        // Payment 15 days after 10-25: 11-09, a Saturday, so 11-11.
        let payment = try #require(try open(ledger, on: "2024-11-01").first { $0.kind == .payment })
        #expect(payment.due == .on(CalendarDate("2024-11-11")!) && payment.workingDaysLeft == 6)
        // The service voided: it is open again (overdue), and nothing is yet to be paid.
        try ledger.append([line("case-K1", "EntryVoided", #"{"event_id":"\#(served)","reason":"送达地址有误"}"#, on: "2024-10-28")])
        #expect(try open(ledger, on: "2024-11-01").filter { $0.stream == "case-K1" }.map(\.kind) == [.service])
        try ledger.append([
            line("case-K1", "DecisionServed", #"{"method":"in_person"}"#, on: "2024-11-04"),
            line("case-K1", "FinePaid", #"{"amount_fen":2000000}"#, on: "2024-11-12"),
            line("case-K1", "CaseClosed", #"{"summary":"结案"}"#, on: "2024-11-13"),
        ])
        #expect(try open(ledger, on: "2024-11-20").filter { $0.stream == "case-K1" }.isEmpty)

        try expectFigure("cases", in: ledger, [
            ("2024-01-01", "2024-12-31", nil, "1/1/0/0/1"),
            ("2024-07-01", "2024-09-30", nil, "1/0/0/1/0"),
            ("2024-01-01", "2024-12-31", "天宁区", "1/1/0/0/1"),
            ("2024-01-01", "2024-12-31", "钟楼区", "0/0/0/0/0"),
        ])
    }

    /// The figure `key` for each period and district, from the read models, is the expected text
    /// and what its provenance query derives from the log.
    /// A draw's obligations (each target by the window's end; the results 20 working days after
    /// it) and its `random_checks` figures, equal to their provenance query on the log.
    @Test func aDrawsTargetsAndResultsFallDueAndAreCounted() throws {
        let ledger = try ledger("deadlines_draws")
        let planID = UUID()
        let plan = #"{"district":"天宁区","matters":["办学资质"],"count":2,"inspectors":["a","b","c"],"per_target":2,"window":{"from":"2024-09-02","to":"2024-09-27"}}"#
        try ledger.append([
            line("institution-I2", "InstitutionRegistered", #"{"name":"学堂二","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2024-01-01"),
            line("institution-I3", "InstitutionRegistered", #"{"name":"学堂三","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2024-01-01"),
            line("draw-D1", "DrawPlanned", plan, id: planID.lowercasedText, on: "2024-08-30"),
            line("operation-O1", "OperationConducted", #"{"district":"天宁区","kind":"random_check","inspectors":2}"#, on: "2024-09-10"),
        ])
        let connection = try ledger.database.connect()
        let draw = try #require(try RecordedDraw.read("D1", configuration: .changzhou, connection))
        let targets = try draw.expected(beacon: "B1")
        let list = targets.map { #"{"institution":"\#($0.institution)","inspectors":["\#($0.inspectors.joined(separator: "\",\""))"]}"# }.joined(separator: ",")
        try ledger.append([line("draw-D1", "DrawPerformed", #"{"beacon":"B1","beacon_date":"2024-08-31","targets":[\#(list)]}"#, on: "2024-09-01")])
        // On 09-27 both targets are due today; the results 20 working days after 09-27: 10-30
        // (the National Day holiday 10-01…10-07 is off; 09-29 and 10-12 are worked).
        let due = try open(ledger, on: "2024-09-27").filter { $0.stream == "draw-D1" }
        #expect(due.map(\.kind) == [.drawInspection, .drawInspection, .drawPublication])
        #expect(due.last?.due == .on(CalendarDate("2024-10-30")!))
        let publicationDue = try #require(due.last?.due.day)
        let first = targets[0], second = targets[1]
        try ledger.append([
            line("institution-\(first.institution)", "InstitutionInspected", #"{"operation":"O1","result":"issues_found","draw":"D1"}"#, on: "2024-09-10", actor: first.inspectors[0]),
        ])
        #expect(try open(ledger, on: "2024-09-30").filter { $0.stream == "draw-D1" }.map(\.overdue) == [true, false])
        try ledger.append([
            line("institution-\(second.institution)", "InstitutionInspected", #"{"operation":"O1","result":"compliant","draw":"D1"}"#, on: "2024-09-30", actor: second.inspectors[1]),
            line("draw-D1", "DrawResultsPublished", #"{}"#, on: publicationDue.description),
        ])
        #expect(try open(ledger, on: "2024-12-31").filter { $0.stream == "draw-D1" }.isEmpty)
        try expectFigure("random_checks", in: ledger, [
            ("2024-01-01", "2024-12-31", nil, "1/1/2/2/1/1"),
            ("2024-09-01", "2024-09-29", "天宁区", "0/1/2/1/1/0"),
            ("2024-01-01", "2024-12-31", "钟楼区", "0/0/0/0/0/0"),
        ])
    }
}

