import ArgumentParser
import EventStore
import Foundation
import Hummingbird
import Ledger
import LedgerServer
import Logging
import Postgres
import Projections

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API (/api/, described at /api/openapi.json) and the pages people use.",
        discussion: """
            Users sign in with the accounts `ledger user add` creates. The database must be migrated \
            (ledger migrate). Stop with Ctrl-C or SIGTERM.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(name: .customLong("pool-size"), help: "Database connections shared by the signed-in requests.") var poolSize = 4
    @Option(name: .customLong("public-pool-size"), help: "Database connections of the public site (/public), apart from the others.") var publicPoolSize = 2
    @Flag(name: .customLong("no-worker"), help: "Do not keep the read models current here: a worker does (ledger worker), or this is a read replica.")
    var noWorker = false
    @Flag(name: .customLong("behind-proxy"), help: ArgumentHelp(
        "Trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy in front.",
        discussion: "The client is then the last address in X-Forwarded-For (for sign-in limits), the session cookie is Secure when the proxy says https, and connections are not counted per client. Use it only when nothing but the proxy can reach the service."))
    var behindProxy = false
    @Option(name: .customLong("header-timeout"), help: "Seconds a request's head may take to arrive.") var headerTimeout = 10
    @Option(name: .customLong("body-timeout"), help: "Seconds a request's body may take to arrive after its head.") var bodyTimeout = 60
    @Option(name: .customLong("connections-per-client"), help: "Connections one client address may hold open.") var connectionsPerClient = 16
    @Option(name: .customLong("public-freshness"), help: "Seconds the public site serves an answer it made before asking whether the read models moved on.")
    var publicFreshness = 10
    @Flag(name: .customLong("no-public-cache"), help: "Make every public answer afresh, keeping none (to measure what a page costs the database).")
    var noPublicCache = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        guard (1...64).contains(poolSize), (1...64).contains(publicPoolSize) else { throw ValidationError("--pool-size and --public-pool-size must be 1…64") }
        guard (1...3600).contains(headerTimeout), (1...3600).contains(bodyTimeout) else {
            throw ValidationError("--header-timeout and --body-timeout must be 1…3600 seconds")
        }
        guard (0...3600).contains(publicFreshness) else { throw ValidationError("--public-freshness must be 0…3600 seconds") }
        guard (1...10_000).contains(connectionsPerClient) else { throw ValidationError("--connections-per-client must be 1…10000") }
    }

    func run() async throws {
        let pool = ConnectionPool(try database.conninfo(), size: poolSize)
        do {
            _ = try await pool.read { try EventStore().headPosition($0) }
        } catch let error as PostgresError where error.isConnectionFailure {
            throw CLIFailure(code: CLIFailure.unavailable, message: "database unreachable: \(error.message.replacingOccurrences(of: "\n", with: " "))")
        }
        var logger = Logger(label: "ledger.serve")
        logger.logLevel = .info
        var limits = ServerLimits()
        limits.behindProxy = behindProxy
        limits.headerTimeout = .seconds(headerTimeout)
        limits.bodyTimeout = .seconds(bodyTimeout)
        limits.connectionsPerClient = connectionsPerClient
        limits.publicFreshness = .seconds(publicFreshness)
        limits.publicKeepsAnswers = !noPublicCache
        let publicPool = ConnectionPool(try database.conninfo(), size: publicPoolSize)
        let services = LedgerServices(pool: pool, publicPool: publicPool, configuration: .fromEnvironment(), limits: limits)
        let application = try LedgerServer.application(services, host: host, port: port, logger: logger)
        printError("serving on http://\(host):\(port)/ (API description at /api/openapi.json; the public site at /public)")
        if !noWorker {
            // The read models kept current here, as `ledger worker` does, on a connection of its own.
            let conninfo = try database.conninfo(), workerLogger = logger
            Thread.detachNewThread {
                Self.keepCurrent(conninfo, logger: workerLogger)
            }
        }
        try await application.runService()
    }

    /// Catches the read models up whenever an append notifies, polling every 5 s as the
    /// fallback; reconnects after a failure (the database restarting, say).
    static func keepCurrent(_ conninfo: String, logger: Logger) {
        let engine = ProjectionEngine()
        while true {
            do {
                let connection = try Connection(conninfo)
                try connection.listen("ledger_events") {
                    while true {
                        _ = try engine.catchUp(connection, progress: { _ in }, blocked: reportBlocked)
                        _ = try connection.waitForNotification(timeout: 5)
                    }
                }
            } catch {
                logger.warning("the read models' worker stopped: \(error); trying again in 5 s")
                Thread.sleep(forTimeInterval: 5)
            }
        }
    }
}
