import Accounts
import Hummingbird

/// What a request carries through the middleware to its route: who is signed in.
public struct LedgerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by ``SessionMiddleware``; nil for an anonymous request.
    public var user: User?
    /// The token the user presented (to sign out).
    public var sessionToken: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// A request body larger than this is refused with 413 before it is read.
    public var maxUploadSize: Int { LedgerServer.maximumBodyBytes }

    /// The signed-in user when they hold `permission`.
    /// - Throws: ``APIError`` 401 when nobody is signed in, 403 when the user lacks the permission.
    public func require(_ permission: Permission) throws -> User {
        guard let user else {
            throw APIError(.unauthorized, "unauthenticated", "sign in first: POST /api/session, then send Authorization: Bearer <token>")
        }
        guard user.allows(permission) else {
            throw APIError(.forbidden, "forbidden", "\(user.role.rawValue)s may not do this: \(permission.summary) is for \(Role.allCases.filter { $0.allows(permission) }.map(\.rawValue).joined(separator: ", "))")
        }
        return user
    }
}
