import Crypto
import EventStore
import Foundation
import Postgres

/// The keys that keep reporters confidential (SPEC §12), and the one deletion the ledger makes.
///
/// - Each complaint with a reporter gets its own random 256-bit data key. The reporter object is
///   sealed with it (AES-256-GCM, bound to the event's id and stream), and the event stores only
///   that ciphertext, which the hash chain covers.
/// - The data key is stored wrapped (AES-256-GCM, bound to the stream) by the operator's master
///   key, in `vault.reporter_keys`, outside `ledger.events`. The master key is a file of 32
///   random bytes named by `LEDGER_MASTER_KEY_FILE`: never in the repository or the database.
///   The database holds only an HMAC of it, to refuse a different key in one line.
/// - Erasing a reporter deletes the complaint's wrapped key, and first writes the stream to the
///   erasure list kept beside the master key (`<file>.erased`, each line naming the ledger by its
///   id in `vault.ledger`). A backup restored later brings the wrapped key back with it; the
///   erasure list then destroys it again before anyone can read it (`reapplyErasures`, which
///   `ops/restore` runs, and every reading checks the list).
public struct ReporterVault: Sendable {
    /// The master key's file; nil when `LEDGER_MASTER_KEY_FILE` is not set.
    public var keyFile: String?

    public init(keyFile: String?) {
        self.keyFile = keyFile.flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ReporterVault {
        ReporterVault(keyFile: environment["LEDGER_MASTER_KEY_FILE"])
    }

    /// Why the vault cannot serve (exit 69): no master key, a file that is not one, or a key
    /// that is not the ledger's. Never shows a key or a reporter.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The erasure list's file: beside the master key, backed up with it.
    public var erasureListFile: String? { keyFile.map { $0 + ".erased" } }

    /// The master key, read from its file.
    func masterKey() throws(Unavailable) -> SymmetricKey {
        guard let keyFile else {
            throw Unavailable("no master key: set LEDGER_MASTER_KEY_FILE to the file of 32 random bytes that protects reporters (ops/setup creates .local/master.key)")
        }
        guard let bytes = FileManager.default.contents(atPath: keyFile) else {
            throw Unavailable("the master key file \(keyFile) (LEDGER_MASTER_KEY_FILE) cannot be read")
        }
        guard bytes.count == 32 else {
            throw Unavailable("the master key file \(keyFile) holds \(bytes.count) bytes; a master key is exactly 32 random bytes")
        }
        return SymmetricKey(data: bytes)
    }

    /// The master key, once the ledger confirms it is the one its keys are wrapped with (the
    /// first key a ledger sees becomes its key).
    func checkedMasterKey(_ connection: Connection) throws -> SymmetricKey {
        let key = try masterKey()
        let mac = ByteString(Array(HMAC<SHA256>.authenticationCode(for: Array("enforcement-ledger master key v1".utf8), using: key)))
        try connection.execute("INSERT INTO vault.master_key (mac) VALUES (\(mac)) ON CONFLICT DO NOTHING")
        let stored: ByteString = try connection.execute("SELECT mac FROM vault.master_key")[0].decode("mac")
        guard stored == mac else {
            throw Unavailable("the master key in \(keyFile ?? "") is not the one this ledger's reporter keys are wrapped with; use the ledger's own LEDGER_MASTER_KEY_FILE")
        }
        return key
    }

    /// A new data key for `stream`, and that key wrapped by `master` for storage.
    static func newDataKey(for stream: String, master: SymmetricKey) throws -> (key: SymmetricKey, wrapped: ByteString) {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Array($0) }
        let sealed = try AES.GCM.seal(bytes, using: master, authenticating: Array("reporter-key|\(stream)".utf8))
        return (key, ByteString(Array(sealed.combined!)))
    }

    static func unwrap(_ wrapped: ByteString, for stream: String, master: SymmetricKey) throws -> SymmetricKey {
        let box = try AES.GCM.SealedBox(combined: wrapped.bytes)
        return SymmetricKey(data: try AES.GCM.open(box, using: master, authenticating: Array("reporter-key|\(stream)".utf8)))
    }

    static func associatedData(stream: String, eventID: UUID) -> [UInt8] {
        Array("reporter|\(stream)|\(eventID.lowercasedText)".utf8)
    }

    /// `reporter` sealed for the event `eventID` of `stream`: base64 of nonce, ciphertext and tag.
    static func seal(_ reporter: Reporter, stream: String, eventID: UUID, key: SymmetricKey) throws -> String {
        let sealed = try AES.GCM.seal(Array(reporter.json.canonicalText.utf8), using: key,
                                      authenticating: associatedData(stream: stream, eventID: eventID))
        return sealed.combined!.base64EncodedString()
    }

    /// This ledger's identity (`vault.ledger`), by which the erasure list names its erasures.
    func ledgerID(_ connection: Connection) throws -> String {
        guard let id = try connection.execute("SELECT id::text AS id FROM vault.ledger")[0]["id"] else { throw LedgerError("vault.ledger is empty") }
        return id
    }

    /// The streams of the ledger `ledgerID` erased, as the erasure list holds them (a line per
    /// erasure: ledger, stream, when).
    func erasedStreams(ledgerID: String) throws(Unavailable) -> Set<String> {
        guard let file = erasureListFile, FileManager.default.fileExists(atPath: file) else { return [] }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw Unavailable("the erasure list \(file) cannot be read")
        }
        return Set(text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t")
            return fields.count >= 2 && fields[0] == ledgerID ? String(fields[1]) : nil
        })
    }

    public func erasedStreams(_ connection: Connection) throws -> Set<String> {
        try erasedStreams(ledgerID: try ledgerID(connection))
    }

    /// Writes `streams` to the erasure list, durably, before their keys are deleted.
    func recordErasures(_ streams: [String], ledgerID: String) throws(Unavailable) {
        guard !streams.isEmpty else { return }
        _ = try masterKey()  // an erasure is recorded beside a master key that exists
        guard let file = erasureListFile else { return }
        let stamp = ISO8601DateFormatter().string(from: Date())
        let lines = streams.map { "\(ledgerID)\t\($0)\t\(stamp)\n" }.joined()
        if !FileManager.default.fileExists(atPath: file) {
            guard FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw Unavailable("the erasure list \(file) cannot be created")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: file) else { throw Unavailable("the erasure list \(file) cannot be written") }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(lines.utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            throw Unavailable("the erasure list \(file) cannot be written: \(error.localizedDescription)")
        }
    }

    /// Destroys the keys of every stream on the erasure list that the database still holds (a
    /// backup restored from before the erasure); returns those streams.
    @discardableResult
    public func reapplyErasures(_ connection: Connection) throws -> [String] {
        let erased = try erasedStreams(connection)
        guard !erased.isEmpty else { return [] }
        return try connection.execute("""
            DELETE FROM vault.reporter_keys WHERE stream = ANY(\(TextArray(erased.sorted()))::text[]) RETURNING stream
            """).compactMap { $0["stream"] }
    }

    /// The reporter of `complaint-<key>` as the ledger holds it.
    public enum Reading: Sendable, Equatable {
        case reporter(Reporter)
        /// The complaint was anonymous, or gave no reporter.
        case none
        /// The key was destroyed (`PersonalDataErased`, or the erasure list): nobody can read it.
        case erased
    }

    /// Decrypts the reporter of the complaint whose `ComplaintReceived` is `event`. Only called
    /// once the reading is recorded (``ReporterAccess``).
    func open(_ event: RecordedEvent, _ connection: Connection) throws -> Reading {
        guard case .object(let data) = event.data, case .object(let reporter)? = data["reporter"],
              case .string(let ciphertext)? = reporter["ciphertext"] else { return .none }
        if try erasedStreams(connection).contains(event.stream) {
            try reapplyErasures(connection)
            return .erased
        }
        let rows = try connection.execute("SELECT wrapped FROM vault.reporter_keys WHERE stream = \(event.stream)")
        guard let row = rows.first else { return .erased }
        let master = try checkedMasterKey(connection)
        do {
            let key = try Self.unwrap(try row.decode("wrapped"), for: event.stream, master: master)
            guard let combined = Data(base64Encoded: ciphertext) else { throw LedgerError("not base64") }
            let plain = try AES.GCM.open(
                try AES.GCM.SealedBox(combined: combined), using: key,
                authenticating: Self.associatedData(stream: event.stream, eventID: event.id))
            guard let reporter = Reporter(json: try JSONParser.parse(Array(plain))) else { throw LedgerError("not a reporter") }
            return .reporter(reporter)
        } catch {
            throw Unavailable("the reporter of \(event.stream) does not decrypt: its stored key or ciphertext was altered")
        }
    }
}
