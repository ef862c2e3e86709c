import ArgumentParser
import EventStore
import Ledger

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every event of a stream in version order, voided ones marked, with who recorded what and when.")

    @Argument(help: ArgumentHelp("e.g. institution-91320404A0M5KWMW63", valueName: "stream"))
    var stream: String

    @Option(help: "text or json")
    var format: OutputFormat = .text

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let name = StreamName(stream) else {
            throw CLIFailure.invalid("'\(stream)' is not a stream name (<institution|operation|bulletin>-<key>)")
        }
        let db = try await database.connect()
        let entries = try await db.read { try History.of(name, $0) }
        guard !entries.isEmpty else { throw CLIFailure.invalid("\(name) has no events in the ledger") }
        switch format {
        case .json:
            print(JSON.array(entries.map(\.json)).canonicalText)
        case .text:
            print("\(name): \(entries.count) events")
            let configuration = LedgerConfiguration.fromEnvironment()
            for entry in entries { print(Self.text(entry, configuration)) }
        }
    }

    static func text(_ entry: HistoryEntry, _ configuration: LedgerConfiguration) -> String {
        let event = entry.event
        var head = "v\(event.version)  \(event.occurredOn)  \(event.type)"
        if let voidedBy = entry.voidedBy { head += "  [VOIDED by \(voidedBy)]" }
        var data = event.data
        if let reporter = entry.reporter, case .object(var members) = data {
            members["reporter"] = nil
            data = .object(members)
            head += "\n    reporter: \(reporter)"
        }
        return """
            \(head)
                position \(event.position) · recorded \(configuration.localTime(event.recordedAt)) by \(event.actor) · id \(event.id.lowercasedText)
                \(data.canonicalText)
                hash \(event.hash)
            """
    }
}
