import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Postgres
import Projections
import Statistics

/// `/public`: what is made public (SPEC §13), without sign-in, read-only, for parents and the
/// press. Every answer comes from the read models as they stand (never a catch-up, never a write),
/// on a connection pool of its own so that public traffic cannot take the signed-in service's,
/// with a strong `ETag` made of the read models' position and the day (what a page shows changes
/// with neither otherwise) and `Cache-Control` so that a cache or a CDN carries repeats. An answer
/// is kept in memory and served for `ServerLimits.publicFreshness` without touching the database at all, then again
/// for as long as the position and day stand (one small query to see); a repeat with
/// `If-None-Match` is answered 304. While the ledger appends all day, a page is thus made at most
/// once per that time, and shows the ledger at most that much (and `max-age`) behind.
struct PublicPages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }
    let cache = PublicCache()

    /// Longest search text, and most rows a list shows.
    static let maximumQuery = 50
    static let pageSize = 50

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/public") { try await answer($0, $1, overview) }
        router.get("/public/institutions") { try await answer($0, $1, institutions) }
        router.get("/public/institutions/{key}") { try await answer($0, $1, institution) }
        router.get("/public/blacklist") { try await answer($0, $1, list("public-blacklist", title: "黑名单", listings)) }
        router.get("/public/data/blacklist.json") { try await answer($0, $1, blacklistData(json: true)) }
        router.get("/public/data/blacklist.csv") { try await answer($0, $1, blacklistData(json: false)) }
        router.get("/public/penalties") { try await answer($0, $1, list("public-penalties", title: "行政处罚公示", decisions)) }
        router.get("/public/whitelists") { try await answer($0, $1, list("public-whitelists", title: "白名单", listed)) }
        registerPublications(on: router)
        router.get("/public/data/whitelists.json") { try await answer($0, $1, whitelistData) }
        router.get("/public/data/figures.json") { try await answer($0, $1, figureData) }
        router.get("/public/data/penalties.json") { try await answer($0, $1, penaltyData(json: true)) }
        router.get("/public/data/penalties.csv") { try await answer($0, $1, penaltyData(json: false)) }
    }

    /// What a public page is made of, once per position and day: its body and content type.
    struct Made: Sendable {
        var body: String
        var contentType: String
        var status: HTTPResponse.Status = .ok
    }

    /// Answers `request` with `make` on the read models: 304 when the client holds this
    /// position's answer, the kept answer when there is one, else made and kept.
    func answer(
        _ request: Request, _ context: LedgerRequestContext,
        _ make: @escaping @Sendable (Request, LedgerRequestContext, Connection) throws -> Made
    ) async throws -> Response {
        // Kept by what a page reads (its path, the lookup's `q`, a list's `page`; no other parameter), so that
        // a flood of made-up query strings is answered from the kept answer like any repeat.
        let asked = FormFields.query(request)
        let key = [request.uri.path, asked.text("q") ?? "", asked.text("page") ?? ""].joined(separator: "\u{0}")
        let keeps = services.limits.publicKeepsAnswers
        if keeps, let (tag, made) = await cache.fresh(key, within: services.limits.publicFreshness) { return Self.respond(request, made, tag: tag) }
        let today = services.configuration.today
        let position = try await services.publicPool.read { try Self.readModelPosition($0) }
        let tag = "\"p\(position)-\(today)\""
        if keeps, let kept = await cache.get(key, tag: tag) { return Self.respond(request, kept, tag: tag) }
        if Self.holds(request, tag) { return Self.headers(Response(status: .notModified), tag: tag) }
        let made = try await services.publicPool.read { try make(request, context, $0) }
        if keeps, made.status == .ok { await cache.put(key, tag: tag, made) }
        return Self.respond(request, made, tag: tag)
    }

    /// Whether the client holds the answer tagged `tag` (`If-None-Match`).
    static func holds(_ request: Request, _ tag: String) -> Bool {
        request.headers[.ifNoneMatch].map { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == tag } } ?? false
    }

    static func respond(_ request: Request, _ made: Made, tag: String) -> Response {
        if holds(request, tag) { return headers(Response(status: .notModified), tag: tag) }
        return headers(.text(made.body, contentType: made.contentType, status: made.status), tag: tag)
    }

    static func headers(_ response: Response, tag: String) -> Response {
        var response = response
        response.headers[.eTag] = tag
        response.headers[.cacheControl] = "public, max-age=60"
        return response
    }

    /// The position the read models stand at in common (0 before they exist): what every public
    /// answer reflects.
    static func readModelPosition(_ connection: Connection) throws -> Int64 {
        try connection.execute("SELECT coalesce(min(position), 0) AS p FROM projections.generations WHERE state = 'current'")[0].decode("p")
    }

    /// The schema of read model `projection`'s current generation; nil before there is one.
    func schema(of projection: String, _ connection: Connection) throws -> String? {
        try services.statistics.engine.existingCurrentGenerations(connection)?[projection]?.schema
    }

    var reader: StatisticsService {
        var service = services.statistics
        service.catchesUp = false
        return service
    }

    func html<Page: Sendable>(_ template: String, title: String, _ page: Page, status: HTTPResponse.Status = .ok) -> Made {
        Made(body: pages.html(template, title: title, user: nil, isPublic: true, page), contentType: "text/html; charset=utf-8", status: status)
    }

    /// Rows a list page shows at most; the open data hold them all.
    static let listPageSize = 100

    /// The handler of a list page: the rows `read` reads from the read models, as of today, the
    /// page of them that the request's `page` asks for (the first when it asks for none or for
    /// what is not a page, the last past the end).
    func list<Row: Sendable>(
        _ template: String, title: String, _ read: @escaping @Sendable (Connection) throws -> [Row]
    ) -> @Sendable (Request, LedgerRequestContext, Connection) throws -> Made {
        { request, _, connection in
            let rows = try read(connection)
            let count = max(1, (rows.count + Self.listPageSize - 1) / Self.listPageSize)
            let number = min(count, max(1, FormFields.query(request).text("page").flatMap { Int($0) } ?? 1))
            let shown = Array(rows.dropFirst((number - 1) * Self.listPageSize).prefix(Self.listPageSize))
            let path = request.uri.path
            let pager = count == 1 ? nil : Pager(
                number: number, count: count, total: rows.count,
                previous: number > 1 ? "\(path)?page=\(number - 1)" : nil, next: number < count ? "\(path)?page=\(number + 1)" : nil)
            return html(template, title: title, ListPage(asOf: services.configuration.today.description, rows: shown, pager: pager))
        }
    }

    /// Open data as JSON.
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Made {
        Made(body: value.canonicalText, contentType: "application/json; charset=utf-8", status: status)
    }

    // MARK: The pages

    struct Overview: Sendable {
        let asOf: String
        let figures: [Row]
        let districts: [DistrictRow]

        struct Row: Sendable {
            let label: String
            let value: String
        }

        struct DistrictRow: Sendable {
            let district: String
            let rate: String
            let inspections: String
            let fines: String
            let blacklisted: String
        }
    }

    /// The city's figures since 双减, and each district's.
    @Sendable func overview(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let today = services.configuration.today
        func figures(_ district: String?) throws -> Statistics {
            try reader.statistics(StatisticsRequest(from: StatisticsRequest.policyStart, to: today, district: district), connection)
        }
        let city = try figures(nil)
        // Every figure as the table shows it: money in 万元, a row per part.
        let rows = city.labelledFigures.map { Overview.Row(label: $0.label.trimmingCharacters(in: .whitespaces), value: $0.value) }
        let districts = try services.configuration.districts.map { district in
            let s = try figures(district)
            return Overview.DistrictRow(
                district: district, rate: s.compression.ratePercent.map { "\($0)%" } ?? "—",
                inspections: String(s.institutionInspections), fines: HalfUp.wanYuan(fen: s.finesFen),
                blacklisted: String(s.blacklist.listed))
        }
        return html("public", title: "公开信息", Overview(asOf: "\(today)(账本位置 \(city.position))", figures: rows, districts: districts))
    }

    struct Search: Sendable {
        let q: String
        let searched: Bool
        let results: [Result]
        let note: String?

        struct Result: Sendable {
            let href: String
            let name: String
            let district: String
        }
    }

    /// Institutions whose name, key or USCC holds `q` (at most 50 characters; the first 50 found).
    @Sendable func institutions(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let asked = FormFields.query(request).text("q") ?? ""
        guard asked.count <= Self.maximumQuery else {
            return html("public-search", title: "机构查询", Search(q: String(asked.prefix(Self.maximumQuery)), searched: false, results: [],
                        note: "查询内容最多 \(Self.maximumQuery) 个字"), status: .badRequest)
        }
        let found = asked.isEmpty ? [] : try lookup(asked, connection)
        return html("public-search", title: "机构查询", Search(
            q: asked, searched: !asked.isEmpty,
            results: found.prefix(Self.pageSize).map {
                .init(href: "/public/institutions/" + FormFields.percentEncoded($0.key), name: $0.name, district: $0.district ?? "—")
            },
            note: found.count > Self.pageSize ? "只显示前 \(Self.pageSize) 家,请输入更完整的名称" : nil))
    }

    /// The registered institutions whose key, or a name or USCC they have had, holds `text`, by
    /// name: a page of them and one more (to tell that there are more), from the institutions
    /// read model's directory, which an index answers at any size of the log.
    func lookup(_ text: String, _ connection: Connection) throws -> [InstitutionDirectory.Entry] {
        guard let schema = try schema(of: "institutions", connection) else { return [] }
        return try connection.execute("""
            SELECT substr(stream, length('institution-') + 1) AS key, name, district FROM \(identifier: schema).directory
             WHERE search ILIKE \(InstitutionDirectory.containing(text))
             ORDER BY name, stream LIMIT \(Self.pageSize + 1)
            """).map { InstitutionDirectory.Entry(key: $0["key"] ?? "", name: $0["name"] ?? "", district: $0["district"]) }
    }

    struct Institution: Sendable {
        let name: String
        let key: String
        let rows: [Overview.Row]
    }

    /// One institution as of today: registered or not, licensed, closed, its white lists, the
    /// black list, fund custody and guidance price.
    @Sendable func institution(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let key = try context.pathParameter("key")
        guard let stream = StreamName(category: .institution, key: key) else {
            return html("error", title: "未找到", Pages.ErrorPage(heading: "未找到", message: "没有这家机构"), status: .notFound)
        }
        let entries = try History.of(stream, connection)
        guard !entries.isEmpty else {
            return html("error", title: "未找到", Pages.ErrorPage(heading: "未找到", message: "台账中没有 \(key)"), status: .notFound)
        }
        let today = services.configuration.today
        let state = try StreamState(name: stream, events: entries.map(\.event), configuration: services.configuration)
        let now = StreamStateToday(state: state, today: today)
        let facts = now.facts
        let live = Set(entries.filter { !$0.isVoided && $0.event.occurredOn <= today }.map(\.event.type))
        let yes = { (flag: Bool) in flag ? "是" : "否" }
        let listing = facts.blacklist.flatMap { now.blacklisted ? "列入(自\($0.since)起\($0.until.map { ",至\($0)" } ?? ""))" : nil } ?? "未列入"
        let rows: [Overview.Row] = [
            .init(label: "机构编号", value: key),
            .init(label: "所在区域", value: now.district ?? "—"),
            .init(label: "状态", value: !facts.opened ? "未纳入台账" : facts.closed ? "已关停/注销" : "在册"),
            .init(label: "类别", value: facts.category.map { EventLabels.text(.string($0.rawValue)) } ?? "—"),
            .init(label: "证照齐全", value: yes(facts.licensed)),
            .init(label: "白名单", value: facts.lists.isEmpty ? "未列入" : facts.lists.sorted().joined(separator: "、")),
            .init(label: "黑名单", value: listing),
            .init(label: "预收费资金监管", value: yes(live.contains(EventType.fundCustodyEnrolled.rawValue))),
            .init(label: "执行政府指导价", value: yes(live.contains(EventType.guidancePriceAdopted.rawValue))),
        ]
        return html("public-institution", title: facts.name ?? key, Institution(name: facts.name ?? key, key: key, rows: rows))
    }

    /// A public list: the day it is as of, and its rows. `empty` is stored: the templates read a
    /// page's stored properties only (a computed one is not seen, and the list never said so).
    struct ListPage<Row: Sendable>: Sendable {
        let asOf: String
        let rows: [Row]
        let empty: Bool
        let pager: Pager?

        init(asOf: String, rows: [Row], pager: Pager? = nil) {
            self.asOf = asOf
            self.rows = rows
            empty = rows.isEmpty
            self.pager = pager
        }
    }

    /// Where a list of more than one page stands (`pager.mustache`).
    struct Pager: Sendable {
        let number: Int
        let count: Int
        let total: Int
        let previous: String?
        let next: String?
    }

    struct Listing: Sendable {
        let href: String
        let key: String
        let name: String
        let district: String
        let since: String
        let until: String
        let reason: String
    }

    /// The institutions on the black list today (a listing ends on its `until` by itself).
    func listings(_ connection: Connection) throws -> [Listing] {
        let today = services.configuration.today
        guard let schema = try schema(of: "obligations", connection) else { return [] }
        return try connection.execute("""
            SELECT substr(b.stream, length('institution-') + 1) AS key, b.listed_on::text AS since, b.ends_on::text AS until,
                   b.district, b.reason, current.name
              FROM \(identifier: schema).blacklistings b
              \(InstitutionDirectory.currentName(of: "b.stream"))
             WHERE b.listed_on <= \(today.description)::date AND (b.ends_on IS NULL OR b.ends_on > \(today.description)::date)
             ORDER BY b.listed_on DESC, b.stream
            """).map { row in
            let key = row["key"] ?? ""
            return Listing(
                href: "/public/institutions/" + FormFields.percentEncoded(key), key: key, name: row["name"] ?? key,
                district: row["district"] ?? "—", since: row["since"] ?? "", until: row["until"] ?? "", reason: row["reason"] ?? "")
        }
    }

    /// The black list as open data: JSON (an array of `{key, name, district, since, until, reason}`)
    /// or CSV with the same columns.
    func blacklistData(json: Bool) -> @Sendable (Request, LedgerRequestContext, Connection) throws -> Made {
        { _, _, connection in
            let rows = try listings(connection)
            if json {
                return Self.json(.array(rows.map { row in
                    .object([
                        "key": .string(row.key), "name": .string(row.name), "district": .string(row.district), "since": .string(row.since),
                        "until": row.until.isEmpty ? .null : .string(row.until), "reason": .string(row.reason),
                    ])
                }))
            }
            return Self.csv(["key", "name", "district", "since", "until", "reason"],
                            rows.map { [$0.key, $0.name, $0.district, $0.since, $0.until, $0.reason] })
        }
    }

    /// Open data as CSV: a header of `columns`, then a line per row (RFC 4180 line ends).
    static func csv(_ columns: [String], _ rows: [[String]]) -> Made {
        let lines = ([columns] + rows).map { $0.map(csvField).joined(separator: ",") + "\r\n" }
        return Made(body: lines.joined(), contentType: "text/csv; charset=utf-8")
    }

    /// A CSV field, quoted when it must be; a leading = + - @ is prefixed with ' so a spreadsheet
    /// does not run it.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension PublicPages {
    /// A published penalty decision (行政处罚公示, SPEC §13): never a person's name.
    struct Decision: Sendable {
        let decisionNo: String
        let key: String
        let href: String
        let name: String
        let uscc: String
        let violation: String
        let violationLabel: String
        let penalties: String
        let fineFen: Int64
        let confiscatedFen: Int64
        let fine: String
        let confiscated: String
        let decidedOn: String
    }


    /// The decisions shown today: decided on or before today, less than 36 months ago, not
    /// withdrawn (revoked, or changed, revoked or confirmed illegal on appeal) by today.
    func decisions(_ connection: Connection) throws -> [Decision] {
        let today = services.configuration.today
        guard let schema = try schema(of: "obligations", connection) else { return [] }
        return try connection.execute("""
            SELECT decision_no, institution, coalesce(name, institution) AS name, coalesce(uscc, '') AS uscc,
                   coalesce(violation, '') AS violation, penalties::text AS penalties, fine_fen, confiscated_fen, decided_on::text AS decided_on
              FROM \(identifier: schema).penalty_decisions
             WHERE decided_on <= \(today.description)::date AND \(today.description)::date < decided_on + interval '36 months'
               AND (withdrawn_on IS NULL OR withdrawn_on > \(today.description)::date)
             ORDER BY decided_on DESC, decision_no
            """).map { row in
            let key = row["institution"] ?? ""
            let kinds = (try? JSONParser.parse(row["penalties"] ?? "[]")).flatMap { json -> [String]? in
                guard case .array(let items) = json else { return nil }
                return items.compactMap(\.stringValue)
            } ?? []
            let fine: Int64 = (try? row.decode("fine_fen")) ?? 0, confiscated: Int64 = (try? row.decode("confiscated_fen")) ?? 0
            let violation = row["violation"] ?? ""
            return Decision(
                decisionNo: row["decision_no"] ?? "", key: key, href: "/public/institutions/" + FormFields.percentEncoded(key),
                name: row["name"] ?? key, uscc: row["uscc"] ?? "", violation: violation,
                violationLabel: violation.isEmpty ? "—" : EventLabels.text(.string(violation)),
                penalties: kinds.map { EventLabels.text(.string($0)) }.joined(separator: "、"),
                fineFen: fine, confiscatedFen: confiscated, fine: EventLabels.yuan(fine), confiscated: EventLabels.yuan(confiscated),
                decidedOn: row["decided_on"] ?? "")
        }
    }

    /// The decisions as open data: `decision_no, key, name, uscc, violation, fine_fen, confiscated_fen, decided_on`.
    func penaltyData(json: Bool) -> @Sendable (Request, LedgerRequestContext, Connection) throws -> Made {
        { _, _, connection in
            let rows = try decisions(connection)
            if json {
                return Self.json(.array(rows.map { row in
                    .object([
                        "decision_no": .string(row.decisionNo), "key": .string(row.key), "name": .string(row.name),
                        "uscc": row.uscc.isEmpty ? .null : .string(row.uscc), "violation": row.violation.isEmpty ? .null : .string(row.violation),
                        "fine_fen": .integer(row.fineFen), "confiscated_fen": .integer(row.confiscatedFen), "decided_on": .string(row.decidedOn),
                    ])
                }))
            }
            return Self.csv(["decision_no", "key", "name", "uscc", "violation", "fine_fen", "confiscated_fen", "decided_on"], rows.map { row in
                [row.decisionNo, row.key, row.name, row.uscc, row.violation, String(row.fineFen), String(row.confiscatedFen), row.decidedOn]
            })
        }
    }
}

extension PublicPages {
    /// An institution on a white list today, with the list's courses.
    struct Listed: Sendable {
        let href: String
        let key: String
        let name: String
        let district: String
        let list: String
        let courses: JSON
        let coursesText: String
    }


    /// Every institution on a white list today, registered and not closed, by list and district
    /// (from the white-list intervals and the state intervals of the institutions read model).
    func listed(_ connection: Connection) throws -> [Listed] {
        let today = services.configuration.today.description
        guard let schema = try schema(of: "institutions", connection) else { return [] }
        return try connection.execute("""
            SELECT substr(l.stream, length('institution-') + 1) AS key, l.list, coalesce(l.courses, '[]'::jsonb)::text AS courses,
                   t.district, current.name
              FROM \(identifier: schema).list_states l
              JOIN \(identifier: schema).institution_states t
                ON t.stream = l.stream AND t.valid_from <= \(today)::date AND (t.valid_to IS NULL OR \(today)::date < t.valid_to)
               AND t.registered AND NOT t.closed
              \(InstitutionDirectory.currentName(of: "l.stream"))
             WHERE l.listed AND l.valid_from <= \(today)::date AND (l.valid_to IS NULL OR \(today)::date < l.valid_to)
             ORDER BY l.list, t.district, name, l.stream
            """).map { row in
            let key = row["key"] ?? ""
            let courses = (try? JSONParser.parse(row["courses"] ?? "[]")) ?? .array([])
            let text: String = if case .array(let items) = courses {
                items.map { "\($0["name"]?.stringValue ?? "")(\(EventLabels.text($0["specialty"] ?? .null)))" }.joined(separator: "、")
            } else { "" }
            return Listed(
                href: "/public/institutions/" + FormFields.percentEncoded(key), key: key, name: row["name"] ?? key,
                district: row["district"] ?? "—", list: row["list"] ?? "", courses: courses, coursesText: text)
        }
    }

    /// One row per institution and list: `key, name, district, list, courses [{name, specialty}]`.
    @Sendable func whitelistData(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let rows = try listed(connection)
        return Self.json(.array(rows.map { row in
            .object(["key": .string(row.key), "name": .string(row.name), "district": .string(row.district), "list": .string(row.list), "courses": row.courses])
        }))
    }

    /// The §4 figures since 双减 of the city and of each district, as `ledger stats --format json`
    /// writes them: `{"city": {…}, "districts": {"<district>": {…}}}`.
    @Sendable func figureData(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let today = services.configuration.today
        func json(_ district: String?) throws -> String {
            try reader.statistics(StatisticsRequest(from: StatisticsRequest.policyStart, to: today, district: district), connection).jsonText
        }
        let districts = try services.configuration.districts.map { "\(JSON.string($0).canonicalText):\(try json($0))" }
        return Made(body: "{\"city\":\(try json(nil)),\"districts\":{\(districts.joined(separator: ","))}}", contentType: "application/json; charset=utf-8")
    }
}

/// The public answers made at the latest position and day, by URL: a repeat costs one query.
actor PublicCache {
    private var kept: [String: (tag: String, made: PublicPages.Made, checked: ContinuousClock.Instant)] = [:]
    private static let maximumEntries = 2_000

    /// The kept answer for `key` and its tag, if it was made or checked within `age`.
    func fresh(_ key: String, within age: Duration) -> (String, PublicPages.Made)? {
        guard let entry = kept[key], entry.checked.duration(to: .now) < age else { return nil }
        return (entry.tag, entry.made)
    }

    /// The kept answer for `key` if it is the one for `tag` (and it counts as checked now).
    func get(_ key: String, tag: String) -> PublicPages.Made? {
        guard let entry = kept[key], entry.tag == tag else { return nil }
        kept[key]?.checked = .now
        return entry.made
    }

    func put(_ key: String, tag: String, _ made: PublicPages.Made) {
        // Bounded: past the cap, answers of other positions go first, then all of them.
        if kept.count >= Self.maximumEntries {
            kept = kept.filter { $0.value.tag == tag }
            if kept.count >= Self.maximumEntries { kept.removeAll(keepingCapacity: true) }
        }
        kept[key] = (tag, made, .now)
    }
}
