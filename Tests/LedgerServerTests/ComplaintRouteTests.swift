import EventStore
import Foundation
import HummingbirdTesting
import Ledger
import LedgerServer
import Testing

/// Complaints over the API and the pages (SPEC §12): recorded by the hotline operator's form,
/// the reporter readable only by a complaint officer (each reading recorded), never in another
/// answer, a page, or the service's log; erased for good.
@Suite struct ComplaintRouteTests {
    static let name = "孙丽华", phone = "13800001111", idNumber = "11010519491231002X"

    @Test func aComplaintIsReceivedOnTheFormAndItsReporterShownOnlyToAComplaintOfficer() async throws {
        let harness = try await ServerHarness("complaint_routes", today: CalendarDate("2026-11-30")!)
        try await harness.run { client in
            let officer = try await client.cookie("complaint-officer")
            let form: [(String, String)] = [
                ("id", UUID().lowercasedText), ("occurred_on", "2026-11-27"), ("complaint_key", "H-1"), ("channel", "hotline_12345"),
                ("district", "天宁区"), ("institution", ServerHarness.tianning), ("summary", "反映周末开展学科类培训"), ("anonymous", "false"),
                ("reporter_name", Self.name), ("reporter_phone", Self.phone), ("reporter_id_number", "110105194912310021"),
            ]
            // A wrong ID number: refused next to its field, and the typed identity is not shown again.
            let refused = try await client.send(.post, "/complaints/new", cookie: officer, form: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("未通过 GB 11643 校验码检查"))
            #expect(!refused.text.contains(Self.name) && !refused.text.contains(Self.phone))
            let saved = try await client.send(.post, "/complaints/new", cookie: officer,
                                              form: form.map { $0.0 == "reporter_id_number" ? ($0.0, Self.idNumber) : $0 })
            #expect(saved.status == .seeOther)
            let list = try await client.send(.get, "/complaints", cookie: try await client.cookie("tn-inspector")).text
            #expect(list.contains(#"href="/complaints/H-1""#))
            #expect(list.contains("受理或不予受理投诉举报(complaint-H-1)"))
            let page = try await client.send(.get, "/complaints/H-1", cookie: officer).text
            #expect(page.contains("已加密保存"))
            #expect(page.contains("受理或不予受理投诉举报"))
            for secret in [Self.name, Self.phone, Self.idNumber] { #expect(!page.contains(secret)) }

            // Every answer without the right: no reporter in it.
            let inspector = try await client.token("tn-inspector")
            let shown = try await client.send(.get, "/api/complaints/H-1", token: inspector)
            #expect(shown.status == .ok)
            #expect(shown.json["reporter"] == .string("encrypted"))
            let history = try await client.send(.get, "/api/streams/complaint-H-1/history", token: try await client.token("auditor"))
            for answer in [shown.text, history.text] {
                for secret in [Self.name, Self.phone, Self.idNumber] { #expect(!answer.contains(secret)) }
            }
            #expect(try await client.send(.post, "/api/complaints/H-1/reporter", token: inspector, json: #"{"reason":"x"}"#).status == .forbidden)
            #expect(try await client.send(.post, "/api/complaints/H-1/forget", token: inspector, json: #"{"reason":"x"}"#).status == .forbidden)

            // The complaint officer reads it, with a reason, and the reading is recorded.
            let token = try await client.token("complaint-officer")
            #expect(try await client.send(.post, "/api/complaints/H-1/reporter", token: token, json: "{}").status == .badRequest)
            let read = try await client.send(.post, "/api/complaints/H-1/reporter", token: token, json: #"{"reason":"回访举报人"}"#)
            #expect(read.json["reporter"]?["phone"] == .string(Self.phone))
            let views = try harness.database.connect().execute("SELECT actor FROM ledger.events WHERE type = 'ReporterViewed'").map { $0["actor"] ?? "" }
            #expect(views == ["complaint-officer"])
            // A complaint officer records complaints only.
            let elsewhere = try await client.send(.post, "/api/events", token: token, json: ServerHarness.inspection())
            #expect(elsewhere.status == .forbidden)

            let forgotten = try await client.send(.post, "/api/complaints/H-1/forget", token: token, json: #"{"reason":"本人申请"}"#)
            #expect(forgotten.status == .created)
            let after = try await client.send(.post, "/api/complaints/H-1/reporter", token: token, json: #"{"reason":"x"}"#)
            #expect(after.json["reporter"] == .string("erased"))
            #expect(try await client.send(.post, "/api/complaints/H-1/forget", token: token, json: #"{"reason":"again"}"#).status == .unprocessableContent)
            #expect(try await client.send(.get, "/complaints/H-1", cookie: officer).text.contains("已删除(密钥已销毁)"))
        }
    }
}
