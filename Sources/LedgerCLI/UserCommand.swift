import Accounts
import ArgumentParser
import Foundation
import Ledger

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the people who sign in to `ledger serve`: add, list, disable.",
        subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user with a role (inspector, analyst, auditor, admin).",
            discussion: """
                The password is read from $LEDGER_PASSWORD, from standard input with --password-stdin, \
                or asked for on a terminal. It is stored as a bcrypt hash.
                  ledger user add 张三 --role inspector --district 天宁区
                  ledger user add 李四 --role analyst
                """)

        @Argument(help: "The user's name: 1–64 characters without spaces; the actor of what they record.") var name: String
        @Option(help: "inspector, analyst, auditor, admin or complaint_officer") var role: String
        @Option(help: "The inspector's district.") var district: String?
        @Flag(name: .customLong("city-wide"), help: "An inspector for the whole city (no district).") var cityWide = false
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordFromStdin = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password = try readPassword()
            let store = AccountStore(configuration: .fromEnvironment())
            let (name, district, cityWide, creator) = (name, district, cityWide, defaultActor())
            let db = try await database.connect()
            do {
                let user = try await db.withConnection {
                    try store.add(name: name, password: password, role: role, district: district, cityWide: cityWide, createdBy: creator, $0)
                }
                print("added \(user.name): \(user.role.rawValue)\(user.district.map { " of \($0)" } ?? "")")
            } catch let error as AccountError {
                throw CLIFailure.invalid(error.description)
            }
        }

        func readPassword() throws -> String {
            if let password = ProcessInfo.processInfo.environment["LEDGER_PASSWORD"] { return password }
            if passwordFromStdin {
                return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    .trimmingCharacters(in: .newlines)
            }
            guard isatty(STDIN_FILENO) == 1, let typed = getpass("password for \(name): ") else {
                throw CLIFailure(code: CLIFailure.usage, message: "no password: set LEDGER_PASSWORD or pass --password-stdin")
            }
            return String(cString: typed)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every user, with role, district and status.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = AccountStore(configuration: .fromEnvironment())
            let db = try await database.connect()
            let users = try await db.read { try store.list($0) }
            guard !users.isEmpty else {
                print("no users yet: ledger user add NAME --role admin")
                return
            }
            for user in users {
                let district = user.district ?? (user.role == .inspector ? "全市" : "-")
                let status = user.disabledAt.map { "disabled \(store.configuration.localTime($0))" } ?? "active"
                print("\(user.name)\t\(user.role.rawValue)\t\(district)\t\(status)\tadded \(store.configuration.localTime(user.createdAt)) by \(user.createdBy)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and end their sessions (users are never deleted).")
        @Argument var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = AccountStore(configuration: .fromEnvironment())
            let (name, admin) = (name, defaultActor())
            let db = try await database.connect()
            do {
                try await db.withConnection { try store.disable(name: name, by: admin, $0) }
                print("disabled \(name)")
            } catch let error as AccountError {
                throw CLIFailure.invalid(error.description)
            }
        }
    }
}
