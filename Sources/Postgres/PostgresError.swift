/// An error from PostgreSQL or from talking to it, with the structure the server reported.
///
/// Match on ``sqlState`` (`"23505"`), never on message text. The description names the failing
/// statement's text but never its bound values, so it is safe to log.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, at the level a caller decides on.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or the connection broke.
        case connection
        /// The server rejected a statement; ``sqlState`` says why.
        case server
        /// This wrapper refused a request before sending it (a NUL in a text bind, say).
        case client
    }

    public var kind: Kind
    /// The five-character SQLSTATE, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    /// The statement text (with `$n` placeholders, never values) that failed.
    public var statement: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, statement: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.statement = statement
    }

    /// True when the server is unreachable or the connection was lost (SQLSTATE class 08, shutdowns).
    public var isConnectionFailure: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// Why the server takes no writes now, for a person, when that is what this error means:
    /// a read-only database or standby (25006), a full disk (53100, class 53 in general).
    public var refusesWrites: String? {
        guard let sqlState else { return nil }
        if sqlState == SQLState.readOnlyTransaction {
            return "the database accepts no writes (it is read-only or a standby)"
        }
        if sqlState == SQLState.diskFull {
            return "the database server's disk is full"
        }
        if sqlState.hasPrefix("53") {
            return "the database server ran out of resources (\(message))"
        }
        return nil
    }

    public var description: String {
        var text = message
        if let sqlState { text = "\(text) (SQLSTATE \(sqlState))" }
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        return text
    }
}

/// SQLSTATE codes the project decides on.
public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let lockNotAvailable = "55P03"
    public static let readOnlyTransaction = "25006"
    public static let diskFull = "53100"
    public static let insufficientPrivilege = "42501"
    public static let serializationFailure = "40001"
    public static let deadlockDetected = "40P01"
    public static let raiseException = "P0001"
    public static let duplicateObject = "42710"
    public static let duplicateDatabase = "42P04"
}
