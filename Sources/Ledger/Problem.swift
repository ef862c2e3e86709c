/// One thing wrong with an event: the field it concerns (`data.uscc`, `data.courses[2].name`)
/// and a reason a person can act on.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The event itself is wrong (exit 65).
        case invalid
        /// The stream moved on since the client looked: `expected_version` no longer holds (exit 75).
        case conflict
        /// The caller may not record this event (an API user outside their district or role).
        case forbidden
        /// What the event needs is not configured: a reporter without the master key (exit 69).
        case unavailable
    }

    public var field: String
    public var reason: String
    public var kind: Kind

    public init(_ field: String, _ reason: String, kind: Kind = .invalid) {
        self.field = field
        self.reason = reason
        self.kind = kind
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// A rejected event: where it was, which id it carried, and everything wrong with it.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of an import file; nil for a single event.
    public var line: Int?
    /// The event's id as given, when it had one.
    public var id: String?
    public var problems: [Problem]

    public var isConflict: Bool { problems.allSatisfy { $0.kind == .conflict } }
    public var isForbidden: Bool { problems.contains { $0.kind == .forbidden } }
    public var isUnavailable: Bool { problems.contains { $0.kind == .unavailable } }

    /// One line: `line 812 (id 6c99…): data.uscc: check digit is 'Q', expected '3'`.
    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let id { place.append(line == nil ? "id \(id)" : "(id \(id))") }
        let prefix = place.isEmpty ? "" : place.joined(separator: " ") + ": "
        return prefix + problems.map(\.description).joined(separator: "; ")
    }
}

/// A value that passed its checks, or everything wrong with it.
public enum Checked<Value: Sendable>: Sendable {
    case valid(Value)
    case invalid([Problem])
}
