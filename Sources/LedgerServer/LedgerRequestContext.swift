import Accounts
import Hummingbird
import NIOCore

/// What a request carries through the middleware to its route: who is signed in.
public struct LedgerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by ``SessionMiddleware``; nil for an anonymous request.
    public var user: User?
    /// The token the user presented (to sign out).
    public var sessionToken: String?
    /// The address the connection comes from (a proxy's, behind one).
    public var remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The path parameter `name`, percent-decoded (`%E5%BC%A0%E4%B8%89` is 张三).
    /// - Throws: ``APIError`` 400 when it is not percent-encoded UTF-8.
    public func pathParameter(_ name: String) throws -> String {
        let raw = parameters.get(name) ?? ""
        guard let decoded = FormFields.decoded(raw[...], plusIsSpace: false) else {
            throw APIError.badRequest("the \(name) in the path is not percent-encoded UTF-8", field: name)
        }
        return decoded
    }

    /// A request body larger than this is refused with 413 before it is read.
    public var maxUploadSize: Int { LedgerServer.maximumBodyBytes }

    /// The signed-in user when they hold `permission`.
    /// - Throws: ``APIError`` 401 when nobody is signed in, 403 when the user lacks the permission.
    public func require(_ permission: Permission) throws -> User {
        guard let user else {
            throw APIError(.unauthorized, "unauthenticated", "sign in first: POST /api/session, then send Authorization: Bearer <token>",
                           chinese: "请先登录:POST /api/session,再发送 Authorization: Bearer <token>")
        }
        guard user.allows(permission) else {
            let allowed = Role.allCases.filter { $0.allows(permission) }
            throw APIError(.forbidden, "forbidden", "\(user.role.rawValue)s may not do this: \(permission.summary) is for \(allowed.map(\.rawValue).joined(separator: ", "))",
                           chinese: "\(user.role.label)无权进行此操作,只有\(allowed.map(\.label).joined(separator: "、"))可以")
        }
        return user
    }
}
