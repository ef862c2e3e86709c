/// The kinds of stream.
public enum StreamCategory: String, Sendable, CaseIterable {
    case institution
    case operation
    case bulletin
    /// A council reply the bureau produced (委员提案答复), recorded so it can be shown and re-derived later.
    case reply
    /// A year's working-day calendar (SPEC §8), `calendar-<year>`.
    case calendar
    /// A council proposal the bureau answers (提案/建议办理, SPEC §10).
    case proposal
    /// A penalty case (行政处罚案件, SPEC §9).
    case `case`
    /// A random inspection (双随机抽查, SPEC §11): planned, drawn, its results published.
    case draw
    /// A complaint or report (投诉举报, SPEC §12): received, accepted or declined, verified, answered.
    case complaint

    /// Whether people record this category's events themselves (over the API, through the
    /// forms), rather than a service of the ledger on their behalf. Every category says which,
    /// so a new one cannot be forgotten: the API refuses what staff do not record.
    public var isRecordedByStaff: Bool {
        switch self {
        case .institution, .operation, .bulletin, .proposal, .case, .draw, .complaint: true
        // Written by the reply service as it produces a reply, never by hand.
        case .reply: false
        // Imported from the State Council's notices by whoever runs the ledger (`ledger import`).
        case .calendar: false
        }
    }

    /// Whether the type that opens a stream of this category may come again: a later
    /// `CalendarPublished` corrects the year's calendar (SPEC §8); the others open once.
    public var opensAgain: Bool {
        switch self {
        case .institution, .operation, .bulletin, .reply, .proposal, .case, .draw, .complaint: false
        case .calendar: true
        }
    }
}

/// A stream name, `<category>-<key>`, with the key checked: `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
public struct StreamName: Hashable, Sendable, CustomStringConvertible {
    public let category: StreamCategory
    /// What other events use to refer to this stream.
    public let key: String

    public init?(_ text: String) {
        guard let dash = text.firstIndex(of: "-"),
              let category = StreamCategory(rawValue: String(text[..<dash])) else { return nil }
        self.init(category: category, key: String(text[text.index(after: dash)...]))
    }

    public init?(category: StreamCategory, key: String) {
        guard Self.isValidKey(key) else { return nil }
        self.category = category
        self.key = key
    }

    public var description: String { "\(category.rawValue)-\(key)" }

    public static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func alphanumeric(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
        }
        guard alphanumeric(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { alphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }
}
