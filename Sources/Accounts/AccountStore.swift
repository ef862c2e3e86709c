import HummingbirdBcrypt
import Ledger
import Postgres

/// Users and their sessions, kept in the `accounts` schema.
///
/// Passwords are stored as bcrypt hashes and checked in constant work whether or not the user
/// exists. A session is a random token the client keeps; the database keeps only its SHA-256.
///
/// - Important: bcrypt is slow on purpose (a quarter of a second at cost 12). Call these methods
///   through a ``DatabaseConnection`` (which runs them on its own thread), never on the
///   cooperative pool directly.
public struct AccountStore: Sendable {
    public var configuration: LedgerConfiguration
    /// bcrypt's work factor: 2^cost rounds.
    public var cost: UInt8
    /// How long a sign-in lasts.
    public var sessionHours: Int

    public static let minimumPasswordLength = 8
    /// bcrypt reads no further than 72 bytes: a longer password would be checked on its start only.
    public static let maximumPasswordBytes = 72
    /// Sessions one user may hold at once; signing in again ends the oldest past these.
    public static let maximumSessionsPerUser = 10

    public init(configuration: LedgerConfiguration, cost: UInt8 = 12, sessionHours: Int = 12) {
        self.configuration = configuration
        self.cost = cost
        self.sessionHours = sessionHours
    }

    /// Adds a user; `district` is required for an inspector unless `cityWide`.
    @discardableResult
    public func add(
        name: String, password: String, role: Role, district: String?, cityWide: Bool = false,
        createdBy: String, _ connection: Connection
    ) throws -> User {
        guard (1...64).contains(name.count), !name.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
            throw AccountError("name", .userName)
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw AccountError("password", .passwordTooShort(Self.minimumPasswordLength))
        }
        guard password.utf8.count <= Self.maximumPasswordBytes else {
            throw AccountError("password", .passwordTooLong(Self.maximumPasswordBytes, found: password.utf8.count))
        }
        switch (role, district) {
        case (.inspector, nil) where !cityWide:
            throw AccountError("district", .inspectorDistrict(configuration.districts))
        case (.inspector, let district?):
            guard !cityWide else { throw AccountError("district", .cityWideDistrict) }
            guard configuration.districts.contains(district) else {
                throw AccountError("district", .unknownDistrict(district, configured: configuration.districts))
            }
        case (_, .some):
            throw AccountError("district", .districtOnlyInspectors(role.rawValue))
        default:
            break
        }
        let hash = Bcrypt.hash(password, cost: cost)
        let rows = try connection.execute("""
            INSERT INTO accounts.users (name, role, district, password_hash, created_by)
            VALUES (\(name), \(role.rawValue), \(district), \(hash), \(createdBy))
            ON CONFLICT (name) DO NOTHING
            RETURNING name
            """)
        guard !rows.isEmpty else { throw AccountError("name", .userExists(name), kind: .conflict) }
        return try user(named: name, connection) ?? User(name: name, role: role, district: district)
    }

    /// Every user, enabled or not, by name.
    public func list(_ connection: Connection) throws -> [User] {
        try connection.execute("\(unsafeRaw: Self.selectUsers) ORDER BY name").map(Self.user)
    }

    public func user(named name: String, _ connection: Connection) throws -> User? {
        try connection.execute("\(unsafeRaw: Self.selectUsers) WHERE name = \(name)").first.map(Self.user)
    }

    /// Disables a user and ends their sessions. Disabling a disabled user changes nothing.
    public func disable(name: String, by admin: String, _ connection: Connection) throws {
        try connection.transaction {
            let rows = try connection.execute("""
                UPDATE accounts.users SET disabled_at = coalesce(disabled_at, now()), disabled_by = coalesce(disabled_by, \(admin))
                 WHERE name = \(name) RETURNING name
                """)
            guard !rows.isEmpty else { throw AccountError("name", .noSuchUser(name), kind: .missing) }
            _ = try connection.execute("DELETE FROM accounts.sessions WHERE user_name = \(name)")
        }
    }

    /// The user whose password this is, or nil: unknown name, wrong password or disabled user
    /// alike (a caller cannot tell which, nor by the time it takes).
    public func authenticate(name: String, password: String, _ connection: Connection) throws -> User? {
        try credentials(name: name, connection).user(ifMatching: password)
    }

    /// What a password of `name` is checked against: the user's hash, or for an unknown name a
    /// decoy that takes as long. Reading it is quick; the check (``Credentials/user(ifMatching:)``)
    /// is slow and needs no connection, so a server can run it after giving the connection back.
    public func credentials(name: String, _ connection: Connection) throws -> Credentials {
        let row = try connection.execute("SELECT password_hash FROM accounts.users WHERE name = \(name)").first
        return Credentials(hash: row?["password_hash"] ?? Self.decoyHash, user: row == nil ? nil : try user(named: name, connection))
    }

    /// Opens a session for `user`; the token is shown once, to the client.
    public func openSession(for user: User, _ connection: Connection) throws -> Session {
        var generator = SystemRandomNumberGenerator()
        // 32 random bytes, as 64 hex digits.
        let token = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let rows = try connection.pipeline([
            """
            INSERT INTO accounts.sessions (token_sha256, user_name, expires_at)
            VALUES (sha256(convert_to(\(token), 'UTF8')), \(user.name), now() + make_interval(hours => \(sessionHours)))
            RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at
            """,
            // Expired sessions go, and the user's oldest past the cap.
            """
            DELETE FROM accounts.sessions WHERE expires_at <= now()
                OR (user_name = \(user.name) AND token_sha256 NOT IN (
                    SELECT token_sha256 FROM accounts.sessions WHERE user_name = \(user.name)
                     ORDER BY created_at DESC, expires_at DESC LIMIT \(Self.maximumSessionsPerUser)))
            """,
        ])
        return Session(token: token, user: user, expiresAt: try rows[0][0].decode("expires_at"))
    }

    /// The signed-in user a token stands for, or nil when it is unknown, expired or the user is disabled.
    public func user(forToken token: String, _ connection: Connection) throws -> User? {
        guard token.utf8.count == 64 else { return nil }
        return try connection.execute("""
            SELECT u.name, u.role, u.district, u.created_by,
                   to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
                   to_char(u.disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS disabled_at
              FROM accounts.sessions s JOIN accounts.users u ON u.name = s.user_name
             WHERE s.token_sha256 = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now() AND u.disabled_at IS NULL
            """).first.map(Self.user)
    }

    /// Ends the session of `token` (signing out), and any expired sessions.
    public func closeSession(token: String, _ connection: Connection) throws {
        _ = try connection.execute("""
            DELETE FROM accounts.sessions WHERE token_sha256 = sha256(convert_to(\(token), 'UTF8')) OR expires_at <= now()
            """)
    }

    static let selectUsers = """
        SELECT name, role, district, created_by,
               to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
               to_char(disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS disabled_at
          FROM accounts.users
        """

    static func user(_ row: Row) -> User {
        User(
            name: row["name"] ?? "", role: Role(rawValue: row["role"] ?? "") ?? .analyst, district: row["district"],
            createdAt: row["created_at"] ?? "", createdBy: row["created_by"] ?? "", disabledAt: row["disabled_at"])
    }

    /// A hash no password is known for, checked when the name is unknown so that the answer takes
    /// as long as for a known name.
    static let decoyHash = Bcrypt.hash("no user has this password \(UInt64.random(in: 0...UInt64.max))", cost: 12)
}

/// What a password is checked against (``AccountStore/credentials(name:_:)``).
public struct Credentials: Sendable {
    var hash: String
    /// Nil for an unknown name.
    var user: User?

    /// The user when `password` is theirs and they are not disabled, else nil. Runs bcrypt: a
    /// quarter of a second of one core, the same for an unknown name.
    public func user(ifMatching password: String) -> User? {
        let matches = Bcrypt.verify(password, hash: hash)
        guard matches, let user, !user.isDisabled else { return nil }
        return user
    }
}

/// A signed-in user's session: the token to present as `Authorization: Bearer <token>` or in the
/// session cookie.
public struct Session: Sendable {
    public var token: String
    public var user: User
    /// When the session ends, ISO 8601 in UTC.
    public var expiresAt: String
}
