import ArgumentParser
import EventStore
import Foundation

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the ledger's position and a digest over all chains, to keep outside the system.",
        discussion: """
            Later, `ledger digest --check FILE` (the kept output, text or JSON; - for standard input) \
            proves the ledger has only grown since: the digest recomputed at the kept position equals \
            the kept one, and every chain holds. It exits 1 naming what differs. `--at-position P` \
            prints the digest as the ledger stood at P.
            """)

    @Option(name: .customLong("at-position"), help: "Digest the ledger as it stood at this position.")
    var atPosition: Int64?

    @Option(help: "text or json")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("A digest kept earlier (a file, or - for standard input): check the ledger has only grown since.", valueName: "file"))
    var check: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        if let check { return try await checkConsistency(check) }
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

extension DigestCommand {
    func checkConsistency(_ file: String) async throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure.invalid("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        guard let earlier = LedgerDigest(printed: text) else {
            throw CLIFailure.invalid("\(file) does not hold a digest as `ledger digest` prints it")
        }
        let db = try await database.connect()
        let result = try await db.read { try EventStore().consistency(with: earlier, $0) }
        if result.hasOnlyGrown {
            let added = result.head.events - earlier.events
            print("the ledger has only grown since position \(earlier.position): its digest there is unchanged, \(added) events were added since (head \(result.head.position)), every chain holds")
            return
        }
        var findings: [String] = []
        if result.head.position < earlier.position || result.head.events < earlier.events {
            findings.append("the ledger now holds \(result.head.events) events up to position \(result.head.position), fewer than the \(earlier.events) up to \(earlier.position) when the digest was kept")
        }
        if result.recomputed.digest != earlier.digest || result.recomputed.events != earlier.events {
            findings.append("the ledger as it stood at position \(earlier.position) has changed: \(result.recomputed.events) events with digest \(result.recomputed.digest.prefix(16))…, kept \(earlier.events) events with digest \(earlier.digest.prefix(16))…")
        }
        if let broken = result.chains.breaks.first {
            findings.append("chain broken at \(broken)")
        }
        throw CLIFailure(code: CLIFailure.checkFailed, message: findings.joined(separator: "; "))
    }
}
