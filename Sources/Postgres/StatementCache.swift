/// Which statements of a connection are prepared, and under what names.
///
/// A statement is prepared the second time its text is run, so one-off statements (DDL, a
/// migration) are not kept by the server. Both tables are bounded.
struct StatementCache {
    private var names: [String: String] = [:]
    private var seen: Set<String> = []
    static let maximumPrepared = 512
    static let maximumSeen = 4_096

    /// The prepared name for `text`, preparing it through `prepare` on its second run; nil
    /// when it is to run unprepared (first run, cache full, or preparing failed).
    mutating func name(for text: String, prepare: (String) -> Void?) -> String? {
        if let name = names[text] { return name }
        guard seen.contains(text) else {
            if seen.count >= Self.maximumSeen { seen.removeAll() }
            seen.insert(text)
            return nil
        }
        guard names.count < Self.maximumPrepared else { return nil }
        let name = "ledger_\(names.count + 1)"
        guard prepare(name) != nil else { return nil }
        names[text] = name
        return name
    }
}
