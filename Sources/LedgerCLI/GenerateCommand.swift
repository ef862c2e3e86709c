import ArgumentParser
import Foundation
import HistoryGenerator

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic enforcement history as JSON Lines, deterministic from a seed.")

    @Option(help: "How many institutions.")
    var institutions: Int?

    @Option(help: "About how many events (sets the institutions; the history stops at exactly this many).")
    var events: Int?

    @Option(help: "The seed: the same seed gives the same history.")
    var seed: UInt64 = 1

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Plan and draw random inspections (SPEC §11). A draw's pool is its district's whole register, so import such a history into a ledger with no other institutions.")
    var draws = false

    @Flag(help: "Receive and handle complaints (SPEC §12), with made-up reporters in clear: importing them needs LEDGER_MASTER_KEY_FILE.")
    var complaints = false

    @Option(help: "Write the answers planned for the history's council proposals (for ledger answer) to this file; default: beside --output, as NAME.answers.jsonl.")
    var answers: String?

    func validate() throws {
        guard (institutions == nil) != (events == nil) else { throw ValidationError("give --institutions or --events") }
        if let count = institutions ?? events, count < 1 { throw ValidationError("the count must be at least 1") }
    }

    func run() throws {
        var options = events.map { HistoryGenerator.Options(seed: seed, events: $0) }
            ?? HistoryGenerator.Options(seed: seed, institutions: institutions ?? 1)
        options.draws = draws
        options.complaints = complaints
        var generator = HistoryGenerator(options: options)
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let opened = FileHandle(forWritingAtPath: output) else {
                throw CLIFailure.invalid("cannot write \(output)")
            }
            handle = opened
        } else {
            handle = .standardOutput
        }
        try generator.write(to: handle)
        if output != nil { try handle.close() }
        let lines = generator.answers.map { $0.line + "\n" }.joined()
        guard let path = answers ?? output.map(Self.answersPath) else {
            printError("the \(generator.answers.count) answers planned for the proposals were not written: give --answers FILE")
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(lines.utf8)) else { throw CLIFailure.invalid("cannot write \(path)") }
    }

    /// `history.jsonl` → `history.answers.jsonl`.
    static func answersPath(_ output: String) -> String {
        (output.hasSuffix(".jsonl") ? String(output.dropLast(".jsonl".count)) : output) + ".answers.jsonl"
    }
}
