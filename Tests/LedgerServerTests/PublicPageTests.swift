import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Ledger
import LedgerServer
import Projections
import Testing

/// The public site (SPEC §13): no sign-in, from the read models as they stand, an ETag of their
/// position and the day (304 for a repeat), bounded searches, the black list and its open data.
@Suite struct PublicPageTests {
    @Test func thePublicSiteAnswersFromTheReadModelsWithETags() async throws {
        let harness = try await ServerHarness("public_pages", today: CalendarDate("2026-11-30")!)
        let database = harness.database
        _ = try ProjectionEngine().catchUp(database.connect())
        try await harness.run { client in
            let overview = try await client.send(.get, "/public")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("<caption>各区</caption>"))
            #expect(!overview.text.contains("<script"))
            let tag = try #require(overview.headers[.eTag])
            #expect(overview.headers[.cacheControl] == "public, max-age=60")
            let repeated = try await client.send(.get, "/public", headers: [.ifNoneMatch: tag])
            #expect(repeated.status == .notModified)

            let found = try await client.send(.get, "/public/institutions?q=天宁")
            #expect(found.text.contains(#"href="/public/institutions/\#(ServerHarness.tianning)""#))
            let long = String(repeating: "长", count: 51)
            #expect(try await client.send(.get, "/public/institutions?q=\(ServerHarness.Client.encoded(long))").status == .badRequest)
            let page = try await client.send(.get, "/public/institutions/\(ServerHarness.tianning)").text
            #expect(page.contains("<th scope=\"row\">黑名单</th><td>未列入</td>"))
            #expect(try await client.send(.get, "/public/institutions/NONE").status == .notFound)

            // A listing, once the read models have it: on the list, in the data, and a new ETag.
            let token = try await client.token("tn-inspector")
            let listed = try await client.send(.post, "/api/events", token: token, json: ServerHarness.line(
                "institution-\(ServerHarness.tianning)", "Blacklisted", #"{"reason":"违规收费,拒不整改","until":"2027-11-20"}"#, on: "2026-11-20"))
            #expect(listed.status == .created)
            #expect(try await client.send(.get, "/public", headers: [.ifNoneMatch: tag]).status == .notModified)
            _ = try ProjectionEngine().catchUp(database.connect())
            let after = try await client.send(.get, "/public", headers: [.ifNoneMatch: tag])
            #expect(after.status == .ok && after.headers[.eTag] != tag)
            let list = try await client.send(.get, "/public/blacklist").text
            #expect(list.contains("天宁测试学堂") && list.contains("2027-11-20"))
            let json = try await client.send(.get, "/public/data/blacklist.json")
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            guard case .array(let rows) = json.json else { Issue.record("not an array: \(json.text)"); return }
            #expect(rows.first?["key"] == .string(ServerHarness.tianning))
            let csv = try await client.send(.get, "/public/data/blacklist.csv").text
            #expect(csv.hasPrefix("key,name,district,since,until,reason\r\n\(ServerHarness.tianning),天宁测试学堂,天宁区,2026-11-20,2027-11-20,"))
            #expect(try await client.send(.get, "/public/institutions/\(ServerHarness.tianning)").text.contains("列入(自2026-11-20起,至2027-11-20)"))
        }
    }
}
