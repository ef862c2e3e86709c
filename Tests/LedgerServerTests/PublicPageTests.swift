import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Ledger
import LedgerServer
import Projections
import Statistics
import TestSupport
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

            // Before any listing, each list says it is empty.
            #expect(try await client.send(.get, "/public/blacklist").text.contains("目前没有在列的机构。"))
            #expect(try await client.send(.get, "/public/penalties").text.contains("没有需要公示的处罚决定。"))
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

            // A white list with its courses, and the figures as open data.
            let other = try await client.token("zl-inspector")
            _ = try await client.send(.post, "/api/events", token: other, json: ServerHarness.line(
                "institution-\(ServerHarness.zhonglou)", "Whitelisted", #"{"list":"钟楼区2026年白名单","courses":[{"name":"少儿美术","specialty":"arts"}]}"#, on: "2026-11-21"))
            _ = try ProjectionEngine().catchUp(database.connect())
            #expect(try await client.send(.get, "/public/whitelists").text.contains("少儿美术(艺术)"))
            let lists = try await client.send(.get, "/public/data/whitelists.json").json
            #expect(lists == .array([.object([
                "key": .string(ServerHarness.zhonglou), "name": .string("钟楼测试学堂"), "district": .string("钟楼区"), "list": .string("钟楼区2026年白名单"),
                "courses": .array([.object(["name": .string("少儿美术"), "specialty": .string("arts")])]),
            ])]))
            let figures = try await client.send(.get, "/public/data/figures.json").json
            #expect(figures["city"]?["blacklist"]?["listed"] == .integer(1))
            #expect(figures["districts"]?["天宁区"]?["blacklist"]?["listed"] == .integer(1))
            #expect(figures["districts"]?["钟楼区"]?["blacklist"]?["listed"] == .integer(0))
        }
    }

    /// The lookup reads the institutions read model's directory: an institution is found by its
    /// key, its USCC and every name it has had, and shown with today's name and district; what
    /// the read models do not hold yet is not found; a made-up parameter is the same page.
    @Test func theLookupFindsAnInstitutionByAnyNameItHasHad() async throws {
        let harness = try await ServerHarness("public_lookup", today: CalendarDate("2026-11-30")!)
        let database = harness.database
        _ = try ProjectionEngine().catchUp(database.connect())
        try await harness.run { client in
            let inspector = try await client.token("city-inspector")
            for (type, data) in [("InstitutionAmended", #"{"name":"天宁新名学堂","uscc":"91320404A0M5KWMW63"}"#),
                                 ("InstitutionRelocated", #"{"district":"钟楼区"}"#)] {
                let response = try await client.send(.post, "/api/events", token: inspector, json: ServerHarness.line(
                    "institution-\(ServerHarness.tianning)", type, data, on: "2026-11-20"))
                #expect(response.status == .created, "\(type): \(response.text)")
            }
            let link = #"href="/public/institutions/\#(ServerHarness.tianning)""#
            #expect(!(try await client.send(.get, "/public/institutions?q=天宁新名").text.contains(link)))
            _ = try ProjectionEngine().catchUp(database.connect())
            for asked in ["天宁新名", "天宁测试", "TN-0001", "tn-00", "A0M5KWMW"] {
                let page = try await client.send(.get, "/public/institutions?q=\(ServerHarness.Client.encoded(asked))").text
                #expect(page.contains(link), "\(asked)")
                #expect(page.contains("天宁新名学堂") && page.contains("钟楼区") && !page.contains("天宁测试学堂"), "\(asked)")
            }
            for asked in ["%", "_", "无此"] {
                #expect(!(try await client.send(.get, "/public/institutions?q=\(ServerHarness.Client.encoded(asked))").text.contains(link)), "\(asked)")
            }
            let first = try await client.send(.get, "/public/institutions?q=TN&n=1")
            let second = try await client.send(.get, "/public/institutions?q=TN&n=2")
            #expect(first.text == second.text && first.headers[.eTag] == second.headers[.eTag])
        }
    }

    /// The Changzhou fixture as the public reads it: 钟楼区's white list of 35 institutions and 79
    /// courses (科技 15, 艺术 16, 体育 39, 综合 9), and figures.json equal to `ledger stats` of the
    /// city and of each district since 双减.
    @Test func theFixtureIsPublishedAsItsFiguresSay() async throws {
        let today = CalendarDate("2026-11-30")!
        let harness = try await ServerHarness("public_fixture", today: today)
        let connection = try harness.database.connect()
        let handle = try FileHandle(forReadingFrom: TestDatabase.fixture("changzhou-2021-2024.jsonl"))
        defer { try? handle.close() }
        _ = try Appender(configuration: .changzhou).append(JSONLinesReader(handle: handle), on: connection)
        let listings = try connection.execute("SELECT stream FROM ledger.events WHERE type = 'InstitutionRegistered' ORDER BY position LIMIT 101").map {
            ServerHarness.line($0["stream"] ?? "", "Blacklisted", #"{"reason":"拒不整改"}"#, on: "2026-11-20", actor: "test")
        }
        _ = try Appender(configuration: .changzhou).append(listings.map { Submission(text: $0) }, on: connection)
        _ = try ProjectionEngine().catchUp(connection)
        try await harness.run { client in
            guard case .array(let rows) = try await client.send(.get, "/public/data/whitelists.json").json else {
                Issue.record("whitelists.json is not an array"); return
            }
            let zhonglou = rows.filter { $0["district"] == .string("钟楼区") }
            var bySpecialty: [String: Int] = [:]
            for case .array(let courses)? in zhonglou.map({ $0["courses"] }) {
                for case .string(let specialty)? in courses.map({ $0["specialty"] }) { bySpecialty[specialty, default: 0] += 1 }
            }
            #expect(zhonglou.count == 35)
            #expect(bySpecialty == ["science": 15, "arts": 16, "sports": 39, "general": 9])
            let page = try await client.send(.get, "/public/whitelists").text
            #expect(page.contains("钟楼区课后服务白名单"))
            // A list page shows 100 rows at most, and leads to the rest; the open data hold all.
            let listed = try await client.send(.get, "/public/blacklist").text
            #expect(listed.components(separatedBy: "<tr><td ").count - 1 == 100)
            #expect(listed.contains(#"<a href="/public/blacklist?page=2" rel="next">下一页</a>"#))
            let last = try await client.send(.get, "/public/blacklist?page=999").text
            #expect(last.components(separatedBy: "<tr><td ").count - 1 == 1)
            #expect(last.contains(#"rel="prev""#) && !last.contains(#"rel="next""#))
            guard case .array(let all) = try await client.send(.get, "/public/data/blacklist.json").json else { return }
            #expect(all.count == 101)

            let figures = try await client.send(.get, "/public/data/figures.json").json
            var statistics = harness.services.statistics
            statistics.catchesUp = false
            let reading = try harness.database.connect()
            for district in [nil] + LedgerConfiguration.changzhou.districts {
                let stats = try statistics.statistics(StatisticsRequest(from: StatisticsRequest.policyStart, to: today, district: district), reading)
                let published = district.map { figures["districts"]?[$0] } ?? figures["city"]
                #expect(published == (try JSONParser.parse(Array(stats.jsonText.utf8))), "\(district ?? "city")")
            }
        }
    }

    /// SPEC §13's rules for penalty decisions: within 36 months, revoked ones gone, a warning
    /// alone never published, a decision without money published from its case, the name as on
    /// the decision day.
    @Test func penaltyDecisionsArePublishedAsTheRulesSay() async throws {
        let harness = try await ServerHarness("public_penalties", today: CalendarDate("2026-11-30")!)
        let I = "institution-\(ServerHarness.tianning)"
        func line(_ stream: String, _ type: String, _ data: String, on day: String) -> String {
            ServerHarness.line(stream, type, data, on: day, actor: "seed")
        }
        func opened(_ violation: String) -> String {
            #"{"institution":"\#(ServerHarness.tianning)","violation":"\#(violation)","source":"inspection","discovered_on":"2026-09-01","violation_on":"2026-08-20","officers":["张三","李四"]}"#
        }
        let lines = [
            line(I, "PenaltyImposed", #"{"decision_no":"天教罚〔2025〕1号","fine_fen":500000,"confiscated_fen":0}"#, on: "2025-01-10"),
            line(I, "PenaltyImposed", #"{"decision_no":"天教罚〔2023〕9号","fine_fen":100000,"confiscated_fen":0}"#, on: "2023-10-01"),
            line(I, "PenaltyImposed", #"{"decision_no":"天教罚〔2025〕2号","fine_fen":200000,"confiscated_fen":0}"#, on: "2025-02-01"),
            line(I, "PenaltyRevoked", #"{"decision_no":"天教罚〔2025〕2号","reason":"复议撤销"}"#, on: "2025-03-01"),
            line("case-C-S", "CaseOpened", opened("overcharging"), on: "2026-09-01"),
            line("case-C-S", "PenaltyNoticeServed", #"{"proposed":["stop_enrolment"],"hearing_right":false}"#, on: "2026-09-05"),
            line("case-C-S", "CaseDecided", #"{"decision_no":"天教罚〔2026〕5号","outcome":"penalty","penalties":["stop_enrolment"]}"#, on: "2026-09-20"),
            line("case-C-W", "CaseOpened", opened("false_advertising"), on: "2026-09-01"),
            line("case-C-W", "PenaltyNoticeServed", #"{"proposed":["warning"],"hearing_right":false}"#, on: "2026-09-05"),
            line("case-C-W", "CaseDecided", #"{"decision_no":"天教罚〔2026〕6号","outcome":"penalty","penalties":["warning"]}"#, on: "2026-09-20"),
            line(I, "WarningIssued", #"{"reason":"虚假宣传","decision_no":"天教罚〔2026〕6号","case":"C-W"}"#, on: "2026-09-20"),
            line(I, "InstitutionAmended", #"{"name":"天宁新学堂"}"#, on: "2026-10-01"),
        ]
        let database = harness.database
        _ = try Appender(configuration: .changzhou).append(lines.map { Submission(text: $0) }, on: database.connect())
        _ = try ProjectionEngine().catchUp(database.connect())
        try await harness.run { client in
            let page = try await client.send(.get, "/public/penalties").text
            #expect(page.contains("天教罚〔2025〕1号") && page.contains("5000.00"))
            #expect(page.contains("天教罚〔2026〕5号") && page.contains("违规收费") && page.contains("停止招生"))
            #expect(!page.contains("天教罚〔2023〕9号"), "older than 36 months")
            #expect(!page.contains("天教罚〔2025〕2号"), "revoked")
            #expect(!page.contains("天教罚〔2026〕6号"), "a warning alone")
            #expect(!page.contains("张三") && !page.contains("李四"), "a person's name")
            let data = try await client.send(.get, "/public/data/penalties.json")
            guard case .array(let rows) = data.json else { Issue.record("not an array: \(data.text)"); return }
            #expect(rows.map { $0["decision_no"] } == [.string("天教罚〔2026〕5号"), .string("天教罚〔2025〕1号")])
            #expect(rows.map { $0["name"] } == [.string("天宁测试学堂"), .string("天宁测试学堂")], "the name as on the decision day")
            #expect(rows.first?["violation"] == .string("overcharging") && rows.last?["violation"] == .null)
            let csv = try await client.send(.get, "/public/data/penalties.csv").text
            #expect(csv.hasPrefix("decision_no,key,name,uscc,violation,fine_fen,confiscated_fen,decided_on\r\n"))
        }
    }

    /// Draws as anyone may re-run them, bulletins with the institutions they name, and the Atom
    /// feed of what was published, newest first.
    @Test func drawsBulletinsAndTheFeedArePublished() async throws {
        let harness = try await ServerHarness("public_publications", today: CalendarDate("2026-11-30")!)
        let database = harness.database
        let planID = UUID()
        let plan = #"{"district":"天宁区","matters":["办学资质"],"count":1,"inspectors":["a","b"],"per_target":2,"window":{"from":"2026-11-20","to":"2026-11-30"}}"#
        let appender = Appender(configuration: .changzhou)
        _ = try appender.append([
            Submission(text: ServerHarness.line("draw-TN-9", "DrawPlanned", plan, id: planID.lowercasedText, on: "2026-11-18", actor: "seed")),
            Submission(text: ServerHarness.line("bulletin-B-9", "BulletinPublished",
                                                #"{"title":"关于违规培训机构的通报","district":"天宁区","exposed":["\#(ServerHarness.tianning)"]}"#, on: "2026-11-25", actor: "seed")),
            Submission(text: ServerHarness.line("institution-\(ServerHarness.tianning)", "PenaltyImposed",
                                                #"{"decision_no":"天教罚〔2026〕9号","fine_fen":300000,"confiscated_fen":0}"#, on: "2026-11-26", actor: "seed")),
        ], on: database.connect())
        let draw = try #require(try RecordedDraw.read("TN-9", configuration: .changzhou, database.connect()))
        let performed = try draw.performing(beacon: "B", beaconDate: "2026-11-19", occurredOn: "2026-11-19", actor: "seed")
        _ = try appender.append(json: performed.line, on: database.connect())
        _ = try ProjectionEngine().catchUp(database.connect())
        try await harness.run { client in
            let list = try await client.send(.get, "/public/draws").text
            #expect(list.contains(#"href="/public/draws/TN-9""#) && list.contains(#"<td data-label="摇号日期">2026-11-19</td><td data-label="结果公示">未公示</td>"#))
            let listed = try await client.send(.get, "/public/data/draws.json").json
            #expect(listed == .array([.object([
                "key": .string("TN-9"), "planned_on": .string("2026-11-18"), "district": .string("天宁区"), "drawn_on": .string("2026-11-19"),
                "results_published_on": .null, "data": .string("/public/data/draws/TN-9"),
            ])]))
            let page = try await client.send(.get, "/public/draws/TN-9").text
            #expect(page.contains(draw.seed(beacon: "B")) && page.contains(ServerHarness.tianning) && page.contains("verify-draw"))
            let data = try await client.send(.get, "/public/data/draws/TN-9").json
            #expect(data["pool"] == .array([.string(ServerHarness.tianning)]) && data["beacon"] == .string("B"))
            #expect(try await client.send(.get, "/public/draws/NONE").status == .notFound)
            let bulletins = try await client.send(.get, "/public/bulletins").text
            #expect(bulletins.contains("关于违规培训机构的通报") && bulletins.contains("天宁测试学堂"))
            let feed = try await client.send(.get, "/public/feed.atom")
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            // Well-formed Atom, checked by a real XML parser: the entries, newest first.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID()).xml")
            try feed.text.write(to: file, atomically: true, encoding: .utf8)
            let check = """
                import sys, xml.etree.ElementTree as ET
                ns = {"a": "http://www.w3.org/2005/Atom"}
                root = ET.parse(sys.argv[1]).getroot()
                assert root.tag == "{http://www.w3.org/2005/Atom}feed"
                for field in ["id", "title", "updated"]:
                    assert root.find("a:" + field, ns) is not None, field
                entries = root.findall("a:entry", ns)
                for entry in entries:
                    for field in ["id", "title", "updated"]:
                        assert entry.find("a:" + field, ns) is not None, field
                print("|".join(entry.find("a:title", ns).text for entry in entries))
                """
            let (status, output) = try runProcess("/usr/bin/env", ["python3", "-c", check, file.path])
            #expect(status == 0)
            #expect(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    == "行政处罚决定 天教罚〔2026〕9号:天宁测试学堂|通报:关于违规培训机构的通报")
        }
    }
}
