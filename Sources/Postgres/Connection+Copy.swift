import CLibPQ

extension Connection {
    /// Runs a `COPY … FROM STDIN` statement and feeds it the rows `body` writes.
    ///
    /// When `body` throws, the COPY is aborted (nothing it wrote is kept) and the error rethrown.
    /// Returns the number of rows copied.
    ///
    /// ```swift
    /// try connection.copyIn("COPY staging (id, name) FROM STDIN") { writer in
    ///     try writer.row(["1", "天宁区"])
    /// }
    /// ```
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        let text = try startCopy(sql, expecting: PGRES_COPY_IN)

        var writer = CopyWriter(connection: self)
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by the client")
            _ = try? drainResults(statement: text)
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError(statement: text) }
        return try drainResults(statement: text)
    }

    /// Runs a `COPY … TO STDOUT` statement and hands `body` the data as it arrives, in pieces of
    /// whole rows (COPY text format unless the statement says otherwise). Returns the rows copied.
    ///
    /// ```swift
    /// try connection.copyOut("COPY (SELECT id FROM ledger.events) TO STDOUT") { bytes in
    ///     file.write(Data(bytes))
    /// }
    /// ```
    @discardableResult
    public func copyOut(_ sql: SQL, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        let text = try startCopy(sql, expecting: PGRES_COPY_OUT)
        var failure: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            guard length >= 0, let buffer else {
                if length == -2 { failure = failure ?? connectionError(statement: text) }
                break
            }
            defer { PQfreemem(buffer) }
            // After a failing body, keep reading so the connection is left usable.
            guard failure == nil else { continue }
            do {
                try buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    try body(UnsafeBufferPointer(start: $0, count: Int(length)))
                }
            } catch {
                failure = error
            }
        }
        let copied = try drainResults(statement: text)
        if let failure { throw failure }
        return copied
    }

    /// Sends a COPY statement and checks the server entered the expected direction; returns its text.
    private func startCopy(_ sql: SQL, expecting direction: ExecStatusType) throws -> String {
        let (text, binds) = sql.rendered
        precondition(binds.isEmpty, "COPY takes no bind parameters")
        guard let start = PQexec(handle, text) else { throw connectionError(statement: text) }
        defer { PQclear(start) }
        guard PQresultStatus(start) == direction else {
            throw Self.serverError(start, statement: text, connection: handle)
        }
        return text
    }

    /// Reads the results that follow a COPY; throws the first error, returns rows copied.
    private func drainResults(statement: String) throws -> Int {
        var failure: PostgresError?
        var copied = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Self.serverError(result, statement: statement, connection: handle)
            }
        }
        if let failure { throw failure }
        return copied
    }

    func putCopyData(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(handle, chars.baseAddress, Int32(chars.count))
            }
        }
        guard sent == 1 else { throw connectionError(statement: "COPY") }
    }
}

/// Writes rows in COPY text format, buffered into large chunks.
public struct CopyWriter: ~Copyable {
    let connection: Connection
    var buffer: [UInt8] = []

    init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends one row; `nil` fields are SQL NULL.
    public mutating func row(_ fields: [String?]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(contentsOf: Array("\\N".utf8))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [92, UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [92, UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [92, UInt8(ascii: "r")])
                case 0: throw PostgresError(kind: .client, message: "a COPY field contains a NUL character")
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends data already in COPY format (whole rows, escaped, each ending in a newline).
    public mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try connection.putCopyData(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
