import Hummingbird

/// The fields of a query string or an `application/x-www-form-urlencoded` body, decoded
/// (`+` is a space, `%E5%A4%A9` is 天). A field given twice keeps its first value.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    init(_ encoded: String?) {
        guard let encoded else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decoded(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decoded(parts[1]) ?? "" : ""
            if values[name] == nil { values[name] = value }
        }
    }

    init(_ values: [String: String]) {
        self.values = values
    }

    /// The query string of `request`.
    static func query(_ request: Request) -> FormFields { FormFields(request.uri.query) }

    /// The form `request` posted, read up to `limit` bytes.
    static func body(_ request: Request, limit: Int) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: limit)
        return FormFields(String(buffer: buffer))
    }

    subscript(_ name: String) -> String? { values[name] }

    /// Takes `other`'s fields over these.
    mutating func merge(_ other: FormFields) {
        values.merge(other.values) { _, new in new }
    }

    /// The trimmed value, nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// `text` percent-decoded as UTF-8, nil when it is not; in a form `+` is a space, in a
    /// path (`plusIsSpace` false) it is itself.
    static func decoded(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `text` percent-encoded for a query value.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// A query string of the non-empty fields, in the order given.
    static func queryString(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { "\(name)=\(percentEncoded($0))" } }.joined(separator: "&")
    }
}
