import Ledger

/// A user-management request that cannot be done, with the field it concerns and a reason.
public struct AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal: a value that cannot be (invalid), a name taken already (conflict),
    /// no such user (missing).
    public enum Kind: Sendable, Equatable {
        case invalid, conflict, missing
    }

    public var field: String
    /// Why, in both languages, with its code (the catalogue, ``Reason``).
    public var because: Reason
    public var kind: Kind

    public init(_ field: String, _ reason: Reason, kind: Kind = .invalid) {
        self.field = field
        self.because = reason
        self.kind = kind
    }

    public var reason: String { because.english }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}
