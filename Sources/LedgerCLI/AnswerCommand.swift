import ArgumentParser
import Foundation
import Ledger
import Reply

struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer council proposals from a file of planned answers: produce each reply headed by its proposal and record it sent.",
        discussion: """
            Each line is a JSON object: proposal (its key), from and to (the reply's period), sent_on, \
            classification (A, B or C), actor, sent_id, and optionally feedback {satisfaction, on, id}. \
            ledger generate writes such a file for the proposals of its history (a reply is a record \
            only the ledger makes, so a generated history cannot hold one). An answer already recorded \
            (its sent_id) is skipped, so the same file can be given again.
            """)

    @Argument(help: "The answers, one JSON object per line.") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIFailure.invalid("cannot read \(file)") }
        let answers = try text.split(whereSeparator: \.isNewline).enumerated().map { offset, line in
            do {
                return try ProposalAnswer(line: String(line))
            } catch {
                throw CLIFailure.invalid("\(file):\(offset + 1): \(error)")
            }
        }
        let service = ReplyService(configuration: LedgerConfiguration.fromEnvironment())
        let db = try await database.connect()
        var answered = 0
        for answer in answers {
            do {
                if try await db.withConnection({ try service.answer(answer, $0) }) != nil { answered += 1 }
            } catch let rejected as Appender.Rejected {
                throw CLIFailure.invalid("proposal-\(answer.proposal): \(rejected.rejections.first?.text(commandLineLanguage) ?? "refused")")
            }
        }
        print("answered \(answered) council proposals, each with a reply headed by it; \(answers.count - answered) were answered already")
    }
}
