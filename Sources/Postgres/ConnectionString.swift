import CLibPQ
import Foundation

/// A libpq connection string in either of its forms, `host=/run/pg dbname=ledger` or
/// `postgresql://user@host:5432/ledger?sslmode=disable`, read by libpq's own parser, so that a
/// tool can point it at another database or user whichever form it was given in.
///
/// ```swift
/// let maintenance = try ConnectionString.setting(["dbname": "postgres"], in: url)
/// ```
public enum ConnectionString {
    /// `url` with `settings` in place of its own values of those keywords, in keyword form.
    /// - Throws: ``PostgresError`` (kind `.client`) with libpq's reason when `url` does not parse.
    public static func setting(_ settings: [String: String], in url: String) throws -> String {
        var message: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(url, &message) else {
            let reason = message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "out of memory"
            if let message { PQfreemem(message) }
            throw PostgresError(kind: .client, message: "not a connection string: \(reason)")
        }
        defer { PQconninfoFree(parsed) }
        var pairs: [(String, String)] = []
        var option = parsed
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if settings[name] == nil, let value = option.pointee.val { pairs.append((name, String(cString: value))) }
            option += 1
        }
        pairs += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return pairs.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ")
    }

    /// A value as conninfo writes it: in single quotes, with `\` and `'` escaped.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
