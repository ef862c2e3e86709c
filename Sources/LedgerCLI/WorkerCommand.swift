import ArgumentParser
import Foundation
import Projections

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Keep the read models current: apply new events as they are appended.",
        discussion: """
            Woken by one notification per appending transaction, and polling as the fallback. Each \
            batch and its checkpoint commit together; a killed worker resumes where it stopped.
            """)

    @Flag(help: "Catch up once and exit.") var once = false
    @Option(name: .customLong("batch-size"), help: "Events per transaction.") var batchSize: Int64 = 250_000
    @Option(help: "Seconds between polls when no notification arrives.") var poll: Double = 5
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard poll > 0 else { throw ValidationError("--poll must be positive") }
    }

    func run() async throws {
        let db = try await database.connect()
        let engine = ProjectionEngine(batchSize: batchSize)
        let reporter = ProgressReporter(label: "worker", total: nil)
        let once = once, poll = poll
        try await db.withConnection { connection in
            try connection.listen("ledger_events") {
                while true {
                    let reached = try engine.catchUp(connection, progress: { progress in
                        reporter.update(count: Int(progress.position), unit: "position", done: nil)
                    }, blocked: reportBlocked)
                    reporter.finish()
                    if once {
                        print("read models at position \(reached)")
                        return
                    }
                    _ = try connection.waitForNotification(timeout: poll)
                }
            }
        }
    }
}

/// Says, on stderr, why the worker waits and who holds it back: at once when the holders change,
/// and every 30 seconds while they stay.
let reportBlocked: @Sendable (Blocked) -> Void = { blocked in
    let holders = blocked.holders.map(\.description)
    let seconds = Int(blocked.waited)
    let summary = holders.isEmpty
        ? "no session holds a lock on the ledger's tables any more; trying again"
        : holders.joined(separator: "; ")
    let hint = blocked.holders.first.map { " (to end it: SELECT pg_terminate_backend(\($0.pid)))" } ?? ""
    printError("worker: \(blocked.projection) has waited \(seconds) s for a lock: \(summary)\(hint)")
}

struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild read models from the log while the current ones keep answering, then switch over.")

    @Argument(help: ArgumentHelp("One projection (\(Projections.all.map(\.name).joined(separator: ", "))); all when omitted.", valueName: "name"))
    var name: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let chosen: [any Projection]
        if let name {
            guard let projection = Projections.named(name) else {
                throw CLIFailure.invalid("no projection named '\(name)' (\(Projections.all.map(\.name).joined(separator: ", ")))")
            }
            chosen = [projection]
        } else {
            chosen = Projections.all
        }
        let db = try await database.connect()
        let engine = ProjectionEngine()
        for projection in chosen {
            let reporter = ProgressReporter(label: "rebuild \(projection.name)", total: nil)
            let started = Date()
            try await db.withConnection { connection in
                try engine.rebuild(projection, connection, progress: { progress in
                    reporter.update(count: Int(progress.position), unit: "events", done: nil)
                }, blocked: reportBlocked)
            }
            reporter.finish()
            print("rebuilt \(projection.name) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        }
    }
}
