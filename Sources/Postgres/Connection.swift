import Foundation
import CLibPQ

/// One libpq connection. It blocks, so it is used only behind a ``DatabaseConnection`` actor or
/// from a single thread; it is deliberately not `Sendable`.
///
/// ```swift
/// let connection = try Connection("host=/run/ledger dbname=ledger")
/// let rows = try connection.execute("SELECT count(*) AS n FROM ledger.events WHERE stream = \(stream)")
/// ```
public final class Connection {
    let handle: OpaquePointer
    /// Statements run more than once are prepared: planning, not running, was most of the time
    /// of the ledger's short queries (a stream's events, an append, a figure).
    var statements = StatementCache()

    /// Connects with a libpq conninfo string or URI.
    /// - Throws: ``PostgresError`` of kind `.connection` when the server cannot be reached.
    public init(_ conninfo: String) throws {
        // A failed PQconnectdb still returns a handle that must be finished.
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        // NOTICEs ("relation already exists, skipping") are not errors, and a FATAL the server
        // sends between statements (a shutdown) surfaces as the next statement's error: libpq
        // would print both to stderr. Set before the first statement (the client encoding).
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        self.handle = handle
        PQsetClientEncoding(handle, "UTF8")
    }

    deinit {
        PQfinish(handle)
    }

    /// The server's process id for this session (what `pg_stat_activity.pid` shows).
    public var backendPID: Int { Int(PQbackendPID(handle)) }

    /// True while the connection is usable.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Runs one statement with its binds and returns its rows.
    /// Whether a transaction is open on the connection (idle in one, or in a failed one).
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    @discardableResult
    public func execute(_ sql: SQL) throws -> Rows {
        let (text, binds) = sql.rendered
        for bind in binds where bind?.utf8.contains(0) == true {
            throw PostgresError(
                kind: .client, message: "a text parameter contains a NUL character", statement: text)
        }
        let name = try statements.name(for: text) { try prepare($0, text, parameters: binds.count) }
        let result = withCStrings(binds) { pointers in
            if let name {
                return PQexecPrepared(handle, name, Int32(binds.count), pointers, nil, nil, 0)
            }
            return PQexecParams(handle, text, Int32(binds.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result, statement: text)
    }

    /// Prepares `text` as `name`; throws the server's error (an aborted transaction, say).
    func prepare(_ name: String, _ text: String, parameters: Int) throws {
        _ = try consume(PQprepare(handle, name, text, Int32(parameters), nil), statement: text)
    }

    /// Runs a script of several statements without binds (migrations). Returns the last result.
    @discardableResult
    public func executeScript(_ script: String) throws -> Rows {
        guard !script.utf8.contains(0) else {
            throw PostgresError(kind: .client, message: "a script contains a NUL character")
        }
        return try consume(PQexec(handle, script), statement: "(script)")
    }

    /// Copies a result out, frees it, and throws the server's error if it is one.
    func consume(_ result: OpaquePointer?, statement: String) throws -> Rows {
        guard let result else {
            throw connectionError(statement: statement)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return Self.copyRows(result)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return Rows(columns: [], values: [], affectedRows: affected)
        default:
            throw Self.serverError(result, statement: statement, connection: handle)
        }
    }

    func connectionError(statement: String?) -> PostgresError {
        PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)), statement: statement)
    }

    static func copyRows(_ result: OpaquePointer) -> Rows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var fields: [String?] = []
            fields.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    fields.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                    let pointer = PQgetvalue(result, Int32(row), Int32(column))!
                    let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
                    fields.append(String(decoding: buffer, as: UTF8.self))
                }
            }
            values.append(fields)
        }
        return Rows(columns: columns, values: values, affectedRows: rowCount)
    }

    static func serverError(_ result: OpaquePointer, statement: String, connection: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let sqlState = field(CLIBPQ_DIAG_SQLSTATE)
        let message = field(CLIBPQ_DIAG_MESSAGE_PRIMARY) ?? trimmed(PQerrorMessage(connection))
        let broken = PQstatus(connection) != CONNECTION_OK
        return PostgresError(
            kind: broken || sqlState == nil ? .connection : .server,
            sqlState: sqlState,
            message: message,
            detail: field(CLIBPQ_DIAG_MESSAGE_DETAIL),
            hint: field(CLIBPQ_DIAG_MESSAGE_HINT),
            constraint: field(CLIBPQ_DIAG_CONSTRAINT_NAME),
            statement: statement
        )
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libpq error" : text
    }
}

@available(*, unavailable, message: "A Connection blocks; share it through a DatabaseConnection actor.")
extension Connection: Sendable {}

/// Calls `body` with NUL-terminated C strings for each value (NULL pointers for nil).
func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let storage: [UnsafeMutablePointer<CChar>?] = values.map { value in
        guard let value else { return nil }
        return strdup(value)
    }
    defer { storage.forEach { free($0) } }
    return body(storage.map { $0.map { UnsafePointer($0) } })
}
