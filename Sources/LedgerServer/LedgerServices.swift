import Accounts
import Foundation
import EventStore
import HTTPTypes
import Hummingbird
import Ledger
import Postgres
import Reply
import Spreadsheet
import Statistics

/// Everything a request may use: the database and the core services over it.
public struct LedgerServices: Sendable {
    public var pool: ConnectionPool
    /// The public site's connections (SPEC §13), apart from the signed-in service's, so that a
    /// flood of public requests waits for these and never takes those.
    public var publicPool: ConnectionPool
    /// Every append of the service goes through it: concurrent calls share one commit.
    public let appends: GroupCommit
    /// The stream states the service's appends keep between calls.
    let streamCache = StreamStateCache()
    public var configuration: LedgerConfiguration
    public var accounts: AccountStore
    public var statistics: StatisticsService
    public var replies: ReplyService
    public var limits: ServerLimits
    /// The reporters' keys (SPEC §12): `LEDGER_MASTER_KEY_FILE` unless set otherwise.
    public var vault = ReporterVault.fromEnvironment()
    let signInLimiter: SignInLimiter

    public init(
        pool: ConnectionPool, publicPool: ConnectionPool? = nil, configuration: LedgerConfiguration, accounts: AccountStore? = nil,
        limits: ServerLimits = ServerLimits()
    ) {
        self.pool = pool
        self.publicPool = publicPool ?? pool
        appends = GroupCommit(pool: pool)
        self.configuration = configuration
        self.limits = limits
        signInLimiter = SignInLimiter(limits: limits)
        self.accounts = accounts ?? AccountStore(configuration: configuration)
        statistics = StatisticsService(configuration: configuration)
        replies = ReplyService(configuration: configuration)
    }

    /// The client's address: the connection's, or behind a trusted proxy the address the proxy
    /// added last to `X-Forwarded-For` (earlier ones are the client's to write).
    func clientAddress(_ request: Request, _ context: LedgerRequestContext) -> String {
        if limits.behindProxy, let forwarded = request.headers[Self.forwardedFor]?.split(separator: ",").last?
            .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return forwarded
        }
        return context.remoteAddress?.ipAddress ?? "local"
    }

    /// Whether `request` came over HTTPS: to the service itself, or to a trusted proxy that says so.
    func isSecure(_ request: Request) -> Bool {
        request.head.scheme == "https" || (limits.behindProxy && request.headers[Self.forwardedProto]?.lowercased() == "https")
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// An appender that records events as `user`, within their district.
    func appender(for user: User) -> Appender {
        var appender = Appender(configuration: configuration)
        appender.vault = vault
        appender.streamCache = streamCache
        appender.authority = AppendAuthority(
            actor: user.name, district: user.district, categories: user.role == .complaintOfficer ? [.complaint] : nil)
        return appender
    }

    /// Appends `submissions` as `user`; a refusal becomes the matching ``APIError``.
    func append(_ submissions: [Submission], as user: User) async throws -> Appender.Outcome {
        let appender = appender(for: user)
        do {
            return try await appends.append(submissions, with: appender)
        } catch let rejected as Appender.Rejected {
            throw APIError(rejected)
        }
    }

    /// The statistics `user` asked for. An inspector of a district sees that district only:
    /// without a district the request is narrowed to theirs, with another one it is refused.
    func statistics(_ fields: FormFields, for user: User) async throws -> Statistics {
        let request = try statisticsRequest(fields, for: user)
        let position = try fields.text("at_position").map(Self.position)
        let service = statistics
        return try await pool.write { try service.statistics(request, atPosition: position, $0) }
    }

    /// The figures and the monthly series of one period, read together at one position (the
    /// dashboard).
    func statisticsAndSeries(_ fields: FormFields, for user: User) async throws -> (Statistics, MonthlySeries) {
        let request = try statisticsRequest(fields, for: user)
        let position = try fields.text("at_position").map(Self.position)
        let service = statistics
        return try await pool.write { connection in
            try service.read(atPosition: position, connection) { generations, common in
                (try service.query.compute(request, generations: generations, position: common, connection),
                 try service.query.series(request, generations: generations, position: common, connection))
            }
        }
    }

    /// The Excel workbook of a period (`/dashboard.xlsx`): 总表, 分区 and 月度.
    func workbook(_ fields: FormFields, for user: User) async throws -> (bytes: [UInt8], request: StatisticsRequest) {
        let request = try statisticsRequest(fields, for: user)
        let position = try fields.text("at_position").map(Self.position)
        let service = statistics
        let figures = try await pool.write { try service.workbookFigures(request, atPosition: position, $0) }
        return (try StatisticsWorkbook.bytes(figures.statistics, districts: figures.districts, series: figures.series), request)
    }

    /// The monthly series of a period (`/api/stats?by=month`).
    func monthly(_ fields: FormFields, for user: User) async throws -> MonthlySeries {
        let request = try statisticsRequest(fields, for: user)
        let position = try fields.text("at_position").map(Self.position)
        let service = statistics
        return try await pool.write { try service.monthly(request, atPosition: position, $0) }
    }

    /// The open obligations on `on` (default today), of the user's district for an inspector of one.
    func deadlines(_ fields: FormFields, for user: User) async throws -> [Obligation] {
        let district = try readableDistrict(fields, for: user, what: "deadlines")
        let request = try DeadlinesRequest.checked(on: fields.text("on"), district: district, kind: fields.text("kind"), configuration)
        let position = try fields.text("at_position").map(Self.position)
        let service = statistics
        return try await pool.write { try service.deadlines(request, atPosition: position, $0) }
    }

    func statisticsRequest(_ fields: FormFields, for user: User) throws -> StatisticsRequest {
        let today = configuration.today
        let district = try readableDistrict(fields, for: user, what: "figures")
        return try StatisticsRequest.checked(
            from: fields.text("from") ?? StatisticsRequest.policyStart.description, to: fields.text("to") ?? today.description,
            district: district, baseline: fields.text("baseline"), configuration)
    }

    /// The district `fields` ask for: an inspector of a district gets theirs when none is asked
    /// for, and is refused another.
    func readableDistrict(_ fields: FormFields, for user: User, what: String) throws -> String? {
        var district = fields.text("district")
        if district == nil, user.role == .inspector { district = user.district }
        guard user.mayRead(district: district) else {
            throw APIError(.forbidden, "forbidden", "you see the \(what) of \(user.district ?? "全市") only, not of \(district ?? "全市")",
                           chinese: "您只能查看\(user.district ?? "全市")的数据,不能查看\(district ?? "全市")的")
        }
        return district
    }

    static func position(_ text: String) throws -> Int64 {
        guard let position = Int64(text), position >= 0 else {
            throw APIError.badRequest("at_position must be a whole number ≥ 0", field: "at_position")
        }
        return position
    }

    /// `draw-<key>` as the ledger holds it (its plan, pool, draw and inspections), or a 404.
    func draw(_ key: String) async throws -> RecordedDraw {
        guard StreamName(category: .draw, key: key) != nil else { throw APIError.badRequest("'\(key.prefix(40))' is not a draw key", field: "key") }
        let configuration = configuration
        guard let draw = try await pool.read({ try RecordedDraw.read(key, configuration: configuration, $0) }) else {
            throw APIError.notFound("no draw \(key) is planned (draw-\(key))", chinese: "没有抽查计划 draw-\(key)")
        }
        return draw
    }

    /// Draws `draw-<key>` with `beacon` (published on `beaconDate`) and records it as `user`: the
    /// targets the plan, pool and beacon give (SPEC §11), refused as any event is.
    func performDraw(_ key: String, beacon: String, beaconDate: String, occurredOn: String?, as user: User) async throws -> RecordedDraw {
        let performed: (line: String, drawn: RecordedDraw)
        do {
            performed = try await draw(key).performing(
                beacon: beacon, beaconDate: beaconDate, occurredOn: occurredOn ?? configuration.today.description, actor: user.name)
        } catch let failure as Draw.Failure {
            throw APIError(.unprocessableContent, "invalid", "draw-\(key): \(failure)")
        }
        _ = try await append([Submission(text: performed.line)], as: user)
        return performed.drawn
    }

    /// The reporter of `complaint-<key>`, read by `user` for `reason`: the reading is recorded
    /// first (SPEC §12).
    func reporter(_ key: String, reason: String, for user: User) async throws -> ReporterVault.Reading {
        let appender = appender(for: user)
        return try await complaintAccess { try await self.pool.write { try ReporterAccess.read(complaint: key, actor: user.name, reason: reason, appender: appender, $0) } }
    }

    /// Erases the reporter of `complaint-<key>` as `user` (SPEC §12).
    func forget(_ key: String, reason: String, as user: User) async throws {
        let appender = appender(for: user)
        _ = try await complaintAccess { try await self.pool.write { try ReporterAccess.forget(complaint: key, actor: user.name, reason: reason, appender: appender, $0) } }
    }

    /// Runs `body`, turning the access's and the vault's refusals into API errors.
    private func complaintAccess<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as ReporterAccess.Failure {
            switch failure.kind {
            case .notFound: throw APIError.notFound(failure.description)
            case .invalid: throw APIError(.unprocessableContent, "invalid", failure.description)
            case .unavailable: throw APIError(.serviceUnavailable, "unavailable", failure.description)
            }
        } catch let unavailable as ReporterVault.Unavailable {
            throw APIError(.serviceUnavailable, "unavailable", unavailable.description)
        }
    }

    /// The obligations `stream` created, open or discharged (a case's or a proposal's steps).
    func steps(of stream: StreamName) async throws -> [Step] {
        let service = statistics
        return try await pool.write { try service.steps(of: stream.description, $0) }
    }

    /// The history of `stream` if `user` may read it, and the stream's state (folded by date, as
    /// of today: where it is, what it is called) for who reads it.
    func history(_ streamText: String, for user: User) async throws -> (StreamName, [HistoryEntry], StreamStateToday) {
        guard let stream = StreamName(streamText) else {
            let categories = StreamCategory.allCases.map(\.rawValue).joined(separator: "|")
            throw APIError.badRequest("'\(streamText)' is not a stream name (<\(categories)>-<key>)", field: "stream")
        }
        let entries = try await pool.read { try History.of(stream, $0) }
        guard !entries.isEmpty else { throw APIError.notFound("\(stream) has no events in the ledger", chinese: "账本中没有 \(stream) 的事件") }
        var today = try StreamStateToday(
            state: StreamState(name: stream, events: entries.map(\.event), configuration: configuration), today: configuration.today)
        // A case is where its institution was when it was opened (SPEC §9).
        if let institution = today.facts.procedure.institution.flatMap({ StreamName(category: .institution, key: $0) }),
           let opened = entries.first?.event.occurredOn {
            let events = try await pool.read { try History.of(institution, $0) }.map(\.event)
            today.district = try StreamState(name: institution, events: events, configuration: configuration).district(on: opened)
        }
        if user.role == .inspector, stream.category != .bulletin, !user.mayRead(district: today.district) {
            throw APIError(.forbidden, "forbidden", "\(stream) is in \(today.district ?? "no district"); you read the timelines of \(user.district ?? "全市") only",
                           chinese: "\(stream) 属于\(today.district ?? "无区");您只能查看\(user.district ?? "全市")的记录")
        }
        return (stream, entries, today)
    }
}
