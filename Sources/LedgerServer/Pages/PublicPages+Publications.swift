import EventStore
import Foundation
import Hummingbird
import Ledger
import Postgres

/// The public side of random inspections (SPEC §11) and bulletins, and the Atom feed of what
/// was published (SPEC §13).
extension PublicPages {
    func registerPublications(on router: Router<LedgerRequestContext>) {
        router.get("/public/draws") { try await answer($0, $1, list("public-draws", title: "双随机抽查", plannedDraws)) }
        router.get("/public/draws/{key}") { try await answer($0, $1, draw) }
        router.get("/public/data/draws.json") { try await answer($0, $1, drawData) }
        router.get("/public/data/draws/{key}") { try await answer($0, $1, drawPublished) }
        router.get("/public/bulletins") { try await answer($0, $1, list("public-bulletins", title: "通报", publishedBulletins)) }
        router.get("/public/data/bulletins.json") { try await answer($0, $1, bulletinData) }
        router.get("/public/feed.atom") { try await answer($0, $1, feed) }
    }

    // MARK: Random inspections

    struct PlannedDraw: Sendable {
        let key: String
        let href: String
        let plannedOn: String
        let district: String
        /// Nil until drawn, and until its results are published.
        let drawnOn: String?
        let publishedOn: String?
    }

    /// Every plan, newest first, with the day it was drawn and its results published.
    func plannedDraws(_ connection: Connection) throws -> [PlannedDraw] {
        guard let schema = try schema(of: "obligations", connection) else { return [] }
        return try connection.execute("""
            SELECT substr(d.stream, length('draw-') + 1) AS key, d.planned_on::text AS planned_on, d.district,
                   p.created_on::text AS drawn_on, p.discharged_on::text AS published_on
              FROM \(identifier: schema).draws d
              LEFT JOIN \(identifier: schema).obligations p ON p.stream = d.stream AND p.kind = 'draw_publication'
             WHERE d.planned_on <= \(services.configuration.today.description)::date
             ORDER BY d.planned_on DESC, d.stream
             LIMIT 500
            """).map { row in
            let key = row["key"] ?? ""
            return PlannedDraw(
                key: key, href: "/public/draws/" + FormFields.percentEncoded(key), plannedOn: row["planned_on"] ?? "",
                district: row["district"] ?? "全市", drawnOn: row["drawn_on"], publishedOn: row["published_on"])
        }
    }

    @Sendable func drawData(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let rows = try plannedDraws(connection)
        return Self.json(.array(rows.map { row in
            .object([
                "key": .string(row.key), "planned_on": .string(row.plannedOn), "district": .string(row.district),
                "drawn_on": row.drawnOn.map(JSON.string) ?? .null, "results_published_on": row.publishedOn.map(JSON.string) ?? .null,
                "data": .string("/public/data/draws/" + FormFields.percentEncoded(row.key)),
            ])
        }))
    }

    struct DrawPage: Sendable {
        let key: String
        let rows: [Overview.Row]
        let targets: [Target]
        let drawn: Bool
        let dataHref: String

        struct Target: Sendable {
            let institution: String
            let href: String
            let inspectors: String
            let inspected: String
        }
    }

    /// One draw as anyone may re-run it: plan, pool size, beacon, seed, targets with their
    /// inspectors and whether each was inspected, and whether it is verifiable.
    @Sendable func draw(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let key = try context.pathParameter("key")
        guard StreamName(category: .draw, key: key) != nil,
              let draw = try RecordedDraw.read(key, configuration: services.configuration, connection) else {
            return html("error", title: "未找到", Pages.ErrorPage(heading: "未找到", message: "没有这项双随机抽查"), status: .notFound)
        }
        var rows: [Overview.Row] = [
            .init(label: "计划日期", value: draw.plannedOn.description),
            .init(label: "区域", value: draw.plan.district ?? "全市"),
            .init(label: "抽查事项", value: draw.plan.matters.joined(separator: "、")),
            .init(label: "检查期限", value: "\(draw.plan.windowFrom) 至 \(draw.plan.windowTo)"),
            .init(label: "对象库", value: "\(draw.pool.count) 家"),
        ]
        if let performed = draw.performed {
            rows += [
                .init(label: "信标", value: "\(performed.beacon)(\(performed.beaconDate) 公布)"),
                .init(label: "种子", value: draw.seed(beacon: performed.beacon)),
                .init(label: "可验证", value: draw.verifiable == true ? "是(信标在计划登记之后公布)" : "否(信标早于计划登记,结果仍可重算)"),
                .init(label: "结果公示", value: draw.publishedOn?.description ?? "未公示"),
            ]
        }
        let targets = (draw.performed?.targets ?? []).map { target in
            DrawPage.Target(
                institution: target.institution, href: "/public/institutions/" + FormFields.percentEncoded(target.institution),
                inspectors: target.inspectors.joined(separator: "、"), inspected: draw.inspected.contains(target.institution) ? "已检查" : "未检查")
        }
        return html("public-draw", title: "双随机抽查 \(key)", DrawPage(
            key: key, rows: rows, targets: targets, drawn: draw.performed != nil,
            dataHref: "/public/data/draws/" + FormFields.percentEncoded(key)))
    }

    /// What `ops/verify-draw` takes: the plan, the pool, the beacon and what the ledger recorded.
    @Sendable func drawPublished(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let key = try context.pathParameter("key")
        guard StreamName(category: .draw, key: key) != nil,
              let draw = try RecordedDraw.read(key, configuration: services.configuration, connection) else {
            return Self.json(.object(["error": .string("not_found"), "message": .string("no draw \(key.prefix(64)) is planned")]), status: .notFound)
        }
        return Self.json(draw.published)
    }

    // MARK: Bulletins

    struct Bulletin: Sendable {
        let key: String
        let title: String
        let district: String
        let publishedOn: String
        let exposed: [Exposed]
        let exposedText: String

        struct Exposed: Sendable {
            let key: String
            let name: String
        }
    }

    /// The live bulletins published by today, newest first, with the institutions they name.
    func publishedBulletins(_ connection: Connection) throws -> [Bulletin] {
        guard let schema = try schema(of: "bulletins", connection) else { return [] }
        let rows = try connection.execute("""
            SELECT substr(b.stream, length('bulletin-') + 1) AS key, e.data ->> 'title' AS title, b.district,
                   b.occurred_on::text AS published_on,
                   coalesce((SELECT jsonb_agg(jsonb_build_object('key', substr(x.institution, length('institution-') + 1), 'name', current.name)
                                              ORDER BY x.institution)
                               FROM \(identifier: schema).bulletin_exposures x
                               \(InstitutionDirectory.currentName(of: "x.institution"))
                              WHERE x.stream = b.stream), '[]'::jsonb)::text AS exposed
              FROM \(identifier: schema).bulletins b
              JOIN ledger.events e ON e.id = b.id
             WHERE NOT b.voided AND b.occurred_on <= \(services.configuration.today.description)::date
             ORDER BY b.occurred_on DESC, b.stream
             LIMIT 500
            """)
        return rows.map { row in
            let exposed: [Bulletin.Exposed] = {
                guard case .array(let items)? = try? JSONParser.parse(row["exposed"] ?? "[]") else { return [] }
                return items.map { .init(key: $0["key"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "") }
            }()
            return Bulletin(
                key: row["key"] ?? "", title: row["title"] ?? "", district: row["district"] ?? "全市", publishedOn: row["published_on"] ?? "",
                exposed: exposed, exposedText: exposed.map(\.name).joined(separator: "、"))
        }
    }

    @Sendable func bulletinData(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        let rows = try publishedBulletins(connection)
        return Self.json(.array(rows.map { row in
            .object([
                "key": .string(row.key), "title": .string(row.title), "district": .string(row.district), "published_on": .string(row.publishedOn),
                "exposed": .array(row.exposed.map { .object(["key": .string($0.key), "name": .string($0.name)]) }),
            ])
        }))
    }

    // MARK: The feed

    /// An Atom feed (RFC 4287) of the latest 50 publications: penalty decisions, listings on the
    /// black list, draws' results and bulletins, newest first.
    @Sendable func feed(_ request: Request, _ context: LedgerRequestContext, _ connection: Connection) throws -> Made {
        struct Entry {
            var id: String, title: String, day: String, link: String
        }
        var entries: [Entry] = []
        entries += try decisions(connection).map {
            Entry(id: "penalty:\($0.key):\($0.decisionNo)", title: "行政处罚决定 \($0.decisionNo):\($0.name)", day: $0.decidedOn, link: "/public/penalties")
        }
        entries += try listings(connection).map {
            Entry(id: "blacklist:\($0.key):\($0.since)", title: "列入黑名单:\($0.name)", day: $0.since, link: $0.href)
        }
        entries += try plannedDraws(connection).compactMap { draw in
            draw.publishedOn.map { Entry(id: "draw:\(draw.key)", title: "双随机抽查结果公示 \(draw.key)", day: $0, link: draw.href) }
        }
        entries += try publishedBulletins(connection).map {
            Entry(id: "bulletin:\($0.key)", title: "通报:\($0.title)", day: $0.publishedOn, link: "/public/bulletins")
        }
        let latest = entries.sorted { ($0.day, $0.id) > ($1.day, $1.id) }.prefix(50)
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let base = Self.publicBase(request)
        let updated = (latest.first?.day ?? services.configuration.today.description) + "T00:00:00+08:00"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(escaped(base))/public/feed.atom</id>
            <title>校外培训机构监管公开信息</title>
            <updated>\(updated)</updated>
            <author><name>教育局</name></author>
            <link rel="self" href="\(escaped(base))/public/feed.atom"/>
            <link href="\(escaped(base))/public"/>

            """
        for entry in latest {
            xml += """
                <entry><id>\(escaped(base))/public#\(escaped(entry.id))</id><title>\(escaped(entry.title))</title>\
                <updated>\(entry.day)T00:00:00+08:00</updated><link href="\(escaped(base + entry.link))"/></entry>

                """
        }
        xml += "</feed>\n"
        return Made(body: xml, contentType: "application/atom+xml; charset=utf-8")
    }

    /// Where the site is, as the request reached it (for the feed's absolute links).
    static func publicBase(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return "\(request.head.scheme ?? "http")://\(host)"
    }
}
