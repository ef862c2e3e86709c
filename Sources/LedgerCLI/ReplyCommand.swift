import ArgumentParser
import EventStore
import Foundation
import Ledger
import Postgres
import Reply
import Statistics

struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "The enforcement section of a council reply (委员提案答复), with provenance; recorded in the ledger.",
        discussion: """
            The same --at-position gives the same reply, byte for byte, however many events arrived \
            since. Every reply produced is recorded (ledger replies lists them); --diff A B shows which \
            figures changed between two recorded replies and which events changed them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, docx }

    @Option(help: "First day of the period, YYYY-MM-DD.") var from: String?
    @Option(help: "Last day of the period, YYYY-MM-DD (inclusive).") var to: String?
    @Option(help: "Only this district; the reply then speaks of it instead of 全市.") var district: String?
    @Option(help: "Baseline day for the compression rate (default 2021-07-24).") var baseline: String?
    @Option(help: "The council proposal (its key) the reply answers: it heads the reply, sets the district, and is recorded for ReplySent.")
    var proposal: String?
    @Option(name: .customLong("at-position"), help: "The reply as the ledger stood at this position.") var atPosition: Int64?
    @Option(help: "text, markdown or docx") var format: Format = .text
    @Option(help: "签发人: who signed the reply (shown at the head of the Word document).") var signer: String?
    @Option(help: "经办人: whom to contact about it (the Word document's note).") var handler: String?
    @Option(help: "联系电话: their telephone (the Word document's note).") var phone: String?
    @Option(name: [.short, .long], help: "Write to this file (required for docx on a terminal).") var output: String?
    @Option(name: .customLong("diff"), parsing: .upToNextOption, help: "Two recorded replies (keys from ledger replies) to compare.")
    var diff: [String] = []
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if !diff.isEmpty {
            guard diff.count == 2 else { throw ValidationError("--diff takes two reply keys") }
            return
        }
        guard from != nil, to != nil else { throw ValidationError("give --from and --to (or --diff A B)") }
        if format == .docx && output == nil && isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("a Word document is not for a terminal: add -o FILE.docx")
        }
    }

    func run() async throws {
        let configuration = LedgerConfiguration.fromEnvironment()
        let service = ReplyService(configuration: configuration)
        let db = try await database.connect()
        if diff.count == 2 {
            try await showDiff(service, db)
            return
        }
        let request = try StatsCommand.request(from: from ?? "", to: to ?? "", district: district, baseline: baseline, configuration)
        let position = atPosition, chosen = Reply.Format(rawValue: format.rawValue) ?? .text
        let actor = defaultActor()
        let (reply, record) = try await db.withConnection { connection in
            let reply = try service.produce(request, atPosition: position, proposal: proposal, connection)
            let record = try service.record(reply, format: chosen, actor: actor, connection)
            return (reply, record)
        }
        var signed = reply
        if signer != nil || handler != nil || phone != nil {
            signed.signature = Reply.Signature(signer: signer, handler: handler, phone: phone)
        }
        let bytes = signed.rendered(chosen)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw CLIFailure.invalid("cannot write \(output)")
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        printError("recorded as reply-\(record.key) (position \(reply.statistics.position), digest \(reply.digest.prefix(16))…)")
    }

    func showDiff(_ service: ReplyService, _ db: DatabaseConnection) async throws {
        let (a, b) = (diff[0], diff[1])
        let (first, second, changes) = try await db.withConnection { try service.diff(a, b, $0) }
        print("reply-\(first.key) (position \(first.issued.position)) → reply-\(second.key) (position \(second.issued.position))")
        guard !changes.isEmpty else {
            print("no figure changed")
            return
        }
        for change in changes {
            print("\(change.figure): \(change.before) → \(change.after)")
            for event in change.events { print("    \(event)") }
        }
    }
}

struct RepliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replies",
        abstract: "Every council reply produced, as the ledger recorded it.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = LedgerConfiguration.fromEnvironment()
        let service = ReplyService(configuration: configuration)
        let db = try await database.connect()
        let records = try await db.read { try service.list($0) }
        guard !records.isEmpty else {
            print("no reply has been recorded")
            return
        }
        for record in records {
            let issued = record.issued
            print("reply-\(record.key)  \(configuration.localTime(record.recordedAt))  \(record.actor)  \(issued.from)…\(issued.to) \(issued.district ?? "全市")  at position \(issued.position)  \(issued.format)  text sha256 \(issued.textSHA256.prefix(16))…")
        }
    }
}
