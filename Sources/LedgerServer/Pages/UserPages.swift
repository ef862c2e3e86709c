import Accounts
import Hummingbird

/// `/users`: the admin's list of users, adding one, disabling one.
struct UserPages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/users", use: users)
        router.post("/users", use: addUser)
        router.post("/users/{name}/disable", use: disableUser)
    }

    struct Page: Sendable {
        let message: String?
        let error: String?
        let users: [Row]
        let form: Form
        let roles: [Pages.Option]
        let districts: [Pages.Option]

        struct Row: Sendable {
            let name: String
            let roleLabel: String
            let district: String
            let status: String
            let mayDisable: Bool
        }

        /// What was typed, kept when the user could not be added.
        struct Form: Sendable {
            let name: String
        }
    }

    @Sendable func users(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let query = FormFields.query(request)
        return try await page(admin, message: query.text("message"), error: nil, form: FormFields([:]))
    }

    func page(_ admin: User, message: String?, error: String?, form: FormFields, status: HTTPResponse.Status = .ok) async throws -> Response {
        let accounts = services.accounts
        let users = try await services.pool.read { try accounts.list($0) }
        return pages.render("users", title: "用户管理", user: admin, status: status, Page(
            message: message, error: error,
            users: users.map { user in
                .init(
                    name: user.name, roleLabel: user.role.label,
                    district: user.district ?? (user.role == .inspector ? "全市" : "—"),
                    status: user.isDisabled ? "已停用" : "正常", mayDisable: !user.isDisabled && user.name != admin.name)
            },
            form: .init(name: form["name"] ?? ""),
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form["role"]) },
            districts: [.init(value: "", label: "(无)", selected: form.text("district") == nil),
                        .init(value: "city", label: "全市", selected: form["district"] == "city")]
                + services.configuration.districts.map { .init(value: $0, label: $0, selected: $0 == form["district"]) }))
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
            return try await page(admin, message: nil, error: refusal.message(.chinese), form: form, status: refusal.status)
        }
        return .redirect(to: "/users?message=" + FormFields.percentEncoded("已新增用户 \(name)"), type: .normal)
    }

    @Sendable func disableUser(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let name = try context.pathParameter("name")
        guard name != admin.name else { throw APIError(.forbidden, "forbidden", "you cannot disable yourself: another admin can", chinese: "不能停用自己的账号:请由另一位管理员操作") }
        let accounts = services.accounts
        try await services.accountsCall { try accounts.disable(name: name, by: admin.name, $0) }
        return .redirect(to: "/users?message=" + FormFields.percentEncoded("已停用用户 \(name)"), type: .normal)
    }
}
