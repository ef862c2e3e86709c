/// One event as it arrives: the raw bytes of a JSON object, and its line when it came in a file.
public struct Submission: Sendable {
    /// 1-based line number in an import file; nil for a single event.
    public var line: Int?
    public var bytes: [UInt8]
    /// Set by a reader that had to drop an oversized line: the event is rejected for it.
    public var tooLong: Int?

    public init(line: Int? = nil, bytes: [UInt8]) {
        self.line = line
        self.bytes = bytes
    }

    public init(line: Int? = nil, text: String) {
        self.init(line: line, bytes: Array(text.utf8))
    }

    /// Longest accepted line: 1 MiB.
    public static let maximumBytes = 1 << 20
}
