import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerServer
import Testing

/// The OpenAPI document stays true: it describes exactly the registered routes, and what the
/// service answers to real requests (each endpoint, allowed and refused) is documented, with the
/// properties its schema requires.
@Suite struct OpenAPITests {
    static func document(_ client: ServerHarness.Client) async throws -> JSON {
        let response = try await client.send(.get, "/api/openapi.json")
        #expect(response.status == .ok)
        return try JSONParser.parse(response.text)
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test func theDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        let harness = try await ServerHarness("openapi_routes")
        let registered = Set(LedgerServer.endpoints(harness.services).map { "\($0.method.rawValue.lowercased()) \($0.path)" })
            .union(LedgerServer.publicDataPaths.map { "get \($0)" })
        try await harness.run { client in
            let document = try await Self.document(client)
            guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
            var documented: Set<String> = []
            for (path, item) in paths {
                guard case .object(let operations) = item else { continue }
                // A path item's other members (shared parameters, a summary) are not operations.
                for method in operations.keys where Self.methods.contains(method) { documented.insert("\(method) \(path)") }
            }
            #expect(documented == registered, "documented only: \(documented.subtracting(registered)); registered only: \(registered.subtracting(documented))")
        }
    }

    /// One request per endpoint and outcome: (method, documented path, uri, who, body).
    static let examples: [(HTTPRequest.Method, String, String, String?, String?)] = [
        (.get, "/api/health", "/api/health", nil, nil),
        (.get, "/api/openapi.json", "/api/openapi.json", nil, nil),
        (.post, "/api/session", "/api/session", nil, #"{"name":"analyst","password":"password-1"}"#),
        (.post, "/api/session", "/api/session", nil, #"{"name":"analyst","password":"wrong"}"#),
        (.post, "/api/session", "/api/session", nil, "not json"),
        (.get, "/api/session", "/api/session", "analyst", nil),
        (.get, "/api/session", "/api/session", nil, nil),
        (.delete, "/api/session", "/api/session", "auditor", nil),
        (.post, "/api/events", "/api/events", "tn-inspector", ServerHarness.inspection()),
        (.post, "/api/events", "/api/events", "tn-inspector", "[\(ServerHarness.inspection())]"),
        (.post, "/api/events", "/api/events", "tn-inspector", "{"),
        (.post, "/api/events", "/api/events", "tn-inspector", "{}"),
        (.post, "/api/events", "/api/events", "tn-inspector", ServerHarness.inspection(ServerHarness.zhonglou, operation: ServerHarness.zhonglouOperation)),
        (.post, "/api/events", "/api/events", nil, ServerHarness.inspection()),
        (.get, "/api/stats", "/api/stats?from=2022-01-01&to=2022-12-31", "analyst", nil),
        (.get, "/api/stats", "/api/stats?from=2022-13-01", "analyst", nil),
        (.get, "/api/stats", "/api/stats", "admin", nil),
        (.get, "/api/stats", "/api/stats?at_position=9223372036854775807", "analyst", nil),
        (.get, "/api/stats", "/api/stats?to=9999-12-31", "analyst", nil),
        (.get, "/api/deadlines", "/api/deadlines?on=2022-06-30", "analyst", nil),
        (.get, "/api/deadlines", "/api/deadlines?on=2022-06-30&kind=rectification", "tn-inspector", nil),
        (.get, "/api/deadlines", "/api/deadlines?district=%E9%92%9F%E6%A5%BC%E5%8C%BA", "tn-inspector", nil),
        (.get, "/api/deadlines", "/api/deadlines?kind=nope", "analyst", nil),
        (.get, "/api/deadlines", "/api/deadlines?on=2022-02-30", "analyst", nil),
        (.get, "/api/deadlines", "/api/deadlines", "admin", nil),
        (.get, "/api/deadlines", "/api/deadlines?at_position=9223372036854775807", "analyst", nil),
        (.get, "/api/streams/{stream}/history", "/api/streams/institution-\(ServerHarness.tianning)/history", "auditor", nil),
        (.get, "/api/streams/{stream}/history", "/api/streams/institution-NONE/history", "auditor", nil),
        (.get, "/api/streams/{stream}/history", "/api/streams/bad/history", "auditor", nil),
        (.get, "/api/streams/{stream}/history", "/api/streams/institution-\(ServerHarness.tianning)/history", "analyst", nil),
        (.get, "/api/draws/{key}", "/api/draws/NONE", "analyst", nil),
        (.get, "/api/draws/{key}", "/api/draws/NONE", "admin", nil),
        (.get, "/api/draws/{key}/verify", "/api/draws/NONE/verify", "auditor", nil),
        (.post, "/api/draws/{key}/perform", "/api/draws/NONE/perform", "tn-inspector", #"{"beacon":"b","beacon_date":"2026-01-01"}"#),
        (.post, "/api/draws/{key}/perform", "/api/draws/NONE/perform", "tn-inspector", #"{"beacon":"b"}"#),
        (.post, "/api/draws/{key}/perform", "/api/draws/NONE/perform", "analyst", #"{"beacon":"b","beacon_date":"2026-01-01"}"#),
        (.get, "/api/complaints/{key}", "/api/complaints/NONE", "analyst", nil),
        (.get, "/api/complaints/{key}", "/api/complaints/NONE", "admin", nil),
        (.post, "/api/complaints/{key}/reporter", "/api/complaints/NONE/reporter", "complaint-officer", #"{"reason":"x"}"#),
        (.post, "/api/complaints/{key}/reporter", "/api/complaints/NONE/reporter", "complaint-officer", #"{}"#),
        (.post, "/api/complaints/{key}/reporter", "/api/complaints/NONE/reporter", "analyst", #"{"reason":"x"}"#),
        (.post, "/api/complaints/{key}/forget", "/api/complaints/NONE/forget", "complaint-officer", #"{"reason":"x"}"#),
        (.post, "/api/complaints/{key}/forget", "/api/complaints/NONE/forget", "tn-inspector", #"{"reason":"x"}"#),
        (.get, "/api/verify", "/api/verify", "auditor", nil),
        (.get, "/public/data/blacklist.json", "/public/data/blacklist.json", nil, nil),
        (.get, "/public/data/blacklist.csv", "/public/data/blacklist.csv", nil, nil),
        (.get, "/public/data/penalties.json", "/public/data/penalties.json", nil, nil),
        (.get, "/public/data/penalties.csv", "/public/data/penalties.csv", nil, nil),
        (.get, "/public/data/whitelists.json", "/public/data/whitelists.json", nil, nil),
        (.get, "/public/data/figures.json", "/public/data/figures.json", nil, nil),
        (.get, "/public/data/draws.json", "/public/data/draws.json", nil, nil),
        (.get, "/public/data/draws/{key}", "/public/data/draws/NONE", nil, nil),
        (.get, "/public/data/bulletins.json", "/public/data/bulletins.json", nil, nil),
        (.get, "/public/feed.atom", "/public/feed.atom", nil, nil),
        (.get, "/api/verify", "/api/verify?stream=institution-\(ServerHarness.tianning)", "auditor", nil),
        (.get, "/api/verify", "/api/verify", "analyst", nil),
        (.get, "/api/digest", "/api/digest", "auditor", nil),
        (.get, "/api/digest", "/api/digest?at_position=x", "auditor", nil),
        (.get, "/api/reply", "/api/reply?from=2022-01-01&to=2022-12-31", "analyst", nil),
        (.get, "/api/reply", "/api/reply?from=2022-01-01&to=2022-12-31&proposal=NONE", "analyst", nil),
        (.get, "/api/reply", "/api/reply?from=2022-01-01&to=2022-12-31&proposal=P1&district=%E5%A4%A9%E5%AE%81%E5%8C%BA", "analyst", nil),
        (.get, "/api/reply", "/api/reply?from=2022-01-01&to=2022-12-31&format=docx", "auditor", nil),
        (.get, "/api/reply", "/api/reply?format=html", "analyst", nil),
        (.get, "/api/reply", "/api/reply", "tn-inspector", nil),
        (.get, "/api/reply", "/api/reply?to=9999-12-31", "analyst", nil),
        (.post, "/api/reply", "/api/reply?from=2022-01-01&to=2022-12-31", "analyst", nil),
        (.post, "/api/reply", "/api/reply", "auditor", #"{"from":"2022-01-01","to":"2022-12-31","format":"docx"}"#),
        (.post, "/api/reply", "/api/reply", "analyst", #"{"format":["docx"]}"#),
        (.post, "/api/reply", "/api/reply", "tn-inspector", nil),
        (.get, "/api/users", "/api/users", "admin", nil),
        (.get, "/api/users", "/api/users", "auditor", nil),
        (.post, "/api/users", "/api/users", "admin", #"{"name":"new-analyst","password":"longenough","role":"analyst"}"#),
        (.post, "/api/users", "/api/users", "admin", #"{"name":"new-analyst","password":"longenough","role":"analyst"}"#),
        (.post, "/api/users", "/api/users", "admin", #"[]"#),
        (.post, "/api/users/{name}/disable", "/api/users/zl-inspector/disable", "admin", nil),
        (.post, "/api/users/{name}/disable", "/api/users/nobody/disable", "admin", nil),
        (.post, "/api/users/{name}/disable", "/api/users/admin/disable", "admin", nil),
        (.post, "/api/users", "/api/users", "admin", #"{"name":"long","password":"\#(String(repeating: "密", count: 25))","role":"analyst"}"#),
        (.post, "/api/users/{name}/disable", "/api/users/analyst/disable", "analyst", nil),
    ]

    @Test func everyAnswerIsDocumentedWithTheFieldsItsSchemaRequires() async throws {
        let harness = try await ServerHarness("openapi_answers")
        let registered = Set(LedgerServer.endpoints(harness.services).map { "\($0.method.rawValue) \($0.path)" })
            .union(LedgerServer.publicDataPaths.map { "GET \($0)" })
        #expect(Set(Self.examples.map { "\($0.0.rawValue) \($0.1)" }) == registered, "every endpoint has an example")
        try await harness.run { client in
            let document = try await Self.document(client)
            for (method, path, uri, who, body) in Self.examples {
                let token = try await who.asyncMap { try await client.token($0) }
                let response = try await client.send(method, uri, token: token, json: body)
                let label = "\(method) \(uri) as \(who ?? "nobody") → \(response.status.code)"
                guard let operation = document["paths"]?[path]?[method.rawValue.lowercased()],
                      let documented = operation["responses"]?[String(response.status.code)] else {
                    Issue.record("undocumented: \(label) \(response.text.prefix(200))")
                    continue
                }
                let answer = Self.resolve(documented, in: document)
                guard let schema = answer["content"]?["application/json"]?["schema"] else { continue }
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(label)")
                for problem in Self.missing(response.json, schema: schema, in: document) {
                    Issue.record("\(label): \(problem)")
                }
            }
        }
    }

    static func resolve(_ value: JSON, in document: JSON) -> JSON {
        guard let reference = value["$ref"]?.stringValue else { return value }
        var node: JSON? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node ?? .null
    }

    /// The properties `schema` requires that `value` lacks (objects, arrays of objects, one level of oneOf).
    static func missing(_ value: JSON, schema: JSON, in document: JSON) -> [String] {
        let schema = resolve(schema, in: document)
        if case .array(let options)? = schema["oneOf"] {
            let results = options.map { missing(value, schema: $0, in: document) }
            return results.contains { $0.isEmpty } ? [] : results.first ?? []
        }
        if schema["type"] == .string("array") {
            guard case .array(let items) = value else { return ["expected an array"] }
            guard let itemSchema = schema["items"] else { return [] }
            return items.flatMap { missing($0, schema: itemSchema, in: document) }
        }
        guard case .array(let required)? = schema["required"] else { return [] }
        guard case .object(let members) = value else { return ["expected an object, found \(value.typeName)"] }
        return required.compactMap(\.stringValue).filter { members[$0] == nil }.map { "lacks \($0)" }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
