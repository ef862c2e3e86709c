// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "EnforcementLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ledger", targets: ["ledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The HTTP service. No default traits: neither swift-configuration nor full Foundation is used.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // SHA-256 where SQL cannot do it: the draws of SPEC §11, computed without a database.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // The C shim over libpq and nothing else.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Our one PostgreSQL wrapper: connections, SQL with binds, transactions, COPY, errors.
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        // The event store: append, read, verify, digest; JSON and calendar dates.
        .target(name: "EventStore", dependencies: ["Postgres", .product(name: "Crypto", package: "swift-crypto")]),
        // The domain: event catalogue, validation, folding, the append path with rules.
        .target(name: "Ledger", dependencies: ["EventStore", "Postgres", .product(name: "Crypto", package: "swift-crypto")]),
        // The read models (one projection per file) and the engine that keeps them current.
        .target(
            name: "Projections", dependencies: ["Postgres", "EventStore", "Ledger"], path: "Projections",
            // The rollups' trigger functions, created in each generation's schema.
            resources: [.embedInCode("Rollups")]
        ),
        // The figures of SPEC §4, computed from the read models.
        .target(name: "Statistics", dependencies: ["Projections", "Postgres", "EventStore", "Ledger"]),
        // Council replies (委员提案答复): composed from the statistics, with provenance, recorded.
        .target(name: "Reply", dependencies: ["Statistics", "Ledger", "EventStore", "Postgres"]),
        // Realistic, deterministic histories of any size.
        .target(name: "HistoryGenerator", dependencies: ["Ledger", "EventStore"]),
        // `ledger bench`: each operation measured beside raw PostgreSQL doing the same work.
        .target(name: "Benchmark", dependencies: ["Statistics", "Projections", "Ledger", "EventStore", "Postgres", "HistoryGenerator", "Reply"]),
        // libxlsxwriter (Debian's libxlsxwriter-dev), for the figures as Excel workbooks.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Excel workbooks: our one wrapper over libxlsxwriter, and the figures' workbook.
        .target(name: "Spreadsheet", dependencies: ["CXlsxWriter", "Statistics"]),
        // Users, roles and sessions: who may do what. Passwords are bcrypt hashes (HummingbirdBcrypt
        // is bcrypt's C code and nothing of the server).
        .target(
            name: "Accounts",
            dependencies: ["Ledger", "Postgres", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]
        ),
        // `ledger serve`: the JSON API and the server-rendered pages, on the same core.
        .target(
            name: "LedgerServer",
            dependencies: [
                "Accounts", "Ledger", "EventStore", "Postgres", "Statistics", "Reply", "Spreadsheet",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The pages' templates, compiled into the binary: nothing to install beside it.
            resources: [.embedInCode("Pages/Templates")]
        ),
        // The command line, as a library so tests can drive it.
        .target(
            name: "LedgerCLI",
            dependencies: [
                "Ledger", "EventStore", "Postgres", "HistoryGenerator", "Projections", "Statistics", "Reply", "Benchmark",
                "Accounts", "LedgerServer", "Spreadsheet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ledger", dependencies: ["LedgerCLI"]),

        // Fresh, migrated databases on the local PostgreSQL for the tests; never a mock.
        .target(name: "TestSupport", dependencies: ["Postgres", "EventStore", "Ledger", "HistoryGenerator"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "Postgres", "TestSupport"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "EventStore", "Postgres", "HistoryGenerator", "TestSupport"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "Ledger", "EventStore", "Postgres", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Projections", "Ledger", "EventStore", "Postgres", "HistoryGenerator", "TestSupport"]),
        .testTarget(name: "ReplyTests", dependencies: ["Reply", "Statistics", "Ledger", "EventStore", "Postgres", "TestSupport", "HistoryGenerator"]),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts", "Ledger", "Postgres", "TestSupport"]),
        .testTarget(
            name: "LedgerServerTests",
            dependencies: [
                "LedgerServer", "Accounts", "Ledger", "EventStore", "Postgres", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "BenchmarkTests", dependencies: ["Benchmark", "TestSupport"]),
        .testTarget(name: "LedgerCLITests", dependencies: ["LedgerCLI", "Ledger", "EventStore", "Postgres", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
