import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

/// Penalty cases (SPEC §9) run through: the procedure in order, the decision and its companions
/// in one call, payments with the late-payment surcharge, an appeal that changes the decision,
/// and who may record a case.
@Suite struct CaseProcedureTests {
    static let today = CalendarDate("2026-11-30")!

    func ledger(_ label: String, calendars: Bool = true) throws -> TestLedger {
        let ledger = try TestLedger(label, today: Self.today)
        try ledger.append((calendars ? try TestDatabase.shippedCalendars() : []) + [
            Events.registered("TN1", district: "天宁区", on: "2020-01-01"),
            Events.registered("ZL1", district: "钟楼区", on: "2020-01-01"),
        ])
        return ledger
    }

    func line(_ type: String, _ data: String, on day: String, stream: String = "case-K1") -> String {
        Events.line(stream, type, data, on: day)
    }

    static let opened = #"{"institution":"TN1","violation":"hidden_variant_academic","source":"inspection","discovered_on":"2024-09-20","violation_on":"2024-09-01","officers":["张三","李四"]}"#

    /// Opened, noticed (a fine of 10,000 元 and a warning, with a hearing right), heard, and decided
    /// on 2024-10-15 with its companions; served on 2024-10-16.
    func decided(_ ledger: TestLedger) throws {
        try ledger.append([
            line("CaseOpened", Self.opened, on: "2024-09-23"),
            line("EvidenceRecorded", #"{"kind":"site_record","description":"现场检查笔录","sha256":"\#(String(repeating: "e", count: 64))"}"#, on: "2024-09-24"),
            line("PenaltyNoticeServed", #"{"proposed":["fine","warning"],"fine_fen":1000000,"hearing_right":true}"#, on: "2024-09-27"),
            // 5 working days after 09-27: 09-29 (调休), 09-30, 10-08, 10-09, 10-10.
            line("HearingRequested", "{}", on: "2024-10-10"),
            line("HearingHeld", #"{"presiding":"王五","summary":"当事人陈述"}"#, on: "2024-10-12"),
        ])
        try ledger.append([
            line("CaseDecided", #"{"decision_no":"天教罚〔2024〕7号","outcome":"penalty","penalties":["fine","warning"]}"#, on: "2024-10-15"),
            Events.line("institution-TN1", "PenaltyImposed", #"{"decision_no":"天教罚〔2024〕7号","fine_fen":1000000,"confiscated_fen":0,"case":"K1"}"#, on: "2024-10-15"),
            Events.line("institution-TN1", "WarningIssued", #"{"reason":"违规培训","decision_no":"天教罚〔2024〕7号","case":"K1"}"#, on: "2024-10-15"),
        ])
        try ledger.append([line("DecisionServed", #"{"method":"in_person"}"#, on: "2024-10-16")])
    }

    func refusal(_ ledger: TestLedger, _ lines: [String]) throws -> String? {
        try (ledger.rejection(lines)).map(\.description)
    }

    @Test func aCaseRunsInOrderAndItsDecisionComesWithItsCompanions() throws {
        let ledger = try ledger("case_procedure")
        try decided(ledger)
        // Paid in full on time, then closed.
        try ledger.append([line("FinePaid", #"{"amount_fen":1000000}"#, on: "2024-10-20"), line("CaseClosed", #"{"summary":"结案"}"#, on: "2024-10-21")])
        #expect(try refusal(ledger, [line("EvidenceRecorded", #"{"kind":"documentary","description":"x"}"#, on: "2024-10-22")])?.contains("the case is closed") == true)
    }

    @Test func aHearingAskedForAfterItsWindowIsRefused() throws {
        let ledger = try ledger("case_window")
        try ledger.append([
            line("CaseOpened", Self.opened, on: "2024-09-23"),
            line("PenaltyNoticeServed", #"{"proposed":["warning"],"hearing_right":true}"#, on: "2024-09-27"),
        ])
        let late = try refusal(ledger, [line("HearingRequested", "{}", on: "2024-10-11")])
        #expect(late?.contains("2024-10-11 is past the hearing window, which closed on 2024-10-10") == true, "\(late ?? "accepted")")
        let unknown = try self.ledger("case_window_unknown", calendars: false)
        try unknown.append([
            line("CaseOpened", Self.opened, on: "2024-09-23"),
            line("PenaltyNoticeServed", #"{"proposed":["warning"],"hearing_right":true}"#, on: "2024-09-27"),
        ])
        #expect(try refusal(unknown, [line("HearingRequested", "{}", on: "2024-09-30")])?.contains("the hearing window is unknown (no working-day calendar for 2024)") == true)
    }

    @Test func aLatePaymentMayAddTheSurchargeAndNoMore() throws {
        let ledger = try ledger("case_surcharge")
        try decided(ledger)
        // Due 15 days after service (10-16): 10-31. Paid 10 days late on 11-10: up to 30% more.
        try ledger.append([line("FinePaid", #"{"amount_fen":1000000}"#, on: "2024-11-10")])
        let over = try refusal(ledger, [line("FinePaid", #"{"amount_fen":300001}"#, on: "2024-11-10")])
        #expect(over?.contains("late-payment surcharge of 300000 分 by 2024-11-10 (due 2024-10-31)") == true, "\(over ?? "accepted")")
        try ledger.append([line("FinePaid", #"{"amount_fen":300000}"#, on: "2024-11-10")])
    }

    @Test func anAppealThatChangesTheDecisionComesWithTheRevocationAndTheNewPenalty() throws {
        let ledger = try ledger("case_appeal")
        try decided(ledger)
        try ledger.append([line("ReconsiderationFiled", #"{"body":"常州市人民政府"}"#, on: "2024-10-20")])
        let changed = line("AppealDecided", #"{"outcome":"changed","decision_no":"天教罚〔2024〕9号"}"#, on: "2024-12-01")
        let alone = try refusal(ledger, [changed])
        #expect(alone?.contains("needs the PenaltyRevoked of 天教罚〔2024〕7号") == true, "\(alone ?? "accepted")")
        #expect(alone?.contains("the changed decision 天教罚〔2024〕9号 needs its PenaltyImposed or WarningIssued") == true)
        try ledger.append([
            changed,
            Events.line("institution-TN1", "PenaltyRevoked", #"{"decision_no":"天教罚〔2024〕7号","reason":"复议变更","case":"K1"}"#, on: "2024-12-01"),
            Events.line("institution-TN1", "PenaltyImposed", #"{"decision_no":"天教罚〔2024〕9号","fine_fen":500000,"confiscated_fen":0,"case":"K1"}"#, on: "2024-12-01"),
        ])
        // A penalty naming the case under a number it never decided is refused.
        let stray = try refusal(ledger, [Events.line("institution-TN1", "PenaltyImposed", #"{"decision_no":"天教罚〔2024〕7号-2","fine_fen":1,"confiscated_fen":0,"case":"K1"}"#, on: "2024-12-02")])
        #expect(stray?.contains("case-K1 has no decision 天教罚〔2024〕7号-2") == true)
    }

    @Test func aCaseIsRecordedByTheInspectorsOfItsInstitutionsDistrict() throws {
        let ledger = try ledger("case_authority")
        func outcome(_ district: String?) throws -> String {
            do {
                var appender = Appender(configuration: .changzhou, today: Self.today)
                appender.authority = AppendAuthority(actor: "tester", district: district)
                _ = try appender.append([Submission(text: line("CaseOpened", Self.opened, on: "2024-09-23"))], on: ledger.database.connect())
                return "ok"
            } catch let rejected as Appender.Rejected {
                return rejected.isForbidden ? "forbidden" : "invalid"
            }
        }
        #expect(try outcome("钟楼区") == "forbidden")
        #expect(try outcome("天宁区") == "ok")
    }
}
