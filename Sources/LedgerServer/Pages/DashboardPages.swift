import Hummingbird
import Statistics

/// `/dashboard`: the figures of SPEC §4 for a period and district, and the compression chart.
struct DashboardPages: Sendable {
    let pages: Pages

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/dashboard", use: dashboard)
    }

    struct Page: Sendable {
        let scope: String
        let from: String
        let to: String
        let districts: [Pages.Option]
        let figures: [Row]
        /// SVG markup the service builds (``CompressionChart``).
        let chart: String
        let position: Int64
        let mayReply: Bool
        let query: String
    }

    struct Row: Sendable {
        let label: String
        let value: String
    }

    @Sendable func dashboard(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let statistics = try await pages.services.statistics(FormFields.query(request), for: user)
        let scope = statistics.request
        return pages.render("dashboard", title: "统计概览", user: user, Page(
            scope: "\(scope.district ?? "全市") \(scope.from) 至 \(scope.to)",
            from: scope.from.description, to: scope.to.description,
            districts: pages.districtOptions(selected: scope.district, for: user),
            figures: statistics.labelledFigures.map { Row(label: $0.label, value: $0.value) },
            chart: CompressionChart(statistics.compression).svg,
            position: statistics.position,
            mayReply: user.allows(.produceReplies),
            query: FormFields.queryString([
                ("from", scope.from.description), ("to", scope.to.description), ("district", scope.district),
            ])))
    }
}
