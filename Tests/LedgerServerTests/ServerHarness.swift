import Accounts
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerServer
import NIOCore
import Postgres
import TestSupport

/// The service on a fresh database, run in-process: a small history in 天宁区 and 钟楼区, and a
/// user of every role (password `password-1`, bcrypt at a low cost to keep tests fast).
struct ServerHarness {
    let database: TestDatabase
    let services: LedgerServices

    static let password = "password-1"
    /// name → (role, district, city-wide)
    static let users: [(String, Role, String?, Bool)] = [
        ("tn-inspector", .inspector, "天宁区", false), ("zl-inspector", .inspector, "钟楼区", false),
        ("city-inspector", .inspector, nil, true), ("analyst", .analyst, nil, false),
        ("auditor", .auditor, nil, false), ("admin", .admin, nil, false),
        ("complaint-officer", .complaintOfficer, nil, false),
    ]
    /// A 天宁区 institution, a 钟楼区 institution, and an operation in each.
    static let tianning = "TN-0001", zhonglou = "ZL-0001", tianningOperation = "OP-TN-1", zhonglouOperation = "OP-ZL-1"

    /// In-process requests all come from one address: its sign-ins are not limited here but
    /// where a test says so.
    static var limits: ServerLimits {
        var limits = ServerLimits()
        limits.addressAttempts = 1_000_000
        // The public site asks the read models every time, so a test sees each change at once.
        limits.publicFreshness = .zero
        return limits
    }

    init(_ label: String, limits: ServerLimits = ServerHarness.limits, today: CalendarDate? = nil) async throws {
        database = try TestDatabase.create(label)
        var configuration = LedgerConfiguration.changzhou
        configuration.fixedToday = today
        let accounts = AccountStore(configuration: configuration, cost: 4)
        var services = LedgerServices(pool: ConnectionPool(database.appURL, size: 4), configuration: configuration, accounts: accounts, limits: limits)
        services.vault = ReporterVault(keyFile: try temporaryMasterKeyFile())
        self.services = services
        let connection = try database.connect()
        for (name, role, district, cityWide) in Self.users {
            try accounts.add(name: name, password: Self.password, role: role, district: district, cityWide: cityWide, createdBy: "test", connection)
        }
        let lines = [
            Self.line("institution-\(Self.tianning)", "InstitutionRegistered", #"{"name":"天宁测试学堂","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2020-01-01", actor: "seed"),
            Self.line("institution-\(Self.zhonglou)", "InstitutionRegistered", #"{"name":"钟楼测试学堂","district":"钟楼区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2020-01-01", actor: "seed"),
            Self.line("operation-\(Self.tianningOperation)", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":3}"#, actor: "seed"),
            Self.line("operation-\(Self.zhonglouOperation)", "OperationConducted", #"{"district":"钟楼区","kind":"daily_patrol","inspectors":2}"#, actor: "seed"),
        ]
        _ = try Appender(configuration: .changzhou).append(lines.map { Submission(text: $0) }, on: connection)
    }

    static func line(_ stream: String, _ type: String, _ data: String, id: String = UUID().uuidString.lowercased(),
                     on date: String = "2022-03-01", actor: String? = nil) -> String {
        let actorField = actor.map { #","actor":"\#($0)""# } ?? ""
        return #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(date)"\#(actorField),"data":\#(data)}"#
    }

    /// An inspection of `institution` in `operation`, without an actor (the service fills it in).
    static func inspection(_ institution: String = tianning, operation: String = tianningOperation, id: String = UUID().uuidString.lowercased()) -> String {
        line("institution-\(institution)", "InstitutionInspected", #"{"operation":"\#(operation)","result":"compliant"}"#, id: id, on: "2022-03-02")
    }

    func eventCount() throws -> Int { try database.eventCount() }

    /// Runs `body` against the service in-process.
    func run(_ body: @Sendable (Client) async throws -> Void) async throws {
        let application = Application(router: try LedgerServer.router(services))
        try await application.test(.router) { client in try await body(Client(client: client)) }
    }

    /// Requests with the conveniences the tests need: JSON bodies, forms, bearer tokens, cookies.
    struct Client: Sendable {
        let client: any TestClientProtocol

        func send(
            _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, cookie: String? = nil,
            json: String? = nil, form: [(String, String)]? = nil, headers extra: HTTPFields = [:]
        ) async throws -> TestResponse {
            var headers = extra
            if let token { headers[.authorization] = "Bearer \(token)" }
            if let cookie { headers[.cookie] = cookie }
            var body: ByteBuffer?
            if let json {
                headers[.contentType] = "application/json"
                body = ByteBuffer(string: json)
            }
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: form.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&"))
            }
            return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        }

        /// A bearer token for `name`.
        func token(_ name: String) async throws -> String {
            let response = try await send(.post, "/api/session", json: #"{"name":"\#(name)","password":"\#(ServerHarness.password)"}"#)
            guard response.status == .created, let token = try JSONParser.parse(String(buffer: response.body))["token"]?.stringValue else {
                throw HarnessError(message: "sign-in of \(name) answered \(response.status)")
            }
            return token
        }

        /// The session cookie of `name`, signed in through the login form.
        func cookie(_ name: String) async throws -> String {
            let response = try await send(.post, "/login", form: [("name", name), ("password", ServerHarness.password)])
            guard let setCookie = response.headers[.setCookie], let pair = setCookie.split(separator: ";").first else {
                throw HarnessError(message: "login of \(name) set no cookie (\(response.status))")
            }
            return String(pair)
        }

        static func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
    }

    struct HarnessError: Error { var message: String }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSON { (try? JSONParser.parse(text)) ?? .null }
}
