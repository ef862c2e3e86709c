import ArgumentParser
import EventStore

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the ledger's position and a digest over all chains, to keep outside the system.",
        discussion: """
            Later, `ledger digest --at-position P` recomputes the digest as the ledger stood at P: \
            equal to the kept one exactly when nothing up to P has changed since.
            """)

    @Option(name: .customLong("at-position"), help: "Digest the ledger as it stood at this position.")
    var atPosition: Int64?

    @Option(help: "text or json")
    var format: OutputFormat = .text

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let db = try await database.connect()
        let position = atPosition
        let digest = try await db.read { try EventStore().digest(atPosition: position, $0) }
        switch format {
        case .text:
            print("position \(digest.position)  streams \(digest.streams)  events \(digest.events)  digest \(digest.digest)")
        case .json:
            print(digest.json.canonicalText)
        }
    }
}
