/// The rows of a statement's result, copied out of libpq (the `PGresult` is already freed).
public struct Rows: Sendable, RandomAccessCollection {
    /// Column names in result order.
    public let columns: [String]
    let values: [[String?]]
    /// For INSERT/UPDATE/DELETE/COPY: how many rows the statement touched.
    public let affectedRows: Int

    init(columns: [String], values: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }

    public subscript(position: Int) -> Row {
        Row(columns: columns, values: values[position])
    }
}

/// One result row. Read columns by name or index, typed by the caller.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [String?]

    /// The raw text of a column, `nil` for SQL NULL.
    public subscript(_ index: Int) -> String? { values[index] }

    /// The raw text of a named column, `nil` for SQL NULL or an unknown name.
    public subscript(_ name: String) -> String? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return values[index]
    }

    /// A non-null column decoded as `T`; throws naming the column when it is null or malformed.
    public func decode<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let text = self[name] else {
            throw PostgresError(kind: .client, message: "column \(name) is null or missing")
        }
        guard let value = T(sqlText: text) else {
            throw PostgresError(kind: .client, message: "column \(name) is not a \(T.self)")
        }
        return value
    }

    /// A nullable column decoded as `T?`.
    public func decodeIfPresent<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws -> T? {
        guard self[name] != nil else { return nil }
        return try decode(name, as: type)
    }
}
