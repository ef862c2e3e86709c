import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerServer
import Testing

/// Every role boundary: what each role may not do is refused with 403 (401 without a session),
/// and a refused append appends nothing.
@Suite struct RoleBoundaryTests {
    /// Requests each role may make, and the ones it may not.
    static let reads: [(String, String)] = [
        ("stats", "/api/stats?from=2022-01-01&to=2022-12-31"),
        ("history", "/api/streams/institution-\(ServerHarness.tianning)/history"),
        ("verify", "/api/verify"),
        ("digest", "/api/digest"),
        ("reply", "/api/reply?from=2022-01-01&to=2022-12-31"),
        ("users", "/api/users"),
    ]

    func statuses(_ client: ServerHarness.Client, as name: String) async throws -> [String: HTTPResponse.Status] {
        let token = try await client.token(name)
        var statuses: [String: HTTPResponse.Status] = [:]
        for (label, uri) in Self.reads {
            statuses[label] = try await client.send(.get, uri, token: token).status
        }
        let append = try await client.send(.post, "/api/events", token: token, json: ServerHarness.inspection())
        statuses["append"] = append.status
        return statuses
    }

    @Test func withoutASessionEveryProtectedRouteIs401() async throws {
        let harness = try await ServerHarness("roles_anonymous")
        let before = try harness.eventCount()
        try await harness.run { client in
            for (label, uri) in Self.reads {
                let response = try await client.send(.get, uri)
                #expect(response.status == .unauthorized, "\(label)")
            }
            let append = try await client.send(.post, "/api/events", json: ServerHarness.inspection())
            #expect(append.status == .unauthorized)
            let forged = try await client.send(.post, "/api/events", token: String(repeating: "a", count: 64), json: ServerHarness.inspection())
            #expect(forged.status == .unauthorized)
        }
        #expect(try harness.eventCount() == before)
    }

    @Test func anInspectorAppendsAndReadsTheirDistrictOnly() async throws {
        let harness = try await ServerHarness("roles_inspector")
        let before = try harness.eventCount()
        try await harness.run { client in
            let statuses = try await statuses(client, as: "tn-inspector")
            #expect(statuses["append"] == .created)
            #expect(statuses["stats"] == .ok)
            #expect(statuses["history"] == .ok)
            for denied in ["verify", "digest", "reply", "users"] { #expect(statuses[denied] == .forbidden, "\(denied)") }

            let token = try await client.token("tn-inspector")
            let otherDistrict = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.inspection(ServerHarness.zhonglou, operation: ServerHarness.zhonglouOperation))
            #expect(otherDistrict.status == .forbidden)
            #expect(otherDistrict.text.contains("钟楼区"))
            // One event outside the district refuses the whole batch.
            let mixed = try await client.send(.post, "/api/events", token: token, json: "[\(ServerHarness.inspection()),\(ServerHarness.inspection(ServerHarness.zhonglou, operation: ServerHarness.zhonglouOperation))]")
            #expect(mixed.status == .forbidden)
            let asSomeoneElse = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.line("institution-\(ServerHarness.tianning)", "InterviewHeld", #"{"reason":"超纲"}"#, actor: "zl-inspector"))
            #expect(asSomeoneElse.status == .forbidden)
            let newInOtherDistrict = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.line("operation-OP-ZL-9", "OperationConducted", #"{"district":"钟楼区","kind":"daily_patrol","inspectors":2}"#))
            #expect(newInOtherDistrict.status == .forbidden)
            let cityBulletin = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.line("bulletin-B-1", "BulletinPublished", #"{"title":"通报","exposed":[]}"#))
            #expect(cityBulletin.status == .forbidden)
            let otherStats = try await client.send(.get, "/api/stats?district=%E9%92%9F%E6%A5%BC%E5%8C%BA", token: token)
            #expect(otherStats.status == .forbidden)
            let ownStats = try await client.send(.get, "/api/stats?from=2022-01-01&to=2022-12-31", token: token)
            #expect(ownStats.json["district"] == .string("天宁区"))
            let otherHistory = try await client.send(.get, "/api/streams/institution-\(ServerHarness.zhonglou)/history", token: token)
            #expect(otherHistory.status == .forbidden)
        }
        #expect(try harness.eventCount() == before + 1)
    }

    @Test func aCityWideInspectorRecordsAnywhereIncludingCityBulletins() async throws {
        let harness = try await ServerHarness("roles_city")
        let before = try harness.eventCount()
        try await harness.run { client in
            let token = try await client.token("city-inspector")
            let zhonglou = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.inspection(ServerHarness.zhonglou, operation: ServerHarness.zhonglouOperation))
            #expect(zhonglou.status == .created)
            let bulletin = try await client.send(.post, "/api/events", token: token,
                json: ServerHarness.line("bulletin-B-1", "BulletinPublished", #"{"title":"通报","exposed":["\#(ServerHarness.zhonglou)"]}"#))
            #expect(bulletin.status == .created)
        }
        #expect(try harness.eventCount() == before + 2)
    }

    @Test func anAnalystReadsFiguresAndRepliesOnly() async throws {
        let harness = try await ServerHarness("roles_analyst")
        let before = try harness.eventCount()
        try await harness.run { client in
            let statuses = try await statuses(client, as: "analyst")
            #expect(statuses["stats"] == .ok)
            #expect(statuses["reply"] == .ok)
            for denied in ["append", "history", "verify", "digest", "users"] { #expect(statuses[denied] == .forbidden, "\(denied)") }
            let recorded = try await client.send(.post, "/api/reply?from=2022-01-01&to=2022-12-31", token: try await client.token("analyst"))
            #expect(recorded.status == .ok)
        }
        // The posted reply is recorded (ReplyIssued); nothing else was appended.
        let connection = try harness.database.connect()
        let types: [String] = try connection.execute("SELECT type FROM ledger.events ORDER BY position OFFSET \(before)").map { try $0.decode("type") }
        #expect(types == ["ReplyIssued"])
    }

    @Test func anAuditorReadsEverythingAndAppendsNothing() async throws {
        let harness = try await ServerHarness("roles_auditor")
        try await harness.run { client in
            let statuses = try await statuses(client, as: "auditor")
            for allowed in ["stats", "history", "verify", "digest", "reply"] { #expect(statuses[allowed] == .ok, "\(allowed)") }
            #expect(statuses["append"] == .forbidden)
            #expect(statuses["users"] == .forbidden)
        }
    }

    @Test func anAdminManagesUsersAndNothingElse() async throws {
        let harness = try await ServerHarness("roles_admin")
        let before = try harness.eventCount()
        try await harness.run { client in
            let statuses = try await statuses(client, as: "admin")
            #expect(statuses["users"] == .ok)
            for denied in ["append", "stats", "history", "verify", "digest", "reply"] { #expect(statuses[denied] == .forbidden, "\(denied)") }

            let admin = try await client.token("admin")
            let added = try await client.send(.post, "/api/users", token: admin,
                json: #"{"name":"wj-inspector","password":"longenough","role":"inspector","district":"武进区"}"#)
            #expect(added.status == .created)
            let noDistrict = try await client.send(.post, "/api/users", token: admin,
                json: #"{"name":"x-inspector","password":"longenough","role":"inspector"}"#)
            #expect(noDistrict.status == .unprocessableContent)
            #expect(noDistrict.json["problems"] != nil)
            let shortPassword = try await client.send(.post, "/api/users", token: admin, json: #"{"name":"y","password":"short","role":"analyst"}"#)
            #expect(shortPassword.status == .unprocessableContent)
            let wrongType = try await client.send(.post, "/api/users", token: admin, json: #"{"name":"y","password":12345678,"role":"analyst"}"#)
            #expect(wrongType.status == .badRequest)

            // Disabling ends the user's sessions at once.
            let analyst = try await client.token("analyst")
            let disabled = try await client.send(.post, "/api/users/analyst/disable", token: admin)
            #expect(disabled.status == .ok)
            #expect(disabled.json["disabled"] == .bool(true))
            let after = try await client.send(.get, "/api/stats", token: analyst)
            #expect(after.status == .unauthorized)
            let signIn = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"\#(ServerHarness.password)"}"#)
            #expect(signIn.status == .unauthorized)
            let unknown = try await client.send(.post, "/api/users/nobody/disable", token: admin)
            #expect(unknown.status == .notFound)
            let other = try await client.token("auditor")
            let notAdmin = try await client.send(.post, "/api/users", token: other,
                json: #"{"name":"z","password":"longenough","role":"admin"}"#)
            #expect(notAdmin.status == .forbidden)
        }
        #expect(try harness.eventCount() == before)
    }
}
