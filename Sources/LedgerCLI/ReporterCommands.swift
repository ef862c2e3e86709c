import ArgumentParser
import Foundation
import Ledger
import Postgres

/// `ledger reporter complaint-KEY --reason R`: reads a complaint's reporter, recording the reading
/// first (SPEC §12). For whoever runs the ledger; over the API only a complaint officer may.
struct ReporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reporter",
        abstract: "Read a complaint's reporter (举报人); the reading is recorded first (ReporterViewed).",
        discussion: "Needs LEDGER_MASTER_KEY_FILE. Prints the reporter, 'erased' once forgotten, or 'none' for an anonymous complaint.")

    @Argument(help: "The complaint's stream, complaint-KEY.") var stream: String
    @Option(help: "Why the reporter is read (recorded with the reading).") var reason: String
    @Option(help: "Who reads (default $LEDGER_ACTOR, else the login name).") var actor: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let key = try complaintKey(stream)
        let db = try await database.connect()
        let reading = try await db.withConnection { connection in
            try mapped { try ReporterAccess.read(complaint: key, actor: actor ?? defaultActor(), reason: reason,
                                                 appender: Appender(configuration: .fromEnvironment()), connection) }
        }
        switch reading {
        case .reporter(let reporter):
            print("name: \(reporter.name)")
            if let phone = reporter.phone { print("phone: \(phone)") }
            if let id = reporter.idNumber { print("id_number: \(id)") }
        case .none: print("reporter: none (anonymous, or none given)")
        case .erased: print("reporter: erased")
        }
    }
}

/// `ledger forget complaint-KEY --reason R`: erases a complaint's reporter by destroying its key
/// (`PersonalDataErased`, SPEC §12). `--reapply` destroys again the keys of every complaint on the
/// erasure list (after a backup is restored) and records the erasures the restored ledger lacks.
struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a complaint's reporter for good: destroys its key (PersonalDataErased); no event is deleted.",
        discussion: """
            Needs LEDGER_MASTER_KEY_FILE: the erasure is also written to the erasure list beside the master key \
            (<file>.erased), so that a backup restored later cannot bring the reporter back. ledger forget --reapply \
            re-applies that list to a restored database (ops/restore runs it).
            """)

    @Argument(help: "The complaint's stream, complaint-KEY.") var stream: String?
    @Option(help: "Why the reporter is erased (e.g. the person's request of 2026-11-30).") var reason: String?
    @Flag(help: "Re-apply the erasure list to this database (after restoring a backup).") var reapply = false
    @Option(help: "Who erases (default $LEDGER_ACTOR, else the login name).") var actor: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if reapply {
            guard stream == nil, reason == nil else { throw ValidationError("--reapply takes no stream and no --reason") }
        } else {
            guard stream != nil, reason != nil else { throw ValidationError("give complaint-KEY and --reason (or --reapply)") }
        }
    }

    func run() async throws {
        let db = try await database.connect()
        let appender = Appender(configuration: .fromEnvironment())
        let actor = actor ?? defaultActor()
        if reapply {
            let restored = try await db.withConnection { connection in
                try mapped { try ReporterAccess.reapplyErasures(actor: actor, appender: appender, connection) }
            }
            print("erasure list re-applied: \(restored.keys) key(s) destroyed again, \(restored.recorded) erasure(s) recorded")
            return
        }
        let key = try complaintKey(stream ?? "")
        let outcome = try await db.withConnection { connection in
            try mapped { try ReporterAccess.forget(complaint: key, actor: actor, reason: reason ?? "", appender: appender, connection) }
        }
        if let event = outcome.events.first {
            print("erased the reporter of complaint-\(key): its key is destroyed (PersonalDataErased at position \(event.position))")
        }
    }
}

private func complaintKey(_ stream: String) throws -> String {
    guard let name = StreamName(stream), name.category == .complaint else {
        throw CLIFailure.invalid("'\(stream.prefix(80))' is not a complaint stream (complaint-KEY)")
    }
    return name.key
}

/// Runs `body`, reporting the access's and the vault's refusals as the command line's.
private func mapped<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as ReporterAccess.Failure {
        let code = switch failure.kind {
        case .notFound, .invalid: CLIFailure.invalidInput
        case .unavailable: CLIFailure.unavailable
        }
        throw CLIFailure(code: code, message: failure.description)
    } catch let unavailable as ReporterVault.Unavailable {
        throw CLIFailure(code: CLIFailure.unavailable, message: unavailable.description)
    }
}
