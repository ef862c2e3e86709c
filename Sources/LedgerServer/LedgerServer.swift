import Hummingbird
import Ledger
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

    /// The public site's open data (SPEC §13): GET routes without sign-in, which the OpenAPI
    /// document describes beside the API's.
    public static let publicDataPaths = [
        "/public/data/blacklist.json", "/public/data/blacklist.csv", "/public/data/penalties.json", "/public/data/penalties.csv",
        "/public/data/whitelists.json", "/public/data/figures.json", "/public/data/draws.json", "/public/data/draws/{key}",
        "/public/data/bulletins.json", "/public/feed.atom",
    ]

    /// The methods answered with 405 on an API path that does not take them.
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!]

    /// The router with every API route and page.
    public static func router(_ services: LedgerServices) throws -> Router<LedgerRequestContext> {
        let pages = try Pages(services: services)
        let router = Router(context: LedgerRequestContext.self)
        router.addMiddleware {
            SecurityHeadersMiddleware()
            ErrorMiddleware(pages: pages)
            SessionMiddleware(services: services)
        }
        let endpoints = endpoints(services)
        for endpoint in endpoints {
            router.on(RouterPath(endpoint.path), method: endpoint.method, use: endpoint.handler)
        }
        // A method a path does not take is 405 with the ones it does, not 404 (the open data's too).
        let paths = endpoints.map { ($0.path, $0.method) } + publicDataPaths.map { ($0, HTTPRequest.Method.get) }
        for path in Set(paths.map(\.0)) {
            let allowed = paths.filter { $0.0 == path }.map(\.1)
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in Self.methods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ in
                    var response = APIError(.methodNotAllowed, "method_not_allowed", "\(path) takes \(allow)", chinese: "\(path) 只接受 \(allow)")
                        .response(Language.preferred(acceptLanguage: request.headers[.acceptLanguage]))
                    response.headers[.allow] = allow
                    return response
                }
            }
        }
        pages.register(on: router)
        return router
    }

    /// The application, listening on `host`:`port`.
    public static func application(
        _ services: LedgerServices, host: String, port: Int, logger: Logger
    ) throws -> some ApplicationProtocol {
        let clients = ConnectionGuard.Clients()
        let limits = services.limits
        return Application(
            router: try router(services),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits, clients: clients)])),
            configuration: .init(address: .hostname(host, port: port), serverName: "ledger"),
            logger: logger)
    }
}
