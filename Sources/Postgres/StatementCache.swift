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
    /// when it is to run unprepared (first run, cache full). A failed prepare throws its error:
    /// the statement would fail the same way run unprepared, and in a transaction the failure
    /// has aborted it, so running it anyway would only report "transaction is aborted".
    mutating func name(for text: String, prepare: (String) throws -> Void) throws -> String? {
        if let name = names[text] { return name }
        guard seen.contains(text) else {
            if seen.count >= Self.maximumSeen { seen.removeAll() }
            seen.insert(text)
            return nil
        }
        guard names.count < Self.maximumPrepared else { return nil }
        let name = "ledger_\(names.count + 1)"
        try prepare(name)
        names[text] = name
        return name
    }
}
