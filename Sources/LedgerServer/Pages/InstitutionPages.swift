import EventStore
import Foundation
import Hummingbird

/// `/institutions`: finding an institution, its timeline, and the inspector's form for it.
struct InstitutionPages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/institutions", use: search)
        router.get("/institutions/{key}", use: timeline)
        router.get("/institutions/{key}/record", use: recordForm)
        router.post("/institutions/{key}/record", use: record)
    }

    // MARK: Search

    struct SearchPage: Sendable {
        let q: String
        let hasResults: Bool
        let results: [Result]
        let emptyText: String

        struct Result: Sendable {
            let key: String
            let name: String
            let district: String
        }
    }

    @Sendable func search(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let query = FormFields.query(request).text("q") ?? ""
        let district = user.role == .inspector ? user.district : nil
        let results = try await services.pool.read { try InstitutionDirectory.search(query, district: district, $0) }
        return pages.render("institutions", title: "机构查询", user: user, SearchPage(
            q: query, hasResults: !results.isEmpty,
            results: results.map { .init(key: $0.key, name: $0.name, district: $0.district ?? "—") },
            emptyText: query.isEmpty && district == nil ? "输入名称或编号查询。" : "没有找到符合条件的机构。"))
    }

    // MARK: Timeline

    struct TimelinePage: Sendable {
        let name: String
        let key: String
        let district: String
        let status: String
        let chainIntact: Bool
        let chainProblem: String
        let eventCount: Int
        let mayRecord: Bool
        /// What was just recorded (after the form), if anything.
        let recorded: String?
        let hasCases: Bool
        let cases: [Pages.Link]
        let entries: [Pages.Entry]
    }

    @Sendable func timeline(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let key = try context.pathParameter("key")
        let (stream, entries, today) = try await services.history("institution-\(key)", for: user)
        let report = try await services.pool.read { try EventStore().verify(stream: stream.description, $0) }
        let profile = InstitutionProfile(today)
        let cases = try await services.pool.read { try InstitutionDirectory.cases(of: key, $0) }
        return pages.render("institution", title: profile.name, user: user, TimelinePage(
            name: profile.name, key: key, district: profile.district ?? "—", status: profile.status,
            chainIntact: report.breaks.isEmpty, chainProblem: report.breaks.first?.description ?? "",
            eventCount: entries.count,
            mayRecord: user.allows(.append) && (user.district == nil || user.district == profile.district),
            recorded: Pages.recorded(request, in: entries),
            hasCases: !cases.isEmpty, cases: cases.map { Pages.Link(href: "/cases/\(FormFields.percentEncoded($0))", label: "案件 \($0)") },
            entries: entries.map { Pages.Entry($0, services.configuration) }))
    }

    // MARK: The inspector's form

    @Sendable func recordForm(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        try await pages.recordForm(request, context, subject: .institution)
    }

    @Sendable func record(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        try await pages.record(request, context, subject: .institution)
    }
}
