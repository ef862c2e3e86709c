import Foundation
import Hummingbird
import Ledger
import Statistics

/// `/dashboard`: the figures of SPEC §4 for a period and district, the compression chart, and the
/// month-by-month trends.
struct DashboardPages: Sendable {
    let pages: Pages

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/dashboard", use: dashboard)
        router.get("/dashboard.xlsx", use: workbook)
    }

    struct Page: Sendable {
        let scope: String
        let from: String
        let to: String
        let districts: [Pages.Option]
        let figures: [Row]
        /// SVG markup the service builds (``CompressionChart``).
        let chart: String
        /// The month-by-month charts (``TrendChart``), SVG markup.
        let trends: String
        let position: Int64
        let mayReply: Bool
        let query: String
        let today: String
        let hasDeadlines: Bool
        let deadlines: [Deadline]
    }

    /// An obligation overdue (red) or due within 5 working days (amber).
    struct Deadline: Sendable {
        let tone: String
        let due: String
        let left: String
        let label: String
        let district: String
        /// The page of the stream, where there is one.
        let href: String?

        /// The panel's rows: overdue first, then due within `soon` working days.
        static func panel(_ open: [Obligation], soon: Int = 5) -> [Deadline] {
            let overdue = open.filter(\.overdue)
            let dueSoon = open.filter { !$0.overdue && ($0.workingDaysLeft.map { $0 <= soon } ?? false) }
            return (overdue + dueSoon).map { obligation in
                let left = obligation.workingDaysLeft ?? 0
                let href = StreamName(obligation.stream).flatMap(Pages.href)
                return Deadline(
                    tone: obligation.overdue ? "overdue" : "soon", due: obligation.due.description,
                    left: obligation.overdue ? "逾期 \(-left) 个工作日" : left == 0 ? "今日到期" : "剩 \(left) 个工作日",
                    label: obligation.label, district: obligation.district ?? "全市", href: href)
            }
        }
    }

    struct Row: Sendable {
        let label: String
        let value: String
    }

    @Sendable func dashboard(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let (statistics, series) = try await pages.services.statisticsAndSeries(FormFields.query(request), for: user)
        let scope = statistics.request
        let today = pages.services.configuration.today
        let open = try await pages.services.deadlines(FormFields(scope.district.map { ["district": $0] } ?? [:]), for: user)
        let panel = Deadline.panel(open)
        return pages.render("dashboard", title: "统计概览", user: user, Page(
            scope: "\(scope.district ?? "全市") \(scope.from) 至 \(scope.to)",
            from: scope.from.description, to: scope.to.description,
            districts: pages.districtOptions(selected: scope.district, for: user),
            figures: statistics.labelledFigures.map { Row(label: $0.label, value: $0.value) },
            chart: CompressionChart(statistics.compression).svg,
            trends: TrendChart.charts(series).map(\.svg).joined(separator: "\n"),
            position: statistics.position,
            mayReply: user.allows(.produceReplies),
            query: FormFields.queryString([
                ("from", scope.from.description), ("to", scope.to.description), ("district", scope.district),
            ]),
            today: today.description, hasDeadlines: !panel.isEmpty, deadlines: panel))
    }

    /// The period's figures as an Excel workbook (总表, 分区, 月度), for offices that work in
    /// Excel or WPS.
    @Sendable func workbook(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let (bytes, asked) = try await pages.services.workbook(FormFields.query(request), for: user)
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        response.headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        let name = "statistics-\(asked.district.map { "\($0)-" } ?? "")\(asked.from)-\(asked.to).xlsx"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-."))) ?? "statistics.xlsx"
        response.headers[.contentDisposition] = "attachment; filename=\"statistics.xlsx\"; filename*=UTF-8''\(encoded)"
        return response
    }
}
