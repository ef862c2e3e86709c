import Foundation

/// Where the project's own files are: migrations in `db/`, the local cluster's connection files in
/// `.local/`. Found from the working directory or from the executable, whichever is inside the project.
enum ProjectPaths {
    static var root: URL? {
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(),
        ].compactMap { $0 }
        for start in candidates {
            var directory = start.standardizedFileURL
            while directory.path != "/" {
                let marker = directory.appendingPathComponent("db/0001_event_store.sql").path
                if FileManager.default.fileExists(atPath: marker) { return directory }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }

    static var migrations: URL? {
        if let path = ProcessInfo.processInfo.environment["LEDGER_MIGRATIONS"] { return URL(fileURLWithPath: path) }
        return root?.appendingPathComponent("db")
    }

    /// The first line of `.local/<name>`, written by ops/db-start.
    static func localFile(_ name: String) -> String? {
        guard let url = root?.appendingPathComponent(".local/\(name)"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first.map(String.init)?.trimmingCharacters(in: .whitespaces)
        return line?.isEmpty == false ? line : nil
    }
}
