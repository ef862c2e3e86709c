import Accounts
import EventStore
import Foundation
import Hummingbird
import Ledger
import Mustache
import Postgres
import Reply
import Statistics

/// The server-rendered pages: sign-in, the dashboard, institutions and their timelines, the
/// inspector's form, the council reply, users. No scripts; every page works on a phone.
struct Pages: Sendable {
    let services: LedgerServices
    let library: MustacheLibrary

    init(services: LedgerServices) throws {
        self.services = services
        library = try Templates.library()
    }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/") { _, context in
            guard let user = context.user else { return Response.redirect(to: "/login") }
            return Response.redirect(to: Self.home(for: user))
        }
        router.get("/login") { request, context in
            render("login", title: "登录", user: nil, ["next": Self.localPath(FormFields.query(request)["next"]) ?? "", "name": ""])
        }
        router.post("/login", use: signIn)
        router.post("/logout", use: signOut)
        router.get("/dashboard", use: dashboard)
        router.get("/institutions", use: institutions)
        router.get("/institutions/{key}", use: institution)
        router.get("/institutions/{key}/record", use: recordForm)
        router.post("/institutions/{key}/record", use: record)
        router.get("/reply", use: reply)
        router.get("/users", use: users)
        router.post("/users", use: addUser)
        router.post("/users/{name}/disable", use: disableUser)
    }

    /// `text` when it is a path on this site to go on to, else nil. Browsers take `//host`,
    /// `/\host` and a path with a tab or a newline in it (which they drop) for another site, so
    /// only printable ASCII without a backslash is kept, and never `//` at the start.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"),
              text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }) else { return nil }
        return text
    }

    static func home(for user: User) -> String {
        user.allows(.readStatistics) ? "/dashboard" : user.allows(.manageUsers) ? "/users" : "/login"
    }

    // MARK: Rendering

    func render(_ template: String, title: String, user: User?, status: HTTPResponse.Status = .ok, _ values: [String: Any]) -> Response {
        var context = values
        context["title"] = title
        if let user {
            var nav: [[String: String]] = []
            if user.allows(.readStatistics) { nav.append(["href": "/dashboard", "label": "统计概览"]) }
            if user.allows(.readHistory) { nav.append(["href": "/institutions", "label": "机构查询"]) }
            if user.allows(.produceReplies) { nav.append(["href": "/reply", "label": "提案答复"]) }
            if user.allows(.manageUsers) { nav.append(["href": "/users", "label": "用户管理"]) }
            context["user"] = ["title": user.title, "nav": nav] as [String: Any]
        }
        let html = library.render(context, withTemplate: template) ?? "<p>template \(template) is missing</p>"
        return .text(html, contentType: "text/html; charset=utf-8", status: status)
    }

    func error(_ refusal: APIError, user: User?) -> Response {
        let heading = switch refusal.status {
        case .forbidden: "无权访问"
        case .notFound: "未找到"
        case .contentTooLarge: "提交的内容过大"
        case .internalServerError, .serviceUnavailable: "服务暂时不可用"
        default: "请求有误"
        }
        return render("error", title: heading, user: user, status: refusal.status, ["heading": heading, "message": refusal.message])
    }

    /// The districts to choose from: the user's own only, for an inspector of a district.
    func districtOptions(selected: String?, for user: User) -> [[String: Any]] {
        if user.role == .inspector, let own = user.district {
            return [["value": own, "label": own, "selected": true]]
        }
        return [["value": "", "label": "全市", "selected": selected == nil]]
            + services.configuration.districts.map { ["value": $0, "label": $0, "selected": $0 == selected] }
    }

    // MARK: Sign-in

    @Sendable func signIn(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let form = try await FormFields.body(request, limit: 64 << 10)
        let name = form.text("name") ?? ""
        let next = Self.localPath(form.text("next"))
        do {
            let session = try await services.signIn(name: name, password: form["password"] ?? "", from: services.clientAddress(request, context))
            var response = Response.redirect(to: next ?? Self.home(for: session.user), type: .normal)
            response.setCookie(sessionCookie(session.token, maxAge: services.accounts.sessionHours * 3600, request))
            return response
        } catch let refusal as APIError where refusal.status == .unauthorized {
            return render("login", title: "登录", user: nil, status: .unauthorized, [
                "name": name, "next": next ?? "", "error": "用户名或密码错误,或该用户已停用。",
            ])
        } catch let refusal as APIError where refusal.status == .tooManyRequests {
            var response = render("login", title: "登录", user: nil, status: .tooManyRequests, [
                "name": name, "next": next ?? "", "error": "登录尝试过于频繁,请\(refusal.retryAfter ?? 60)秒后再试。",
            ])
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

    // MARK: Dashboard

    @Sendable func dashboard(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let fields = FormFields.query(request)
        let statistics = try await services.statistics(fields, for: user)
        let scope = statistics.request
        let query = FormFields.queryString([
            ("from", scope.from.description), ("to", scope.to.description), ("district", scope.district),
        ])
        return render("dashboard", title: "统计概览", user: user, [
            "scope": "\(scope.district ?? "全市") \(scope.from) 至 \(scope.to)",
            "from": scope.from.description, "to": scope.to.description,
            "districts": districtOptions(selected: scope.district, for: user),
            "figures": statistics.labelledFigures.map { ["label": $0.label, "value": $0.value] },
            "chart": CompressionChart(statistics.compression).svg,
            "position": statistics.position,
            "mayReply": user.allows(.produceReplies), "query": query,
        ])
    }

    // MARK: Institutions

    @Sendable func institutions(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let query = FormFields.query(request).text("q") ?? ""
        let district = user.role == .inspector ? user.district : nil
        let results = try await services.pool.read { try InstitutionDirectory.search(query, district: district, $0) }
        return render("institutions", title: "机构查询", user: user, [
            "q": query, "hasResults": !results.isEmpty,
            "results": results.map { ["key": $0.key, "name": $0.name, "district": $0.district ?? "—"] },
            "emptyText": query.isEmpty && district == nil ? "输入名称或编号查询。" : "没有找到符合条件的机构。",
        ])
    }

    @Sendable func institution(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let key = try context.pathParameter("key")
        let (stream, entries, today) = try await services.history("institution-\(key)", for: user)
        let report = try await services.pool.read { try EventStore().verify(stream: stream.description, $0) }
        let profile = InstitutionProfile(today)
        let recordedID = FormFields.query(request).text("recorded")
        let recorded = entries.first { $0.event.id.lowercasedText == recordedID }
        // Mustache treats an empty string as true: absent values are left out (compactMapValues).
        let values: [String: Any?] = [
            "name": profile.name, "key": key, "district": profile.district ?? "—", "status": profile.status,
            "chainIntact": report.breaks.isEmpty, "chainProblem": report.breaks.first?.description ?? "",
            "eventCount": entries.count,
            "mayRecord": user.allows(.append) && (user.district == nil || user.district == profile.district),
            "recorded": recorded.map { "\(EventLabels.type($0.event.type)),\($0.event.occurredOn)" },
            "entries": entries.map { entry in
                ([
                    "occurredOn": entry.event.occurredOn.description, "typeLabel": EventLabels.type(entry.event.type),
                    "summary": EventLabels.summary(entry.event.data), "version": entry.event.version,
                    "position": entry.event.position, "actor": entry.event.actor, "recordedAt": entry.event.recordedAt,
                    "hash": entry.event.hash, "voided": entry.isVoided, "voidedBy": entry.voidedBy,
                ] as [String: Any?]).compactMapValues { $0 }
            },
        ]
        return render("institution", title: profile.name, user: user, values.compactMapValues { $0 })
    }

    // MARK: The inspector's form

    @Sendable func recordForm(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user)
        return try await form.page(self, values: FormFields(["id": UUID().lowercasedText]), problems: [])
    }

    @Sendable func record(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user)
        let values = try await FormFields.body(request, limit: 256 << 10)
        let (submissions, problems) = form.submissions(values)
        guard problems.isEmpty else { return try await form.page(self, values: values, problems: problems) }
        do {
            _ = try await services.append(submissions, as: user)
        } catch let refusal as APIError where refusal.status == .unprocessableContent || refusal.status == .conflict {
            return try await form.page(self, values: values, problems: refusal.rejections.flatMap(\.problems))
        }
        let id = submissions.last.flatMap { try? JSONParser.parse($0.bytes)["id"]?.stringValue } ?? ""
        return .redirect(to: "/institutions/\(form.key)?recorded=\(id)", type: .normal)
    }

    // MARK: Reply

    @Sendable func reply(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.produceReplies)
        let fields = FormFields.query(request)
        // A preview: the reply is recorded when it is downloaded (a POST), not when it is looked at.
        let (reply, _) = try await services.reply(fields, format: .text, for: user, recording: false)
        let scope = reply.statistics.request
        var hidden = [("from", scope.from.description), ("to", scope.to.description), ("at_position", String(reply.statistics.position))]
        if let district = scope.district { hidden.append(("district", district)) }
        return render("reply", title: "提案答复", user: user, [
            "from": scope.from.description, "to": scope.to.description,
            "districts": districtOptions(selected: scope.district, for: user),
            "paragraphs": reply.paragraphs,
            "position": reply.statistics.position, "digest": String(reply.digest.prefix(16)) + "…",
            "provenance": reply.provenanceLines.joined(separator: "\n"),
            "hidden": hidden.map { ["name": $0.0, "value": $0.1] },
            "query": FormFields.queryString([
                ("from", scope.from.description), ("to", scope.to.description), ("district", scope.district),
                ("at_position", String(reply.statistics.position)),
            ]),
        ])
    }

    // MARK: Users

    @Sendable func users(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let query = FormFields.query(request)
        return try await usersPage(admin, message: query.text("message"), error: nil, form: FormFields([:]))
    }

    func usersPage(_ admin: User, message: String?, error: String?, form: FormFields, status: HTTPResponse.Status = .ok) async throws -> Response {
        let accounts = services.accounts
        let users = try await services.pool.read { try accounts.list($0) }
        var values: [String: Any] = [
            "form": ["name": form["name"] ?? ""],
            "users": users.map { user in
                [
                    "name": user.name, "roleLabel": user.role.label,
                    "district": user.district ?? (user.role == .inspector ? "全市" : "—"),
                    "status": user.isDisabled ? "已停用" : "正常", "mayDisable": !user.isDisabled && user.name != admin.name,
                ] as [String: Any]
            },
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == form["role"]] },
            "districts": [["value": "", "label": "(无)", "selected": form.text("district") == nil]]
                + [["value": "city", "label": "全市", "selected": form["district"] == "city"]]
                + services.configuration.districts.map { ["value": $0, "label": $0, "selected": $0 == form["district"]] },
        ]
        // Mustache treats an empty string as true: absent notices are left out.
        if let message { values["message"] = message }
        if let error { values["error"] = error }
        return render("users", title: "用户管理", user: admin, status: status, values)
    }

    @Sendable func addUser(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let form = try await FormFields.body(request, limit: 64 << 10)
        let name = form.text("name") ?? "", password = form["password"] ?? ""
        let role = form.text("role").flatMap(Role.init(rawValue:)) ?? .analyst
        let choice = form.text("district")
        let accounts = services.accounts
        do {
            _ = try await services.accountsCall {
                try accounts.add(
                    name: name, password: password, role: role, district: choice == "city" ? nil : choice,
                    cityWide: choice == "city", createdBy: admin.name, $0)
            }
        } catch let refusal as APIError {
            return try await usersPage(admin, message: nil, error: refusal.message, form: form, status: refusal.status)
        }
        return .redirect(to: "/users?message=" + FormFields.percentEncoded("已新增用户 \(name)"), type: .normal)
    }

    @Sendable func disableUser(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let name = try context.pathParameter("name")
        guard name != admin.name else { throw APIError(.forbidden, "forbidden", "you cannot disable yourself: another admin can") }
        let accounts = services.accounts
        try await services.accountsCall { try accounts.disable(name: name, by: admin.name, $0) }
        return .redirect(to: "/users?message=" + FormFields.percentEncoded("已停用用户 \(name)"), type: .normal)
    }
}
