import Foundation

/// A Swift value that can be sent as a text-format bind parameter.
public protocol SQLEncodable: Sendable {
    /// The PostgreSQL text representation; `nil` is SQL NULL.
    var sqlText: String? { get }
}

/// A Swift value that can be read from a text-format result column.
public protocol SQLDecodable {
    init?(sqlText: String)
}

extension String: SQLEncodable, SQLDecodable {
    public var sqlText: String? { self }
    public init?(sqlText: String) { self = sqlText }
}

extension Int: SQLEncodable, SQLDecodable {
    public var sqlText: String? { String(self) }
    public init?(sqlText: String) { self.init(sqlText, radix: 10) }
}

extension Int64: SQLEncodable, SQLDecodable {
    public var sqlText: String? { String(self) }
    public init?(sqlText: String) { self.init(sqlText, radix: 10) }
}

extension Int32: SQLEncodable, SQLDecodable {
    public var sqlText: String? { String(self) }
    public init?(sqlText: String) { self.init(sqlText, radix: 10) }
}

extension Bool: SQLEncodable, SQLDecodable {
    public var sqlText: String? { self ? "t" : "f" }
    public init?(sqlText: String) {
        switch sqlText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: SQLEncodable, SQLDecodable {
    public var sqlText: String? { lowercasedText }
    public init?(sqlText: String) { self.init(text: sqlText) }
}

/// Raw bytes, sent and read as `bytea` in hex form.
public struct ByteString: SQLEncodable, SQLDecodable, Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init?(hex: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for char in hex.utf8 {
            guard let nibble = Self.nibble(char) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { return nil }
        self.bytes = bytes
    }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }
    public var sqlText: String? { "\\x" + hex }

    public init?(sqlText: String) {
        guard sqlText.hasPrefix("\\x") else { return nil }
        self.init(hex: String(sqlText.dropFirst(2)))
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A one-dimensional array of text, sent as a PostgreSQL array literal (`{"a","b"}`).
public struct TextArray: SQLEncodable {
    public var elements: [String?]
    public init(_ elements: [String?]) { self.elements = elements }

    public var sqlText: String? {
        let quoted = elements.map { element -> String in
            guard let element else { return "NULL" }
            var out = "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { out.append("\\") }
                out.unicodeScalars.append(scalar)
            }
            return out + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
