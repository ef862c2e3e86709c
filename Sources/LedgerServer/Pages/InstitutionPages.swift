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
        let entries: [Entry]

        struct Entry: Sendable {
            let occurredOn: String
            let typeLabel: String
            let summary: String
            let version: Int
            let position: Int64
            let actor: String
            let recordedAt: String
            let hash: String
            let voided: Bool
            let voidedBy: String?
        }
    }

    @Sendable func timeline(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let key = try context.pathParameter("key")
        let (stream, entries, today) = try await services.history("institution-\(key)", for: user)
        let report = try await services.pool.read { try EventStore().verify(stream: stream.description, $0) }
        let profile = InstitutionProfile(today)
        let recordedID = FormFields.query(request).text("recorded")
        let recorded = entries.first { $0.event.id.lowercasedText == recordedID }
        return pages.render("institution", title: profile.name, user: user, TimelinePage(
            name: profile.name, key: key, district: profile.district ?? "—", status: profile.status,
            chainIntact: report.breaks.isEmpty, chainProblem: report.breaks.first?.description ?? "",
            eventCount: entries.count,
            mayRecord: user.allows(.append) && (user.district == nil || user.district == profile.district),
            recorded: recorded.map { "\(EventLabels.type($0.event.type)),\($0.event.occurredOn)" },
            entries: entries.map { entry in
                .init(
                    occurredOn: entry.event.occurredOn.description, typeLabel: EventLabels.type(entry.event.type),
                    summary: EventLabels.summary(entry.event.data), version: entry.event.version,
                    position: entry.event.position, actor: entry.event.actor, recordedAt: entry.event.recordedAt,
                    hash: entry.event.hash, voided: entry.isVoided, voidedBy: entry.voidedBy)
            }))
    }

    // MARK: The inspector's form

    @Sendable func recordForm(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user)
        return form.page(pages, values: FormFields(["id": UUID().lowercasedText]), problems: [])
    }

    @Sendable func record(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user)
        let values = try await FormFields.body(request, limit: 256 << 10)
        let (submissions, problems) = form.submissions(values)
        guard problems.isEmpty else { return form.page(pages, values: values, problems: problems) }
        do {
            _ = try await services.append(submissions, as: user)
        } catch let refusal as APIError where refusal.status == .unprocessableContent || refusal.status == .conflict {
            return form.page(pages, values: values, problems: refusal.rejections.flatMap(\.problems))
        }
        let id = submissions.last.flatMap { try? JSONParser.parse($0.bytes)["id"]?.stringValue } ?? ""
        return .redirect(to: "/institutions/\(form.key)?recorded=\(id)", type: .normal)
    }
}
