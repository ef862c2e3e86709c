import ArgumentParser
import EventStore
import Foundation
import Ledger

struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one event, from flags or as JSON.",
        discussion: """
            ledger append --stream institution-U320402-00017 --type InterviewHeld --data '{"reason":"超纲教学"}'
            ledger append --json '{"id":"…","stream":"…","type":"…","occurred_on":"…","actor":"…","data":{…}}'
            """)

    @Option(help: "The whole event as JSON (the import format); - reads it from standard input.")
    var json: String?

    @Option(help: "<institution|operation|bulletin>-<key>")
    var stream: String?

    @Option(help: "The event type, e.g. InstitutionInspected.")
    var type: String?

    @Option(name: .customLong("occurred-on"), help: "The business date, YYYY-MM-DD (default: today).")
    var occurredOn: String?

    @Option(help: "Who records it (default: $LEDGER_ACTOR, else the login name).")
    var actor: String?

    @Option(help: "The event's data as a JSON object.")
    var data: String?

    @Option(help: "The event id (default: a new random UUID). Reuse it to retry safely.")
    var id: String?

    @Option(name: .customLong("expected-version"), help: "Events the stream must hold before this one.")
    var expectedVersion: Int?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if json == nil && (stream == nil || type == nil) {
            throw ValidationError("give --json, or at least --stream and --type")
        }
        if json != nil && (stream != nil || type != nil || data != nil) {
            throw ValidationError("--json carries the whole event; do not combine it with --stream, --type or --data")
        }
    }

    func eventText(configuration: LedgerConfiguration) throws -> String {
        if let json {
            guard json == "-" else { return json }
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let dataValue: JSON
        do {
            dataValue = try JSONParser.parse(data ?? "{}")
        } catch {
            throw CLIFailure.invalid("--data is not valid JSON: \(error)")
        }
        var object: [String: JSON] = [
            "id": .string(id ?? UUID().lowercasedText),
            "stream": .string(stream ?? ""),
            "type": .string(type ?? ""),
            "occurred_on": .string(occurredOn ?? configuration.today.description),
            "actor": .string(actor ?? defaultActor()),
            "data": dataValue,
        ]
        if let expectedVersion { object["expected_version"] = .integer(Int64(expectedVersion)) }
        return JSON.object(object).canonicalText
    }

    func run() async throws {
        let configuration = LedgerConfiguration.fromEnvironment()
        let text = try eventText(configuration: configuration)
        let db = try await database.connect()
        let appender = Appender(configuration: configuration)
        do {
            let outcome = try await db.withConnection { try appender.append(json: text, on: $0) }
            if let event = outcome.events.first {
                print("appended \(event.id.lowercasedText) as \(event.stream) version \(event.version) at position \(event.position)")
            } else {
                print("already recorded (same id, same content): nothing appended")
            }
        } catch let rejected as Appender.Rejected {
            let reasons = rejected.rejections.map { $0.text(commandLineLanguage) }.joined(separator: "; ")
            throw CLIFailure(rejected, message: reasons)
        }
    }
}
