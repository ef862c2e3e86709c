import ArgumentParser
import EventStore
import Ledger

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash chain (or one stream's); exit 1 naming the first event that no longer matches.")

    @Argument(help: ArgumentHelp("Only this stream.", valueName: "stream"))
    var stream: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        if let stream, StreamName(stream) == nil {
            throw CLIFailure.invalid("'\(stream)' is not a stream name (<institution|operation|bulletin>-<key>)")
        }
        let db = try await database.connect()
        let report = try await db.read { try EventStore().verify(stream: stream, $0) }
        guard let first = report.breaks.first else {
            print("verified \(report.eventsChecked) events in \(report.streamsChecked) streams: every chain holds")
            return
        }
        for broken in report.breaks.dropFirst() { printError("also broken: \(broken)") }
        throw CLIFailure(code: CLIFailure.checkFailed, message: "chain broken at \(first)")
    }
}
