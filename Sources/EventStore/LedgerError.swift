/// A failure of the ledger's own rather than of the database: a file it cannot read or write, a
/// stored event that no longer reads as it was written, a read model that is not there. The
/// message says what and where; the command line prints it as one `error: …` line.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
