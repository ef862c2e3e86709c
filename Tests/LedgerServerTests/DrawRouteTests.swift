import EventStore
import Foundation
import HummingbirdTesting
import Ledger
import LedgerServer
import Testing

/// Draws over the API (SPEC §11): planned as an event, drawn by the service (nobody chooses the
/// targets), shown and verified for readers, refused outside the drawer's district and twice.
@Suite struct DrawRouteTests {
    static let plan = #"{"district":"天宁区","matters":["办学资质"],"count":1,"inspectors":["tn-inspector","city-inspector"],"per_target":2,"window":{"from":"2026-11-25","to":"2026-12-31"}}"#

    @Test func aPlanIsDrawnByTheServiceShownAndVerified() async throws {
        let harness = try await ServerHarness("draw_routes", today: CalendarDate("2026-11-30")!)
        try await harness.run { client in
            let inspector = try await client.token("tn-inspector")
            let planned = try await client.send(.post, "/api/events", token: inspector, json: #"{"id":"\#(UUID().uuidString.lowercased())","stream":"draw-TN-1","type":"DrawPlanned","occurred_on":"2026-11-20","data":\#(Self.plan)}"#)
            #expect(planned.status == .created)
            let other = try await client.token("zl-inspector")
            let body = #"{"beacon":"福彩3D 2026-11-23 第2026323期 045","beacon_date":"2026-11-23","occurred_on":"2026-11-24"}"#
            #expect(try await client.send(.post, "/api/draws/TN-1/perform", token: other, json: body).status == .forbidden)
            let before = try harness.eventCount()
            let drawn = try await client.send(.post, "/api/draws/TN-1/perform", token: inspector, json: body)
            #expect(drawn.status == .created)
            guard case .array(let targets)? = drawn.json["targets"] else { Issue.record("no targets: \(drawn.text)"); return }
            #expect(targets.first?["institution"] == .string(ServerHarness.tianning))
            #expect(drawn.json["pool"] == .array([.string(ServerHarness.tianning)]))
            #expect(try harness.eventCount() == before + 1)
            let again = try await client.send(.post, "/api/draws/TN-1/perform", token: inspector, json: body)
            #expect(again.status == .unprocessableContent)
            #expect(again.text.contains("a plan is drawn once"))

            let analyst = try await client.token("analyst")
            let shown = try await client.send(.get, "/api/draws/TN-1", token: analyst)
            #expect(shown.status == .ok)
            #expect(shown.json["seed"]?.stringValue?.count == 64)
            let verified = try await client.send(.get, "/api/draws/TN-1/verify", token: analyst)
            #expect(verified.json["verified"] == .bool(true))
            #expect(try await client.send(.get, "/api/draws/NONE", token: analyst).status == .notFound)
            #expect(try await client.send(.get, "/api/draws/TN-1", token: try await client.token("admin")).status == .forbidden)
        }
    }

    @Test func theDrawsPageDrawsAPlanAndShowsItsTargets() async throws {
        let harness = try await ServerHarness("draw_pages", today: CalendarDate("2026-11-30")!)
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            _ = try await client.send(.post, "/api/events", token: token, json: #"{"id":"\#(UUID().uuidString.lowercased())","stream":"draw-TN-2","type":"DrawPlanned","occurred_on":"2026-11-20","data":\#(Self.plan)}"#)
            let cookie = try await client.cookie("tn-inspector")
            let list = try await client.send(.get, "/draws", cookie: cookie)
            #expect(list.text.contains(#"href="/draws/TN-2""#))
            let planned = try await client.send(.get, "/draws/TN-2", cookie: cookie)
            #expect(planned.text.contains(#"<form class="card" method="post" action="/draws/TN-2/perform">"#))
            let early = try await client.send(.post, "/draws/TN-2/perform", cookie: cookie, form: [("beacon", "B"), ("beacon_date", "2026-11-20"), ("occurred_on", "2026-11-24")])
            #expect(early.text.contains("未能摇号"))
            #expect(early.text.contains("不晚于 2026-11-20 的计划"))
            let drawn = try await client.send(.post, "/draws/TN-2/perform", cookie: cookie, form: [("beacon", "B"), ("beacon_date", "2026-11-23"), ("occurred_on", "2026-11-24")])
            #expect(drawn.status == .seeOther)
            let page = try await client.send(.get, "/draws/TN-2", cookie: try await client.cookie("analyst")).text
            #expect(page.contains("✓ 按计划、对象库和信标重新计算,结果一致"))
            #expect(page.contains(#"href="/institutions/\#(ServerHarness.tianning)""#))
            #expect(page.contains("未检查"))
            #expect(!page.contains("<form class=\"card\" method=\"post\""))
        }
    }
}
