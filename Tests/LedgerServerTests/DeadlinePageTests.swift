import EventStore
import Foundation
import Ledger
import LedgerServer
import Postgres
import TestSupport
import Testing

/// `GET /api/deadlines` and the dashboard's panel show the same obligations (SPEC §8): the API all
/// of them, the panel those overdue (red) and due within 5 working days (amber); an inspector of a
/// district sees that district's only.
@Suite struct DeadlinePageTests {
    static let today = CalendarDate("2026-11-30")!  // a Monday

    func harness() async throws -> ServerHarness {
        let harness = try await ServerHarness("deadline_pages", today: Self.today)
        let lines = try TestDatabase.shippedCalendars() + [
            // Overdue since 11-20; due in 3 working days (12-01, 12-02, 12-03); due at the year's end.
            ServerHarness.line("institution-\(ServerHarness.tianning)", "RectificationOrdered", #"{"notice_no":"TN-OLD","deadline":"2026-11-20","items":["x"]}"#, on: "2026-11-01", actor: "seed"),
            ServerHarness.line("institution-\(ServerHarness.tianning)", "RectificationOrdered", #"{"notice_no":"TN-SOON","deadline":"2026-12-03","items":["x"]}"#, on: "2026-11-25", actor: "seed"),
            ServerHarness.line("institution-\(ServerHarness.tianning)", "RectificationOrdered", #"{"notice_no":"TN-LATER","deadline":"2026-12-31","items":["x"]}"#, on: "2026-11-26", actor: "seed"),
            // A 钟楼区 proposal received 09-01: due 12-01.
            ServerHarness.line("proposal-ZL-P1", "ProposalReceived", #"{"session":"市政协十四届五次会议","number":"0042","title":"建议","proposers":["王某"],"role":"lead","district":"钟楼区"}"#, on: "2026-09-01", actor: "seed"),
        ]
        _ = try Appender(configuration: .changzhou, today: Self.today).append(lines.map { Submission(text: $0) }, on: harness.database.connect())
        return harness
    }

    @Test func theAPIListsEveryOpenObligationAndThePanelTheUrgentOnes() async throws {
        let harness = try await harness()
        try await harness.run { client in
            let analyst = try await client.token("analyst")
            let all = try await client.send(.get, "/api/deadlines", token: analyst)
            #expect(all.status == .ok)
            guard case .array(let items) = all.json else { Issue.record("not an array: \(all.text)"); return }
            #expect(items.compactMap { $0["label"]?.stringValue?.components(separatedBy: " ").first } == [
                "完成整改(TN-OLD)", "答复提案(市政协十四届五次会议第0042号)", "完成整改(TN-SOON)", "完成整改(TN-LATER)",
            ])
            #expect(items.first?["working_days_left"] == .integer(-6))  // 11-23 … 11-30
            #expect(items.first?["overdue"] == .bool(true))

            let inspector = try await client.token("tn-inspector")
            let own = try await client.send(.get, "/api/deadlines", token: inspector)
            guard case .array(let ownItems) = own.json else { Issue.record("not an array"); return }
            #expect(ownItems.allSatisfy { $0["district"] == .string("天宁区") })
            #expect(ownItems.count == 3)
            #expect(try await client.send(.get, "/api/deadlines?district=%E9%92%9F%E6%A5%BC%E5%8C%BA", token: inspector).status == .forbidden)

            // The panel: the same obligations, the urgent ones, overdue first, in red then amber.
            let cookie = try await client.cookie("tn-inspector")
            let page = try await client.send(.get, "/dashboard", cookie: cookie).text
            let overdue = try #require(page.range(of: #"<li class="overdue">"#)), soon = try #require(page.range(of: #"<li class="soon">"#))
            #expect(overdue.lowerBound < soon.lowerBound)
            #expect(page.contains("完成整改(TN-OLD) 截止2026-11-20"))
            #expect(page.contains("逾期 6 个工作日"))
            #expect(page.contains("完成整改(TN-SOON) 截止2026-12-03"))
            #expect(page.contains("剩 3 个工作日"))
            #expect(!page.contains("TN-LATER"))
            #expect(!page.contains("0042号"))
            #expect(page.contains(#"href="/institutions/\#(ServerHarness.tianning)""#))

            let cityPage = try await client.send(.get, "/dashboard", cookie: try await client.cookie("analyst")).text
            #expect(cityPage.contains("答复提案(市政协十四届五次会议第0042号) 截止2026-12-01"))

            // The reply to the proposal, headed by it, for its district (SPEC §10).
            let reply = try await client.send(.get, "/api/reply?from=2026-01-01&to=2026-11-30&proposal=ZL-P1", token: analyst)
            #expect(reply.status == .ok)
            #expect(reply.text.hasPrefix("关于市政协十四届五次会议第0042号提案《建议》的答复\n"))
            #expect(reply.text.contains("钟楼区"))
        }
    }
}
