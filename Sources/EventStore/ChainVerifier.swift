import Crypto
import Foundation
import Postgres

/// Recomputes hash chains on the client from rows read in stream and version order (what
/// ``EventStore/verify(stream:limit:_:)`` reads a chunk at a time): each event's hash must be
/// SHA-256 of its stream's previous stored hash and its canonical bytes, its version must follow
/// the previous one, and its position must come after it. The canonical bytes are the text of
/// `ledger.canonical_bytes` (db/functions), the jsonb array of the event's fields, built here
/// from the columns the database sends (the data as jsonb text, the instant as microseconds).
struct ChainVerifier {
    private(set) var events = 0
    private(set) var streams = 0
    /// The breaks at the smallest positions (at most `kept`, once trimmed).
    private(set) var breaks: [ChainBreak] = []
    let kept: Int
    private var stream: String?
    private var previous: (version: Int, position: Int64, hash: [UInt8])?

    init(kept: Int) {
        self.kept = kept
    }

    /// Checks rows of (position, id, stream, version, type, day, microseconds, actor, data, hash
    /// in hex) that follow the rows checked before.
    mutating func check(_ rows: Rows) {
        for row in rows {
            let position = Int64(row[0] ?? "") ?? 0, id = row[1] ?? "", name = row[2] ?? "", version = Int(row[3] ?? "") ?? 0
            let stored = row[9] ?? ""
            if name != stream {
                stream = name
                streams += 1
                previous = nil
            }
            events += 1
            let canonical = "[\(position), \(Self.quoted(id)), \(Self.quoted(name)), \(version), \(Self.quoted(row[4])), "
                + "\(Self.quoted(row[5])), \(row[6] ?? "null"), \(Self.quoted(row[7])), \(row[8] ?? "null")]"
            var hasher = SHA256()
            if let previous { hasher.update(data: previous.hash) }
            hasher.update(data: Array(canonical.utf8))
            let hashHolds = Self.hex(hasher.finalize()) == stored
            if !hashHolds || version != (previous?.version ?? 0) + 1 || position <= (previous?.position ?? 0) {
                breaks.append(ChainBreak(
                    position: position, stream: name, version: version, id: UUID(uuidString: id) ?? UUID(),
                    reason: ChainBreak.reason(version: version, previousVersion: previous?.version, hashHolds: hashHolds)))
                if breaks.count >= 2 * max(kept, 1) {
                    breaks.sort { $0.position < $1.position }
                    breaks.removeLast(breaks.count - kept)
                }
            }
            previous = (version, position, Self.bytes(hex: stored))
        }
    }

    /// A text as PostgreSQL writes it in jsonb (`escape_json`); `null` for SQL NULL.
    static func quoted(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8] {
        func value(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
        let text = Array(hex.utf8)
        return stride(from: 0, to: text.count - 1, by: 2).map { value(text[$0]) << 4 | value(text[$0 + 1]) }
    }
}

extension ChainBreak {
    /// Why a row breaks its chain: a version skipped, else (its hash holding) a position out of
    /// order, else content changed.
    static func reason(version: Int, previousVersion: Int?, hashHolds: Bool) -> String {
        if version != (previousVersion ?? 0) + 1 {
            return "the chain skips from version \(previousVersion ?? 0) to \(version): an event was deleted"
        }
        if hashHolds { return "the event sits at a position before the one it follows: rows were reordered" }
        return "the stored content no longer matches its hash: the row was changed after it was recorded"
    }
}
