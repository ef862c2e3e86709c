import Accounts
import EventStore
import Foundation
import Ledger
import Hummingbird
import Mustache

/// The server-rendered pages: sign-in, the dashboard, institutions and their timelines, the
/// inspector's form, the council reply, users. No scripts; every page works on a phone.
///
/// Each resource registers its own routes (``SessionPages``, ``DashboardPages``,
/// ``InstitutionPages``, ``ProcedurePages``, ``DrawPages``, ``ReplyPages``, ``UserPages``) and renders a typed context of its own
/// with the template of the same name (`Pages/Templates/`), inside the ``Layout``.
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
        SessionPages(pages: self).register(on: router)
        DashboardPages(pages: self).register(on: router)
        InstitutionPages(pages: self).register(on: router)
        ProcedurePages(pages: self).register(on: router)
        DrawPages(pages: self).register(on: router)
        ReplyPages(pages: self).register(on: router)
        UserPages(pages: self).register(on: router)
        PublicPages(pages: self).register(on: router)
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

    /// What every page shows around its own context: the title, and who is signed in with the
    /// links they may follow. Templates read the page's own context inside `{{#page}}`.
    struct Layout<Page: Sendable>: Sendable {
        let title: String
        let user: Navigation?
        /// The public site's pages, which show its own links and no one's session.
        var isPublic = false
        let page: Page

        init(title: String, user: Navigation?, isPublic: Bool = false, page: Page) {
            self.title = title
            self.user = user
            self.isPublic = isPublic
            self.page = page
        }
    }

    struct Navigation: Sendable {
        let title: String
        let nav: [Link]

        init(_ user: User) {
            title = user.title
            var links: [Link] = []
            if user.allows(.readStatistics) { links.append(Link(href: "/dashboard", label: "统计概览")) }
            if user.allows(.readHistory) {
                links.append(Link(href: "/institutions", label: "机构查询"))
                links.append(Link(href: "/proposals", label: "提案办理"))
                links.append(Link(href: "/complaints", label: "投诉举报"))
            }
            if user.allows(.readStatistics) { links.append(Link(href: "/draws", label: "双随机")) }
            if user.allows(.produceReplies) { links.append(Link(href: "/reply", label: "提案答复")) }
            if user.allows(.manageUsers) { links.append(Link(href: "/users", label: "用户管理")) }
            nav = links
        }
    }

    struct Link: Sendable {
        let href: String
        let label: String
    }

    /// One choice of a `<select>` or a radio group.
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One entry of a stream's timeline, voided or not, with where it sits in the chain.
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

        init(_ entry: HistoryEntry, _ configuration: LedgerConfiguration) {
            occurredOn = entry.event.occurredOn.description
            typeLabel = EventLabels.type(entry.event.type)
            var data = entry.event.data
            // A reporter is never shown: only whether it is kept (sealed) or erased (SPEC §12).
            if let reporter = entry.reporter, case .object(var members) = data {
                members["reporter"] = .string(reporter == "erased" ? "已删除(密钥已销毁)" : "已加密保存")
                data = .object(members)
            }
            summary = EventLabels.summary(data)
            version = entry.event.version
            position = entry.event.position
            actor = entry.event.actor
            recordedAt = configuration.localTime(entry.event.recordedAt)
            hash = entry.event.hash
            voided = entry.isVoided
            voidedBy = entry.voidedBy
        }
    }

    /// What the form just recorded (its id is the `recorded` query parameter): `检查,2026-11-30`.
    static func recorded(_ request: Request, in entries: [HistoryEntry]) -> String? {
        let id = FormFields.query(request).text("recorded")
        return entries.first { $0.event.id.lowercasedText == id }.map { "\(EventLabels.type($0.event.type)),\($0.event.occurredOn)" }
    }

    // MARK: Forms

    /// The form for a step of a stream of `subject` (nil: a stream the form opens, of `opening`).
    func recordForm(
        _ request: Request, _ context: LedgerRequestContext, subject: StreamCategory?, opening: RecordForm.Kind? = nil
    ) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user, subject: subject, opening: opening)
        return form.page(self, values: FormFields(["id": UUID().lowercasedText]), problems: [])
    }

    /// Records what the form was given; shows it again with its problems, or goes to the page of
    /// the stream the step went to.
    func record(
        _ request: Request, _ context: LedgerRequestContext, subject: StreamCategory?, opening: RecordForm.Kind? = nil
    ) async throws -> Response {
        let user = try context.require(.append)
        let form = try await RecordForm(request, context, services: services, user: user, subject: subject, opening: opening)
        let values = try await FormFields.body(request, limit: 256 << 10)
        let (submissions, problems) = form.submissions(values)
        guard problems.isEmpty else { return form.page(self, values: values, problems: problems) }
        do {
            _ = try await services.append(submissions, as: user)
        } catch let refusal as APIError where refusal.status == .unprocessableContent || refusal.status == .conflict {
            return form.page(self, values: values, problems: refusal.rejections.flatMap(\.problems))
        }
        guard let (stream, id) = RecordForm.recorded(submissions), let page = Self.href(stream) else { return .redirect(to: form.back) }
        return .redirect(to: "\(page)?recorded=\(id)", type: .normal)
    }

    /// A hidden form field.
    struct Hidden: Sendable {
        let name: String
        let value: String
    }

    /// `page` in the template `template` (`Pages/Templates/<template>.mustache`).
    func render<Page: Sendable>(
        _ template: String, title: String, user: User?, status: HTTPResponse.Status = .ok, _ page: Page
    ) -> Response {
        .text(html(template, title: title, user: user, page), contentType: "text/html; charset=utf-8", status: status)
    }

    /// `page` in the template `template`, as text; `isPublic` gives it the public site's links.
    func html<Page: Sendable>(_ template: String, title: String, user: User?, isPublic: Bool = false, _ page: Page) -> String {
        let layout = Layout(title: title, user: user.map(Navigation.init), isPublic: isPublic, page: page)
        return library.render(layout, withTemplate: template) ?? "<p>template \(template) is missing</p>"
    }

    struct ErrorPage: Sendable {
        let heading: String
        let message: String
    }

    func error(_ refusal: APIError, user: User?) -> Response {
        let heading = switch refusal.status {
        case .forbidden: "无权访问"
        case .notFound: "未找到"
        case .contentTooLarge: "提交的内容过大"
        case .internalServerError, .serviceUnavailable: "服务暂时不可用"
        default: "请求有误"
        }
        return render("error", title: heading, user: user, status: refusal.status, ErrorPage(heading: heading, message: refusal.message(.chinese)))
    }

    /// The districts to choose from: the user's own only, for an inspector of a district.
    func districtOptions(selected: String?, for user: User) -> [Option] {
        Self.districtOptions(selected: selected, for: user, services.configuration)
    }

    static func districtOptions(selected: String?, for user: User, _ configuration: LedgerConfiguration) -> [Option] {
        if user.role == .inspector, let own = user.district {
            return [Option(value: own, label: own, selected: true)]
        }
        return [Option(value: "", label: "全市", selected: selected == nil)]
            + configuration.districts.map { Option(value: $0, label: $0, selected: $0 == selected) }
    }

    /// The page of a stream, where it has one (an institution, a case, a proposal).
    static func href(_ stream: StreamName) -> String? {
        let path = switch stream.category {
        case .institution: "institutions"
        case .case: "cases"
        case .proposal: "proposals"
        case .draw: "draws"
        case .complaint: "complaints"
        default: ""
        }
        return path.isEmpty ? nil : "/\(path)/" + FormFields.percentEncoded(stream.key)
    }
}
