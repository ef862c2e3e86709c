import Postgres

extension SQL.StringInterpolation {
    /// An event type's wire name as a SQL string literal (in single quotes), so that SQL names
    /// types through the catalogue rather than by strings of its own. It is spliced, not bound:
    /// it is a constant of the catalogue (letters only), never input, and a literal keeps the
    /// plans that filter on it the same.
    public mutating func appendInterpolation(type: EventType) {
        appendInterpolation(unsafeRaw: type.quoted)
    }
}

extension EventType {
    /// The wire name as a SQL string literal, for SQL kept as text (provenance shown to people).
    public var quoted: String { "'\(rawValue)'" }
}
