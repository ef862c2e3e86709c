import EventStore
import Foundation
import HummingbirdTesting
import Ledger
import LedgerServer
import TestSupport
import Testing

/// The forms for the steps of a case (SPEC §9) and a proposal (§10), and their pages: each step's
/// deadline and whether it was met, problems next to their fields with what was typed kept, the
/// companions of a penalty decision recorded in the same call.
@Suite struct ProcedurePageTests {
    static let today = CalendarDate("2026-11-30")!
    static let institution = ServerHarness.tianning

    func harness(_ label: String) async throws -> ServerHarness {
        let harness = try await ServerHarness(label, today: Self.today)
        let calendars = try TestDatabase.shippedCalendars().map { Submission(text: $0) }
        _ = try Appender(configuration: .changzhou, today: Self.today).append(calendars, on: harness.database.connect())
        return harness
    }

    static func post(_ client: ServerHarness.Client, _ path: String, _ cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.send(.post, path, cookie: cookie, form: [("id", UUID().uuidString.lowercased())] + fields)
    }

    @Test func aCaseRunsThroughItsFormsAndItsPageShowsEachDeadline() async throws {
        let harness = try await harness("procedure_case")
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let form = try await client.send(.get, "/institutions/\(Self.institution)/record?kind=case", cookie: cookie)
            #expect(form.status == .ok)
            #expect(form.text.contains("立案"))

            // One officer: refused next to the field, what was typed kept, nothing appended.
            let before = try harness.eventCount()
            let opening: [(String, String)] = [
                ("occurred_on", "2026-08-03"), ("case_key", "TN-2026-7"), ("violation", "overcharging"), ("source", "inspection"),
                ("violation_on", "2026-07-01"), ("discovered_on", "2026-07-20"),
            ]
            let alone = try await Self.post(client, "/institutions/\(Self.institution)/record?kind=case", cookie, opening + [("officers", "张三")])
            #expect(alone.status == .unprocessableContent)
            #expect(alone.text.contains(#"id="officers-error""#))
            #expect(alone.text.contains("TN-2026-7"))
            #expect(try harness.eventCount() == before)

            let opened = try await Self.post(client, "/institutions/\(Self.institution)/record?kind=case", cookie, opening + [("officers", "张三\n李四")])
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.location]?.hasPrefix("/cases/TN-2026-7?recorded=") == true)

            let noticeForm = try await client.send(.get, "/cases/TN-2026-7/record?kind=penalty_notice", cookie: cookie)
            #expect(noticeForm.text.contains(#"<input type="checkbox" name="proposed.fine" value="on">"#))
            // The notice proposes a fine; the decision may not add a warning it did not propose.
            let notice = try await Self.post(client, "/cases/TN-2026-7/record?kind=penalty_notice", cookie, [
                ("occurred_on", "2026-09-01"), ("proposed.fine", "on"), ("fine", "5000"), ("hearing_right", "false"),
            ])
            #expect(notice.status == .seeOther)
            let decision: [(String, String)] = [
                ("occurred_on", "2026-11-20"), ("decision_no", "天教罚〔2026〕7号"), ("outcome", "penalty"), ("penalties.fine", "on"),
                ("fine", "5000"),
            ]
            let beyond = try await Self.post(client, "/cases/TN-2026-7/record?kind=decision", cookie, decision + [("penalties.warning", "on")])
            #expect(beyond.status == .unprocessableContent)
            #expect(beyond.text.contains(#"id="penalties-error""#))
            #expect(beyond.text.contains("处罚告知书未拟 warning"))
            #expect(beyond.text.contains("天教罚〔2026〕7号"))
            // The decision and its PenaltyImposed, in one call.
            let decided = try await Self.post(client, "/cases/TN-2026-7/record?kind=decision", cookie, decision)
            #expect(decided.status == .seeOther)
            let timeline = try await client.send(.get, "/institutions/\(Self.institution)", cookie: cookie).text
            #expect(timeline.contains("决定书编号: 天教罚〔2026〕7号"))
            #expect(timeline.contains(#"href="/cases/TN-2026-7""#))

            // Served late (7 working days after 11-20 is 12-01; served 11-30 is in time), then not
            // paid: the payment is due 15 days after service.
            let served = try await Self.post(client, "/cases/TN-2026-7/record?kind=service", cookie, [("occurred_on", "2026-11-30"), ("method", "post")])
            #expect(served.status == .seeOther)
            let page = try await client.send(.get, "/cases/TN-2026-7", cookie: cookie)
            #expect(page.status == .ok)
            let text = page.text
            // Opened 08-03: the decision was due 90 days later, 11-01, a Sunday, so 11-02; decided 11-20, late.
            #expect(text.contains("<td>作出处罚决定</td><td>2026-08-03</td><td>2026-11-02</td><td>2026-11-20</td><td class=\"overdue\">逾期完成(晚 18 天)</td>"))
            #expect(text.contains("<td>2026-11-20</td><td>2026-12-01</td><td>2026-11-30</td><td class=\"ok\">按期完成</td>"))
            #expect(text.contains("<td>2026-11-30</td><td>2026-12-15</td><td>—</td><td class=\"soon\">未完成</td>"))
            #expect(text.contains("天宁测试学堂") || text.contains(Self.institution))

            // An amount that is not money, next to its field.
            let payment = try await Self.post(client, "/cases/TN-2026-7/record?kind=payment", cookie, [("occurred_on", "2026-11-30"), ("amount", "5千")])
            #expect(payment.status == .unprocessableContent)
            #expect(payment.text.contains(#"id="amount-error""#))

            // Another district's inspector may neither read nor record the case.
            let other = try await client.cookie("zl-inspector")
            #expect(try await client.send(.get, "/cases/TN-2026-7", cookie: other).status == .forbidden)
            #expect(try await client.send(.get, "/cases/TN-2026-7/record?kind=service", cookie: other).status == .forbidden)
        }
    }

    @Test func aProposalIsReceivedAnsweredWithItsOwnReplyAndShownOnTime() async throws {
        let harness = try await harness("procedure_proposal")
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let received: [(String, String)] = [
                ("occurred_on", "2026-09-01"), ("proposal_key", "TN-P-9"), ("session", "市政协十四届五次会议"), ("number", "0042"),
                ("proposers", "王委员"), ("role", "lead"), ("district", "天宁区"),
            ]
            let untitled = try await Self.post(client, "/proposals/new", cookie, received)
            #expect(untitled.status == .unprocessableContent)
            #expect(untitled.text.contains(#"id="title-error""#))
            #expect(untitled.text.contains("市政协十四届五次会议"))
            let saved = try await Self.post(client, "/proposals/new", cookie, received + [("title", "关于校外培训监管的建议")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location]?.hasPrefix("/proposals/TN-P-9?recorded=") == true)

            // No reply produced for it yet: the reply sent is refused next to its field.
            let early = try await Self.post(client, "/proposals/TN-P-9/record?kind=reply", cookie, [("occurred_on", "2026-11-30"), ("classification", "A")])
            #expect(early.status == .unprocessableContent)
            #expect(early.text.contains(#"id="reply-error""#))

            // The analyst produces the reply headed by the proposal; the inspector records it sent.
            let analyst = try await client.token("analyst")
            let produced = try await client.send(.post, "/api/reply", token: analyst, form: [("from", "2026-01-01"), ("to", "2026-11-30"), ("proposal", "TN-P-9"), ("format", "text")])
            #expect(produced.status == .created || produced.status == .ok)
            let preview = try await client.send(.get, "/reply?from=2026-01-01&to=2026-11-30&proposal=TN-P-9", cookie: try await client.cookie("analyst"))
            #expect(preview.text.contains("关于市政协十四届五次会议第0042号提案《关于校外培训监管的建议》的答复"))
            #expect(preview.text.contains(#"<input type="hidden" name="proposal" value="TN-P-9">"#))
            let form = try await client.send(.get, "/proposals/TN-P-9/record?kind=reply", cookie: cookie)
            let key = try #require(form.text.firstMatch(of: /<option value="([^"]+)"/)?.1)
            let sent = try await Self.post(client, "/proposals/TN-P-9/record?kind=reply", cookie, [("occurred_on", "2026-11-30"), ("reply", String(key)), ("classification", "A")])
            #expect(sent.status == .seeOther)

            // Received 09-01: due 3 months later, 12-01; answered 11-30, on time.
            let page = try await client.send(.get, "/proposals/TN-P-9", cookie: cookie).text
            #expect(page.contains("关于校外培训监管的建议"))
            #expect(page.contains("<td>2026-09-01</td><td>2026-12-01</td><td>2026-11-30</td><td class=\"ok\">按期完成</td>"))
            let list = try await client.send(.get, "/proposals", cookie: cookie).text
            #expect(list.contains(#"href="/proposals/TN-P-9""#))
            #expect(list.contains("按期完成"))
        }
    }
}
