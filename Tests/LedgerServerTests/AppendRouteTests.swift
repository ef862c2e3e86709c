import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerServer
import Testing

/// POST /api/events: the same validation as the command line, the actor from the session, and
/// every kind of bad body refused with a 4xx and nothing appended.
@Suite struct AppendRouteTests {
    @Test func anInspectorAppendsOneEventAsThemselvesAndARetryIsANoOp() async throws {
        let harness = try await ServerHarness("append_one")
        let before = try harness.eventCount()
        let id = UUID().uuidString.lowercased()
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            let first = try await client.send(.post, "/api/events", token: token, json: ServerHarness.inspection(id: id))
            #expect(first.status == .created)
            #expect(first.json["appended"] == .integer(1))
            let retry = try await client.send(.post, "/api/events", token: token, json: ServerHarness.inspection(id: id))
            #expect(retry.status == .ok)
            #expect(retry.json["duplicates"] == .integer(1))
        }
        #expect(try harness.eventCount() == before + 1)
        let actor: String = try harness.database.connect().execute("SELECT actor FROM ledger.events WHERE id = \(id)::uuid")[0].decode("actor")
        #expect(actor == "tn-inspector")
    }

    @Test func aBatchIsAllOrNothingAndNamesEachBadItem() async throws {
        let harness = try await ServerHarness("append_batch")
        let before = try harness.eventCount()
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            let bad = ServerHarness.line("institution-\(ServerHarness.tianning)", "InterviewHeld", #"{"reason":"超纲","extra":1}"#)
            let response = try await client.send(
                .post, "/api/events", token: token, json: "[\(ServerHarness.inspection()),\(bad),\(ServerHarness.inspection())]")
            #expect(response.status == .unprocessableContent)
            #expect(response.json["error"] == .string("invalid"))
            guard case .array(let rejections)? = response.json["rejections"] else { Issue.record("no rejections"); return }
            #expect(rejections.count == 1)
            #expect(rejections.first?["item"] == .integer(2))
            #expect(response.text.contains("data.extra"))
            let good = try await client.send(.post, "/api/events", token: token, json: "[\(ServerHarness.inspection()),\(ServerHarness.inspection())]")
            #expect(good.status == .created)
            #expect(good.json["appended"] == .integer(2))
        }
        #expect(try harness.eventCount() == before + 2)
    }

    /// A refusal reads in Chinese when the request prefers it (Accept-Language), in English
    /// otherwise, with the same stable codes either way (issue 19).
    @Test func aRefusalSpeaksTheLanguageTheRequestPrefers() async throws {
        let harness = try await ServerHarness("append_language")
        let before = try harness.eventCount()
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            let future = ServerHarness.line("institution-\(ServerHarness.tianning)", "InterviewHeld", #"{"reason":"约谈"}"#, on: "2999-01-01")
            let chinese = try await client.send(.post, "/api/events", token: token, json: future, headers: [.acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.5"])
            #expect(chinese.status == .unprocessableContent)
            #expect(chinese.text.contains("2999-01-01 晚于今天"), "\(chinese.text)")
            #expect(chinese.text.contains("未追加任何事件"))
            #expect(chinese.text.contains(#""code":"date.after_today""#))
            let english = try await client.send(.post, "/api/events", token: token, json: future)
            #expect(english.text.contains("2999-01-01 is after today"))
            #expect(english.text.contains(#""code":"date.after_today""#))
            #expect(!english.text.contains("晚于今天"))
            let denied = try await client.send(.get, "/api/stats?district=钟楼区", token: token, headers: [.acceptLanguage: "zh"])
            #expect(denied.status == .forbidden)
            #expect(denied.text.contains("您只能查看天宁区的数据"), "\(denied.text)")
        }
        #expect(try harness.eventCount() == before)
    }

    @Test func anExpectedVersionThatNoLongerHoldsIsAConflict() async throws {
        let harness = try await ServerHarness("append_conflict")
        let before = try harness.eventCount()
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            let stale = ServerHarness.line(
                "institution-\(ServerHarness.tianning)", "InterviewHeld", #"{"reason":"超纲"}"#
            ).replacingOccurrences(of: #","data""#, with: #","expected_version":0,"data""#)
            let response = try await client.send(.post, "/api/events", token: token, json: stale)
            #expect(response.status == .conflict)
            #expect(response.json["error"] == .string("conflict"))
        }
        #expect(try harness.eventCount() == before)
    }

    /// Malformed JSON, wrong types, huge bodies, too many events, bodies that are not events:
    /// each a 4xx with a reason, never a 500, and nothing appended.
    @Test func badBodiesAreRefusedWithAReasonAndNothingAppended() async throws {
        let harness = try await ServerHarness("append_bad_bodies")
        let before = try harness.eventCount()
        let oversized = "[" + String(repeating: " ", count: LedgerServer.maximumBodyBytes) + "]"
        let tooMany = "[" + Array(repeating: "{}", count: LedgerServer.maximumBatch + 1).joined(separator: ",") + "]"
        let wrongTypes = ServerHarness.line(
            "institution-\(ServerHarness.tianning)", "PenaltyImposed", #"{"decision_no":7,"fine_fen":"100","confiscated_fen":1.5}"#)
        let cases: [(String, String, HTTPResponse.Status)] = [
            ("malformed", #"{"id": "#, .badRequest),
            ("not an event", #""hello""#, .badRequest),
            ("a number", "42", .badRequest),
            ("empty batch", "[]", .badRequest),
            ("empty body", "", .badRequest),
            ("nesting", String(repeating: "[", count: 100) + String(repeating: "]", count: 100), .badRequest),
            ("invalid UTF-8 escape", #"{"id":"\udc00"}"#, .badRequest),
            ("array of numbers", "[1,2]", .unprocessableContent),
            ("missing fields", "{}", .unprocessableContent),
            ("wrong types", wrongTypes, .unprocessableContent),
            ("unknown type", ServerHarness.line("institution-\(ServerHarness.tianning)", "Nonsense", "{}"), .unprocessableContent),
            ("too large", oversized, .contentTooLarge),
            ("too many events", tooMany, .contentTooLarge),
        ]
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            for (name, body, status) in cases {
                let response = try await client.send(.post, "/api/events", token: token, json: body)
                #expect(response.status == status, "\(name): \(response.status) \(response.text.prefix(200))")
                #expect(response.json["message"]?.stringValue?.isEmpty == false, "\(name) gave no reason")
            }
        }
        #expect(try harness.eventCount() == before)
    }

    @Test func badQueryParametersAreA400() async throws {
        let harness = try await ServerHarness("bad_parameters")
        try await harness.run { client in
            let analyst = try await client.token("analyst")
            let auditor = try await client.token("auditor")
            for uri in ["/api/stats?from=yesterday", "/api/stats?from=2024-01-02&to=2024-01-01", "/api/stats?district=%E7%81%AB%E6%98%9F",
                        "/api/stats?at_position=-1", "/api/reply?format=pdf"] {
                let response = try await client.send(.get, uri, token: analyst)
                #expect(response.status.code / 100 == 4, "\(uri): \(response.status)")
            }
            for uri in ["/api/streams/nonsense/history", "/api/verify?stream=x", "/api/digest?at_position=abc"] {
                let response = try await client.send(.get, uri, token: auditor)
                #expect(response.status == .badRequest, "\(uri): \(response.status)")
            }
            let missing = try await client.send(.get, "/api/streams/institution-NOPE/history", token: auditor)
            #expect(missing.status == .notFound)
        }
    }

    @Test func signInFailsTheSameWayForAWrongPasswordAndAnUnknownUser() async throws {
        let harness = try await ServerHarness("sign_in")
        try await harness.run { client in
            let wrong = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"nope-nope"}"#)
            let unknown = try await client.send(.post, "/api/session", json: #"{"name":"nobody","password":"nope-nope"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.text == unknown.text)
            let malformed = try await client.send(.post, "/api/session", json: #"{"name":1}"#)
            #expect(malformed.status == .badRequest)
            let token = try await client.token("analyst")
            let me = try await client.send(.get, "/api/session", token: token)
            #expect(me.json["role"] == .string("analyst"))
            let out = try await client.send(.delete, "/api/session", token: token)
            #expect(out.status == .noContent)
            let after = try await client.send(.get, "/api/stats", token: token)
            #expect(after.status == .unauthorized)
        }
    }
}
