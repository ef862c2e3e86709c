import ArgumentParser
import Foundation
import Ledger

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append the events of a JSON Lines file, all or nothing.",
        discussion: """
            Every line is checked against the ledger and the lines before it. When any line is bad, \
            each bad line is reported (up to 100) and nothing is appended. Ids already recorded with \
            the same content are skipped, so importing a file twice appends nothing the second time.
            """)

    @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "file"))
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let handle: FileHandle
        var total: Int?
        if file == "-" {
            handle = .standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw CLIFailure.invalid("cannot read \(file)")
            }
            handle = opened
            total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        }
        let db = try await database.connect()
        let appender = Appender(configuration: .fromEnvironment())
        let reporter = ProgressReporter(label: "import", total: total)
        let started = Date()
        let outcome: Appender.Outcome
        do {
            outcome = try await db.withConnection { connection in
                try appender.append(JSONLinesReader(handle: handle), on: connection) { progress in
                    reporter.update(count: progress.submissions, unit: "events", done: progress.bytes)
                }
            }
        } catch let rejected as Appender.Rejected {
            reporter.finish()
            for rejection in rejected.rejections { printError(rejection.text(commandLineLanguage)) }
            if rejected.count > rejected.rejections.count {
                printError("… and \(rejected.count - rejected.rejections.count) more")
            }
            throw CLIFailure(rejected, message: "\(rejected.count) of \(rejected.submitted) events rejected; nothing was appended")
        }
        reporter.finish()
        let seconds = Date().timeIntervalSince(started)
        var line = "appended \(outcome.appended) events"
        if let first = outcome.firstPosition, let last = outcome.lastPosition { line += " (positions \(first)–\(last))" }
        line += ", \(outcome.duplicates) already recorded, in \(String(format: "%.2f", seconds)) s"
        print(line)
    }
}
