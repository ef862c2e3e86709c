import EventStore

/// Reads the fields of one JSON object into typed values, collecting every problem with its path.
///
/// Each read marks its key as known; ``finish()`` then reports any field nobody asked for, so
/// unknown fields are rejected rather than silently stored.
struct FieldReader {
    /// Longest `name` (characters).
    static let maximumNameLength = 200
    /// Longest other string (characters).
    static let maximumStringLength = 4_000
    /// Most items in an array.
    static let maximumArrayCount = 1_000

    let path: String
    private let members: [String: JSON]
    private var readKeys: Set<String> = []
    private(set) var problems: [Problem] = []

    /// A reader over `value`, which must be an object; otherwise the reader holds that problem.
    init(_ value: JSON, path: String) {
        self.path = path
        if case .object(let members) = value {
            self.members = members
        } else {
            self.members = [:]
            problems.append(Problem(path, .mustBeObject(found: value.typeName)))
        }
    }

    func fieldPath(_ key: String) -> String {
        if key.isEmpty { return path }
        return path.isEmpty ? key : "\(path).\(key)"
    }

    mutating func problem(_ key: String, _ reason: Reason) {
        problems.append(Problem(fieldPath(key), reason))
    }

    mutating func adopt(_ more: [Problem]) { problems += more }

    /// The raw value of a field; a missing required field is a problem.
    private mutating func raw(_ key: String, required: Bool) -> JSON? {
        readKeys.insert(key)
        guard let value = members[key], value != .null else {
            if required { problem(key, .required) }
            return nil
        }
        return value
    }

    /// Marks a field as read by the caller itself.
    mutating func known(_ key: String) { readKeys.insert(key) }

    /// Whether the object has this field at all (null counts as absent).
    func has(_ key: String) -> Bool { members[key].map { $0 != .null } ?? false }

    mutating func string(_ key: String, required: Bool = true, maximumLength: Int = maximumStringLength) -> String? {
        guard let value = raw(key, required: required) else { return nil }
        guard case .string(let text) = value else {
            problem(key, .mustBeString(found: value.typeName))
            return nil
        }
        let length = text.unicodeScalars.count
        if length > maximumLength {
            problem(key, .tooLong(length, maximum: maximumLength))
            return nil
        }
        if text.allSatisfy(\.isWhitespace) {
            problem(key, .empty)
            return nil
        }
        return text
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, required: Bool = true) -> T? where T.RawValue == String {
        guard let value = raw(key, required: required) else { return nil }
        guard case .string(let text) = value, let choice = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            problem(key, .notOneOf(allowed, found: Self.shown(value)))
            return nil
        }
        return choice
    }

    mutating func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let value = raw(key, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            problem(key, .notBoolean(found: Self.shown(value)))
            return nil
        }
        return flag
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>, required: Bool = true) -> Int64? {
        guard let value = raw(key, required: required) else { return nil }
        guard case .integer(let number) = value else {
            let found = if case .number = value { "a fractional number \(Self.shown(value))" } else { Self.shown(value) }
            problem(key, .notWholeNumber(found: found))
            return nil
        }
        guard range.contains(number) else {
            problem(key, .outOfBounds(range, found: number))
            return nil
        }
        return number
    }

    mutating func date(_ key: String, required: Bool = true) -> CalendarDate? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = CalendarDate(text) else {
            problem(key, .notDate(found: Self.shown(.string(text))))
            return nil
        }
        return date
    }

    /// The items of an array field, each checked by `item` with its own path (`courses[2]`).
    mutating func array<T>(
        _ key: String, required: Bool = true, nonEmpty: Bool = false,
        _ item: (JSON, String, inout [Problem]) -> T?
    ) -> [T]? {
        guard let value = raw(key, required: required) else { return nil }
        guard case .array(let items) = value else {
            problem(key, .notArray(found: value.typeName))
            return nil
        }
        if nonEmpty && items.isEmpty {
            problem(key, .empty)
            return nil
        }
        if items.count > Self.maximumArrayCount {
            problem(key, .tooManyItems(items.count, maximum: Self.maximumArrayCount))
            return nil
        }
        var result: [T] = []
        var itemProblems: [Problem] = []
        for (index, element) in items.enumerated() {
            if let value = item(element, "\(fieldPath(key))[\(index)]", &itemProblems) { result.append(value) }
        }
        problems += itemProblems
        return itemProblems.isEmpty ? result : nil
    }

    /// An array of distinct dates `YYYY-MM-DD`.
    mutating func dates(_ key: String, required: Bool = true) -> [CalendarDate]? {
        var seen: Set<CalendarDate> = []
        return array(key, required: required) { element, path, problems in
            guard case .string(let text) = element, let day = CalendarDate(text) else {
                problems.append(Problem(path, .notDate(found: Self.shown(element))))
                return nil
            }
            guard seen.insert(day).inserted else {
                problems.append(Problem(path, .listedTwice(day.description)))
                return nil
            }
            return day
        }
    }

    mutating func strings(_ key: String, required: Bool = true, nonEmpty: Bool = false) -> [String]? {
        array(key, required: required, nonEmpty: nonEmpty) { element, path, problems in
            guard case .string(let text) = element, !text.allSatisfy(\.isWhitespace) else {
                problems.append(Problem(path, .notNonEmptyString(found: Self.shown(element))))
                return nil
            }
            guard text.unicodeScalars.count <= Self.maximumStringLength else {
                problems.append(Problem(path, .itemTooLong(maximum: Self.maximumStringLength)))
                return nil
            }
            return text
        }
    }

    mutating func choices<T: RawRepresentable & CaseIterable & Hashable>(_ key: String, nonEmpty: Bool) -> [T]? where T.RawValue == String {
        let values = array(key, nonEmpty: nonEmpty) { element, path, problems -> T? in
            guard case .string(let text) = element, let choice = T(rawValue: text) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(Problem(path, .notOneOf(allowed, found: Self.shown(element))))
                return nil
            }
            return choice
        }
        if let values, Set(values).count != values.count {
            problem(key, .valueTwice)
            return nil
        }
        return values
    }

    /// A reader over an object field, whose problems carry its path (`window.from`); nil when
    /// absent (a problem when required) or not an object. Call its ``finish()`` and adopt its problems.
    mutating func object(_ key: String, required: Bool = true) -> FieldReader? {
        guard let value = raw(key, required: required) else { return nil }
        guard case .object = value else {
            problem(key, .mustBeObject(found: value.typeName))
            return nil
        }
        return FieldReader(value, path: fieldPath(key))
    }

    /// A district of the configuration: `.some(nil)` when absent and not required, nil when wrong.
    mutating func district(_ key: String, required: Bool = true, of configuration: LedgerConfiguration) -> String?? {
        guard let name = string(key, required: required) else { return required || has(key) ? nil : .some(nil) }
        guard configuration.districts.contains(name) else {
            problem(key, .unknownDistrict(name, configured: configuration.districts))
            return nil
        }
        return .some(name)
    }

    /// Reports every field that no read asked for.
    mutating func finish() {
        for key in members.keys.sorted() where !readKeys.contains(key) {
            problems.append(Problem(fieldPath(String(key.prefix(64))), .notAField))
        }
    }

    /// A value as a message shows it: short, quoted when a string.
    static func shown(_ value: JSON) -> String {
        switch value {
        case .string(let text):
            let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "'\(short)'"
        case .integer(let number): return String(number)
        case .number(let literal): return literal.count > 40 ? String(literal.prefix(40)) + "…" : literal
        default: return value.typeName
        }
    }
}
