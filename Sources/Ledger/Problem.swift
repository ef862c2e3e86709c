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
    /// Why, in both languages, with its stable code (the catalogue, ``Reason``).
    public var because: Reason
    public var kind: Kind

    public init(_ field: String, _ reason: Reason, kind: Kind = .invalid) {
        self.field = field
        self.because = reason
        self.kind = kind
    }

    /// The reason in English.
    public var reason: String { because.english }
    /// The stable machine code (`date.after_today`).
    public var code: String { because.code }

    public var description: String { text(.english) }

    /// `data.uscc: check digit is 'Q', expected '3'` in the language asked.
    public func text(_ language: Language) -> String {
        let reason = because.text(language)
        return field.isEmpty ? reason : language == .chinese ? "\(field):\(reason)" : "\(field): \(reason)"
    }
}

/// A rejected event: where it was, which id it carried, and everything wrong with it.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of an import file; nil for a single event.
    public var line: Int?
    /// The event's id as given, when it had one.
    public var id: String?
    public var problems: [Problem]

    public init(line: Int?, id: String?, problems: [Problem]) {
        self.line = line
        self.id = id
        self.problems = problems
    }

    public var isConflict: Bool { problems.allSatisfy { $0.kind == .conflict } }
    public var isForbidden: Bool { problems.contains { $0.kind == .forbidden } }
    public var isUnavailable: Bool { problems.contains { $0.kind == .unavailable } }

    /// One line: `line 812 (id 6c99…): data.uscc: check digit is 'Q', expected '3'`.
    public var description: String { text(.english) }

    /// The line in the language asked: `第 812 行(id 6c99…):data.uscc:校验码为“Q”,应为“3”`.
    public func text(_ language: Language) -> String {
        var place: [String] = []
        switch language {
        case .english:
            if let line { place.append("line \(line)") }
            if let id { place.append(line == nil ? "id \(id)" : "(id \(id))") }
            let prefix = place.isEmpty ? "" : place.joined(separator: " ") + ": "
            return prefix + problems.map { $0.text(.english) }.joined(separator: "; ")
        case .chinese:
            if let line { place.append("第 \(line) 行") }
            if let id { place.append(line == nil ? "id \(id)" : "(id \(id))") }
            let prefix = place.isEmpty ? "" : place.joined() + ":"
            return prefix + problems.map { $0.text(.chinese) }.joined(separator: ";")
        }
    }
}

/// A value that passed its checks, or everything wrong with it.
public enum Checked<Value: Sendable>: Sendable {
    case valid(Value)
    case invalid([Problem])
}
