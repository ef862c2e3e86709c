import Accounts
import EventStore
import Foundation
import Hummingbird
import Ledger
import Postgres
import Reply

/// One route of the JSON API: how it is registered, and what the OpenAPI document must describe.
public struct Endpoint: Sendable {
    public var method: HTTPRequest.Method
    /// The path as registered and as the OpenAPI document writes it (`/api/streams/{stream}/history`).
    public var path: String
    var handler: @Sendable (Request, LedgerRequestContext) async throws -> Response
}

/// The JSON API's handlers. Every route checks its permission first; every refusal is an
/// ``APIError`` with a 4xx status.
struct APIRoutes: Sendable {
    let services: LedgerServices

    var endpoints: [Endpoint] {
        let document = OpenAPIDocument.text(districts: services.configuration.districts)
        return [
            Endpoint(method: .get, path: "/api/health", handler: health),
            Endpoint(method: .get, path: "/api/openapi.json", handler: { _, _ in .text(document, contentType: "application/json; charset=utf-8") }),
            Endpoint(method: .post, path: "/api/session", handler: signIn),
            Endpoint(method: .get, path: "/api/session", handler: currentSession),
            Endpoint(method: .delete, path: "/api/session", handler: signOut),
            Endpoint(method: .post, path: "/api/events", handler: appendEvents),
            Endpoint(method: .get, path: "/api/stats", handler: stats),
            Endpoint(method: .get, path: "/api/deadlines", handler: deadlines),
            Endpoint(method: .get, path: "/api/streams/{stream}/history", handler: history),
            Endpoint(method: .get, path: "/api/draws/{key}", handler: showDraw),
            Endpoint(method: .get, path: "/api/draws/{key}/verify", handler: verifyDraw),
            Endpoint(method: .post, path: "/api/draws/{key}/perform", handler: performDraw),
            Endpoint(method: .get, path: "/api/complaints/{key}", handler: showComplaint),
            Endpoint(method: .post, path: "/api/complaints/{key}/reporter", handler: readReporter),
            Endpoint(method: .post, path: "/api/complaints/{key}/forget", handler: forgetReporter),
            Endpoint(method: .get, path: "/api/verify", handler: verify),
            Endpoint(method: .get, path: "/api/digest", handler: digest),
            Endpoint(method: .get, path: "/api/reply", handler: { try await reply($0, $1, recording: false) }),
            Endpoint(method: .post, path: "/api/reply", handler: { try await reply($0, $1, recording: true) }),
            Endpoint(method: .get, path: "/api/users", handler: listUsers),
            Endpoint(method: .post, path: "/api/users", handler: addUser),
            Endpoint(method: .post, path: "/api/users/{name}/disable", handler: disableUser),
        ]
    }

    /// The JSON body of `request`: an object or an array, or a 400 saying why not (a 422 for
    /// JSON beyond the ledger's limits, such as an integer beyond 64 bits).
    static func jsonBody(_ request: Request, _ context: LedgerRequestContext) async throws -> JSON {
        try parsedJSON(try await request.body.collect(upTo: context.maxUploadSize))
    }

    /// The JSON object body of `request`, whose members must be among `allowed` (the schema
    /// closes these objects, so the server refuses what it would otherwise ignore).
    static func jsonObject(_ request: Request, _ context: LedgerRequestContext, allowed: Set<String>) async throws -> JSON {
        let body = try await jsonBody(request, context)
        try checkMembers(body, allowed: allowed)
        return body
    }

    static func checkMembers(_ body: JSON, allowed: Set<String>) throws {
        guard case .object(let members) = body else { throw APIError.badRequest("the body must be a JSON object, not \(body.typeName)") }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("unknown field '\(unknown.prefix(40))'; the fields are \(allowed.sorted().joined(separator: ", "))", field: String(unknown.prefix(40)))
        }
    }

    static func parsedJSON(_ buffer: ByteBuffer) throws -> JSON {
        do {
            return try JSONParser.parse(Array(buffer.readableBytesView))
        } catch where error.isBeyondLimits {
            throw APIError(.unprocessableContent, "invalid", "the body is beyond what the ledger takes: \(error)")
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error)")
        }
    }

    /// The query string's fields. A field given but left blank is refused: leave it out instead
    /// (the pages send blanks for "all"; the API says what it means).
    static func query(_ request: Request) throws -> FormFields {
        try nonBlank(FormFields.query(request))
    }

    static func nonBlank(_ fields: FormFields) throws -> FormFields {
        if let blank = fields.values.keys.sorted().first(where: { fields.text($0) == nil }) {
            throw APIError.badRequest("\(blank) is empty: give a value or leave it out", field: blank)
        }
        return fields
    }

    @Sendable func health(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let position = try await services.pool.read { try EventStore().headPosition($0) }
        return .json(.object(["status": .string("ok"), "position": .integer(position)]))
    }

    @Sendable func signIn(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let body = try await Self.jsonObject(request, context, allowed: ["name", "password"])
        guard let name = body["name"]?.stringValue, let password = body["password"]?.stringValue else {
            throw APIError.badRequest("send {\"name\": \"…\", \"password\": \"…\"}")
        }
        let session = try await services.signIn(name: name, password: password, from: services.clientAddress(request, context))
        return .json(session.json, status: .created)
    }

    @Sendable func currentSession(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        guard let user = context.user else { throw APIError(.unauthorized, "unauthenticated", "nobody is signed in", chinese: "尚未登录") }
        return .json(user.json)
    }

    @Sendable func signOut(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        if let token = context.sessionToken {
            let accounts = services.accounts
            try await services.pool.write { try accounts.closeSession(token: token, $0) }
        }
        return Response(status: .noContent)
    }

    /// One event (an object) or a batch (an array), all or nothing. The actor is the signed-in
    /// user: left out, it is filled in; naming anyone else is refused.
    @Sendable func appendEvents(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let body = try await Self.jsonBody(request, context)
        let items: [JSON]
        let isBatch: Bool
        switch body {
        case .object: (items, isBatch) = ([body], false)
        case .array(let array): (items, isBatch) = (array, true)
        default: throw APIError.badRequest("the body must be an event (a JSON object) or a batch (an array of them), not \(body.typeName)")
        }
        guard !items.isEmpty else { throw APIError.badRequest("the batch is empty") }
        guard items.count <= LedgerServer.maximumBatch else {
            throw APIError(.contentTooLarge, "too_large", "a batch holds at most \(LedgerServer.maximumBatch) events; this one has \(items.count)")
        }
        let submissions = items.enumerated().map { index, item in
            var event = item
            if case .object(var fields) = item, fields["actor"] == nil {
                fields["actor"] = .string(user.name)
                event = .object(fields)
            }
            return Submission(line: isBatch ? index + 1 : nil, text: event.canonicalText)
        }
        let outcome = try await services.append(submissions, as: user)
        return .json(outcome.json, status: outcome.appended > 0 ? .created : .ok)
    }

    @Sendable func stats(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let fields = try Self.query(request)
        let format = fields.text("format") ?? "json"
        guard ["json", "csv"].contains(format) else { throw APIError.badRequest("format must be json or csv", field: "format") }
        switch fields.text("by") {
        case nil:
            let statistics = try await services.statistics(fields, for: user)
            return format == "csv" ? .text(statistics.csvText, contentType: "text/csv; charset=utf-8")
                : .text(statistics.jsonText, contentType: "application/json; charset=utf-8")
        case "month":
            let series = try await services.monthly(fields, for: user)
            return format == "csv" ? .text(series.csvText, contentType: "text/csv; charset=utf-8")
                : .text(series.jsonText, contentType: "application/json; charset=utf-8")
        default:
            throw APIError.badRequest("by must be month (or left out for the period's totals)", field: "by")
        }
    }

    @Sendable func deadlines(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let open = try await services.deadlines(Self.query(request), for: user)
        return .text(open.jsonText, contentType: "application/json; charset=utf-8")
    }

    @Sendable func history(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let (_, entries, _) = try await services.history(try context.pathParameter("stream"), for: user)
        return .json(.array(entries.map(\.json)))
    }

    /// A draw as anyone may re-run it (SPEC §11): plan, pool, beacon, seed, targets, inspected.
    @Sendable func showDraw(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        _ = try context.require(.readStatistics)
        return .json(try await services.draw(try context.pathParameter("key")).published)
    }

    /// The draw recomputed from the ledger: verified, or the first difference.
    @Sendable func verifyDraw(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        _ = try context.require(.readStatistics)
        let draw = try await services.draw(try context.pathParameter("key"))
        guard let performed = draw.performed else { throw APIError.notFound("draw-\(draw.key) is planned but not drawn yet", chinese: "draw-\(draw.key) 已有计划,尚未摇号") }
        let difference: String?
        do {
            difference = Draw.difference(performed.targets, try draw.expected(beacon: performed.beacon))
        } catch {
            difference = error.description
        }
        return .json(.object([
            "draw": .string(draw.key), "verified": .bool(difference == nil), "difference": difference.map(JSON.string) ?? .null,
            "verifiable": draw.verifiable.map(JSON.bool) ?? .null, "seed": .string(draw.seed(beacon: performed.beacon)),
        ]))
    }

    /// A complaint (SPEC §12): what was received, its clocks (each step's due day and whether it
    /// was met), and whether it has a reporter (`encrypted`, `erased` or `none`), never who.
    @Sendable func showComplaint(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readHistory)
        let (stream, entries, today) = try await services.history("complaint-\(try context.pathParameter("key"))", for: user)
        let steps = try await services.steps(of: stream)
        guard case .object(var received)? = entries.first?.event.data else { throw APIError.notFound("\(stream) has no receipt", chinese: "\(stream) 没有受理登记") }
        received["reporter"] = nil
        return .json(.object([
            "stream": .string(stream.description), "received_on": .string(entries[0].event.occurredOn.description),
            "district": today.district.map(JSON.string) ?? .null, "received": .object(received),
            "reporter": .string(entries[0].reporter ?? "none"),
            "finding": today.facts.complaint.finding.map { .string($0.rawValue) } ?? .null,
            "steps": .array(steps.map { step in
                .object([
                    "kind": .string(step.kind.rawValue), "created_on": .string(step.created.description),
                    "due_on": step.due.day.map { .string($0.description) } ?? .null,
                    "discharged_on": step.discharged.map { .string($0.description) } ?? .null,
                    "met": step.met.map(JSON.bool) ?? .null, "label": .string(step.label),
                ])
            }),
        ]))
    }

    static let reasonFields: Set<String> = ["reason"]

    /// The reason a reading or an erasure of a reporter gives (recorded with it).
    static func reason(_ request: Request, _ context: LedgerRequestContext) async throws -> String {
        let fields = try Self.nonBlank(await Self.formOrJSONBody(request, context, allowed: Self.reasonFields))
        guard let reason = fields.text("reason") else { throw APIError.badRequest("reason is required: say why (it is recorded)", field: "reason") }
        return reason
    }

    /// A complaint's reporter in clear, for a complaint officer only; the reading is recorded
    /// first (`ReporterViewed`). POST, since it writes.
    @Sendable func readReporter(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readReporters)
        let key = try context.pathParameter("key")
        switch try await services.reporter(key, reason: try await Self.reason(request, context), for: user) {
        case .reporter(let reporter): return .json(.object(["reporter": reporter.json]))
        case .none: return .json(.object(["reporter": .string("none")]))
        case .erased: return .json(.object(["reporter": .string("erased")]))
        }
    }

    /// Erases a complaint's reporter: its key is destroyed (`PersonalDataErased`); 201.
    @Sendable func forgetReporter(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readReporters)
        let key = try context.pathParameter("key")
        try await services.forget(key, reason: try await Self.reason(request, context), as: user)
        return .json(.object(["complaint": .string("complaint-\(key)"), "reporter": .string("erased")]), status: .created)
    }

    static let drawFields: Set<String> = ["beacon", "beacon_date", "occurred_on"]

    /// Draws a plan with a beacon and records the draw (SPEC §11): 201 with the draw.
    @Sendable func performDraw(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let key = try context.pathParameter("key")
        let fields = try Self.nonBlank(await Self.formOrJSONBody(request, context, allowed: Self.drawFields))
        guard let beacon = fields.text("beacon") else { throw APIError.badRequest("beacon is required", field: "beacon") }
        guard let beaconDate = fields.text("beacon_date") else { throw APIError.badRequest("beacon_date is required", field: "beacon_date") }
        let draw = try await services.performDraw(key, beacon: beacon, beaconDate: beaconDate, occurredOn: fields.text("occurred_on"), as: user)
        return .json(draw.published, status: .created)
    }

    @Sendable func verify(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        _ = try context.require(.verify)
        let stream = try Self.query(request).text("stream")
        if let stream, StreamName(stream) == nil {
            throw APIError.badRequest("'\(stream)' is not a stream name (<institution|operation|bulletin>-<key>)", field: "stream")
        }
        let report = try await services.pool.read { try EventStore().verify(stream: stream, $0) }
        return .json(report.json)
    }

    @Sendable func digest(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        _ = try context.require(.digest)
        let position = try Self.query(request).text("at_position").map(LedgerServices.position)
        let digest = try await services.pool.read { try EventStore().digest(atPosition: position, $0) }
        return .json(digest.json)
    }

    /// The council reply as text, Markdown or a Word document. GET shows it; POST records it in
    /// the ledger as produced by the signed-in user (a reply that is sent out) and names the
    /// record in `X-Ledger-Reply`. POST takes its parameters from the query string, a form or a
    /// JSON object.
    func reply(_ request: Request, _ context: LedgerRequestContext, recording: Bool) async throws -> Response {
        let user = try context.require(.produceReplies)
        var fields = try Self.query(request)
        if recording {
            let body = try Self.nonBlank(await Self.formOrJSONBody(request, context, allowed: Self.replyFields))
            if let twice = body.values.keys.sorted().first(where: { fields[$0] != nil }) {
                throw APIError.badRequest("\(twice) is given in the query and in the body; give it once", field: twice)
            }
            fields.merge(body)
        }
        let formatName = fields.text("format") ?? "text"
        guard let format = Reply.Format(rawValue: formatName) else {
            throw APIError.badRequest("format must be one of \(Reply.Format.allCases.map(\.rawValue).joined(separator: ", "))", field: "format")
        }
        let (reply, record) = try await services.reply(fields, format: format, for: user, recording: recording)
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: reply.rendered(format))))
        response.headers[.contentType] = format.contentType
        let name = record.map { "reply-\($0.key)" } ?? "reply"
        if let record { response.headers[.init("X-Ledger-Reply")!] = "reply-\(record.key)" }
        if format == .docx {
            response.headers[.contentDisposition] = "attachment; filename=\"\(name).docx\""
        }
        return response
    }

    static let replyFields: Set<String> = ["from", "to", "district", "baseline", "at_position", "format", "proposal"]

    /// The fields of a form or a JSON object body (strings and whole numbers), each among
    /// `allowed`; none for an empty body.
    static func formOrJSONBody(_ request: Request, _ context: LedgerRequestContext, allowed: Set<String>) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: 64 << 10)
        guard buffer.readableBytes > 0 else { return FormFields([:]) }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            let form = FormFields(String(buffer: buffer))
            try checkMembers(.object(form.values.mapValues(JSON.string)), allowed: allowed)
            return form
        }
        let body = try parsedJSON(buffer)
        try checkMembers(body, allowed: allowed)
        guard case .object(let members) = body else { return FormFields([:]) }
        var values: [String: String] = [:]
        for (name, value) in members {
            switch value {
            case .string(let text): values[name] = text
            case .integer(let number): values[name] = String(number)
            case .null: continue
            default: throw APIError.badRequest("\(name) must be a string or a whole number, not \(value.typeName)", field: name)
            }
        }
        return FormFields(values)
    }

    @Sendable func listUsers(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let accounts = services.accounts
        let users = try await services.pool.read { try accounts.list($0) }
        return .json(.array(users.map(\.json)))
    }

    @Sendable func addUser(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let body = try await Self.jsonObject(request, context, allowed: ["name", "password", "role", "district", "city_wide"])
        guard let name = body["name"]?.stringValue, let password = body["password"]?.stringValue,
              let role = body["role"]?.stringValue.flatMap(Role.init(rawValue:)) else {
            throw APIError.badRequest("send {\"name\", \"password\", \"role\": inspector|analyst|auditor|admin, \"district\"?, \"city_wide\"?}")
        }
        let district: String?
        switch body["district"] {
        case nil: district = nil
        case .string(let name)?: district = name
        case let other?: throw APIError.badRequest("district must be a string, not \(other.typeName)", field: "district")
        }
        let cityWide: Bool
        switch body["city_wide"] {
        case nil: cityWide = false
        case .bool(let value)?: cityWide = value
        case let other?: throw APIError.badRequest("city_wide must be true or false, not \(other.typeName)", field: "city_wide")
        }
        let accounts = services.accounts
        let user = try await services.accountsCall {
            try accounts.add(name: name, password: password, role: role, district: district, cityWide: cityWide, createdBy: admin.name, $0)
        }
        return .json(user.json, status: .created)
    }

    @Sendable func disableUser(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let admin = try context.require(.manageUsers)
        let name = try context.pathParameter("name")
        guard name != admin.name else { throw APIError(.forbidden, "forbidden", "you cannot disable yourself: another admin can", chinese: "不能停用自己的账号:请由另一位管理员操作") }
        let accounts = services.accounts
        let user = try await services.accountsCall {
            try accounts.disable(name: name, by: admin.name, $0)
            return try accounts.user(named: name, $0)
        }
        return .json(user?.json ?? .null)
    }
}

extension LedgerServices {
    /// Signs in; a wrong name or password is one 401, whichever it was. The password is checked
    /// off the request threads and without a database connection, a few at a time, and the
    /// attempts of an account and of an address are limited (429).
    func signIn(name: String, password: String, from address: String) async throws -> Session {
        try await signInLimiter.admit(account: name, address: address)
        let accounts = accounts
        let credentials = try await pool.read { try accounts.credentials(name: name, $0) }
        let user = try await signInLimiter.checkPassword { credentials.user(ifMatching: password) }
        await signInLimiter.finished(account: name, succeeded: user != nil)
        guard let user else { throw APIError(.unauthorized, "unauthenticated", "the name or the password is wrong, or the user is disabled", chinese: "用户名或密码错误,或账号已停用") }
        return try await pool.write { try accounts.openSession(for: user, $0) }
    }

    /// Runs a user-management call; its ``AccountError`` becomes a 422 naming the field (409 for
    /// a name taken already, 404 for no such user).
    func accountsCall<T: Sendable>(_ body: @escaping @Sendable (Postgres.Connection) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as AccountError {
            let (status, code): (HTTPResponse.Status, String) = switch error.kind {
            case .invalid: (.unprocessableContent, "invalid")
            case .conflict: (.conflict, "conflict")
            case .missing: (.notFound, "not_found")
            }
            throw APIError(status, code, error.description, chinese: error.field.isEmpty ? error.because.chinese : "\(error.field):\(error.because.chinese)",
                           problems: [Problem(error.field, error.because)])
        }
    }

    /// The reply `fields` ask for, and its record when `recording` (nil otherwise).
    func reply(_ fields: FormFields, format: Reply.Format, for user: User, recording: Bool) async throws -> (Reply, ReplyService.Record?) {
        let request = try statisticsRequest(fields, for: user)
        let position = try fields.text("at_position").map(Self.position)
        let proposal = try fields.text("proposal").map { key in
            guard StreamName.isValidKey(key) else { throw APIError.badRequest("proposal must be a proposal's key", field: "proposal") }
            guard fields.text("district") == nil else {
                throw APIError.badRequest("give the proposal or the district, not both: the proposal gives its district", field: "district")
            }
            return key
        }
        let service = replies
        return try await pool.write { connection in
            let reply = try service.produce(request, atPosition: position, proposal: proposal, connection)
            return (reply, recording ? try service.record(reply, format: format, actor: user.name, connection) : nil)
        }
    }
}

extension Reply.Format {
    var contentType: String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }
}

extension User {
    var json: JSON {
        .object([
            "name": .string(name), "role": .string(role.rawValue), "district": district.map(JSON.string) ?? .null,
            "created_at": .string(createdAt), "created_by": .string(createdBy), "disabled": .bool(isDisabled),
        ])
    }
}

extension Session {
    var json: JSON {
        .object(["token": .string(token), "expires_at": .string(expiresAt), "user": user.json])
    }
}

extension Appender.Outcome {
    var json: JSON {
        .object([
            "appended": .integer(Int64(appended)),
            "duplicates": .integer(Int64(duplicates)),
            "events": .array(events.map { event in
                .object([
                    "id": .string(event.id.lowercasedText), "stream": .string(event.stream),
                    "version": .integer(Int64(event.version)), "position": .integer(event.position),
                ])
            }),
        ])
    }
}
