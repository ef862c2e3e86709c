import Hummingbird
import Logging

/// `ledger serve`: the JSON API under `/api/` and the pages people use, over the same core as
/// the command line, with the same validation.
public enum LedgerServer {
    /// The largest request body read; a larger one is refused with 413.
    public static let maximumBodyBytes = 8 << 20
    /// The most events one append request may carry.
    public static let maximumBatch = 10_000

    /// The routes of the JSON API, as registered.
    public static func endpoints(_ services: LedgerServices) -> [Endpoint] {
        APIRoutes(services: services).endpoints
    }

    /// The router with every API route and page.
    public static func router(_ services: LedgerServices) throws -> Router<LedgerRequestContext> {
        let pages = try Pages(services: services)
        let router = Router(context: LedgerRequestContext.self)
        router.addMiddleware {
            SecurityHeadersMiddleware()
            ErrorMiddleware(pages: pages)
            SessionMiddleware(services: services)
        }
        for endpoint in endpoints(services) {
            router.on(RouterPath(endpoint.path), method: endpoint.method, use: endpoint.handler)
        }
        pages.register(on: router)
        return router
    }

    /// The application, listening on `host`:`port`.
    public static func application(
        _ services: LedgerServices, host: String, port: Int, logger: Logger
    ) throws -> some ApplicationProtocol {
        Application(
            router: try router(services),
            configuration: .init(address: .hostname(host, port: port), serverName: "ledger"),
            logger: logger)
    }
}
