import Accounts
import HTTPTypes
import Hummingbird

/// Finds who is signed in: a bearer token (API clients) or the session cookie (the pages).
///
/// A cookie-signed request that changes something must come from the service's own pages: the
/// cookie is `SameSite=Strict`, and a request whose `Origin` names another host is refused.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext
    let services: LedgerServices

    static let cookieName = "ledger_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let bearer = Self.bearerToken(request)
        let cookie = request.cookies[Self.cookieName]?.value
        if let token = bearer ?? cookie {
            if bearer == nil, request.method != .get, request.method != .head, !Self.sameOrigin(request) {
                throw APIError(.forbidden, "forbidden", "a cross-site request cannot use the session cookie", chinese: "跨站请求不能使用登录会话")
            }
            let accounts = services.accounts
            context.user = try await services.pool.write { try accounts.user(forToken: token, $0) }
            context.sessionToken = context.user == nil ? nil : token
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard value.hasPrefix(prefix) else { return nil }
        return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    /// True unless the request names an `Origin` whose host differs from the `Host` it was sent to.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
        return originHost == host
    }
}

/// Headers every response carries: no framing, no sniffing, no scripts from anywhere.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }
}
