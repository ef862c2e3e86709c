/// A SQL statement whose interpolated values become `$n` binds, never query text.
///
/// ```swift
/// let sql: SQL = "SELECT version FROM ledger.events WHERE stream = \(stream) AND id = \(id)"
/// // text: SELECT version FROM ledger.events WHERE stream = $1 AND id = $2
/// ```
///
/// Identifiers are quoted with `\(identifier: name)`. Raw text can only be spliced with the loud
/// `\(unsafeRaw: text)`, which must never carry input.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable {
        case text(String)
        case bind(String?)
    }

    var parts: [Part]

    public init(stringLiteral value: String) {
        parts = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// The statement text with `$1`, `$2`, … in place of the values, and the values in order.
    public var rendered: (text: String, binds: [String?]) {
        var text = ""
        var binds: [String?] = []
        for part in parts {
            switch part {
            case .text(let fragment):
                text += fragment
            case .bind(let value):
                binds.append(value)
                text += "$\(binds.count)"
            }
        }
        return (text, binds)
    }

    /// A quoted identifier as a fragment (`"rm_institutions_2"`).
    public init(identifier: String) {
        parts = [.text("\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"")]
    }

    /// The statement text only: safe to log, it holds no bound value.
    public var description: String { rendered.text }

    /// Joins fragments with a separator, keeping every bind a bind.
    public static func joined(_ fragments: [SQL], separator: String) -> SQL {
        var result = SQL(stringLiteral: "")
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { result.parts.append(.text(separator)) }
            result.parts += fragment.parts
        }
        return result
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            parts.append(.text(literal))
        }

        /// A value, sent as a bind parameter.
        public mutating func appendInterpolation(_ value: some SQLEncodable) {
            parts.append(.bind(value.sqlText))
        }

        /// An optional value: `nil` is sent as SQL NULL.
        public mutating func appendInterpolation(_ value: (some SQLEncodable)?) {
            parts.append(.bind(value?.sqlText))
        }

        /// Another statement fragment, its binds kept as binds.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts += fragment.parts
        }

        /// A quoted identifier (`"name"`, inner quotes doubled).
        public mutating func appendInterpolation(identifier: String) {
            parts += SQL(identifier: identifier).parts
        }

        /// - Important: Raw SQL text. Never pass anything derived from input.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            parts.append(.text(text))
        }
    }
}
