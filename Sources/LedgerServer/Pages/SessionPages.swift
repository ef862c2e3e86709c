import Hummingbird

/// Signing in and out (`/login`, `/logout`).
struct SessionPages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/login") { request, _ in
            pages.render("login", title: "登录", user: nil, LoginPage(next: Pages.localPath(FormFields.query(request)["next"]) ?? "", name: ""))
        }
        router.post("/login", use: signIn)
        router.post("/logout", use: signOut)
    }

    struct LoginPage: Sendable {
        let next: String
        let name: String
        var error: String?
    }

    @Sendable func signIn(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let form = try await FormFields.body(request, limit: 64 << 10)
        let name = form.text("name") ?? ""
        let next = Pages.localPath(form.text("next"))
        do {
            let session = try await services.signIn(name: name, password: form["password"] ?? "", from: services.clientAddress(request, context))
            var response = Response.redirect(to: next ?? Pages.home(for: session.user), type: .normal)
            response.setCookie(sessionCookie(session.token, maxAge: services.accounts.sessionHours * 3600, request))
            return response
        } catch let refusal as APIError where refusal.status == .unauthorized {
            return pages.render("login", title: "登录", user: nil, status: .unauthorized, LoginPage(
                next: next ?? "", name: name, error: "用户名或密码错误,或该用户已停用。"))
        } catch let refusal as APIError where refusal.status == .tooManyRequests {
            var response = pages.render("login", title: "登录", user: nil, status: .tooManyRequests, LoginPage(
                next: next ?? "", name: name, error: "登录尝试过于频繁,请\(refusal.retryAfter ?? 60)秒后再试。"))
            if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    /// The session cookie: kept from scripts and other sites, and sent over HTTPS only when the
    /// request came that way (so a plain-HTTP service on a laptop still works).
    func sessionCookie(_ value: String, maxAge: Int, _ request: Request) -> Cookie {
        Cookie(
            name: SessionMiddleware.cookieName, value: value, maxAge: maxAge, path: "/",
            secure: services.isSecure(request), httpOnly: true, sameSite: .strict)
    }

    @Sendable func signOut(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        if let token = context.sessionToken {
            let accounts = services.accounts
            try await services.pool.write { try accounts.closeSession(token: token, $0) }
        }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(sessionCookie("", maxAge: 0, request))
        return response
    }
}
