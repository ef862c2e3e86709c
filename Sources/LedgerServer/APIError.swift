import EventStore
import Hummingbird
import Ledger

/// A request the service refuses: a status, a short machine-readable code, a reason a person can
/// act on, and, for refused events, each rejection with its fields.
///
/// The JSON body: `{"error": "invalid", "message": "...", "problems": [{"field", "reason", "code"}],
/// "rejections": [{"item", "id", "problems", "message"}], "rejected": 3}`; messages and reasons in
/// Chinese when the request prefers it (`Accept-Language: zh…`), the codes the same in both.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The message in Chinese, where the service words it so (a request's shape errors, for the
    /// developers of clients, stay in English).
    public var chinese: String?
    /// Problems with the request's own fields (a parameter, a form field).
    public var problems: [Problem] = []
    /// Rejected events of an append, with the total (which may exceed the rejections shown).
    public var rejections: [Rejection] = []
    public var rejected = 0
    /// Seconds to wait before trying again, sent as `Retry-After` (a 429).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, chinese: String? = nil, problems: [Problem] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.chinese = chinese
        self.problems = problems
    }

    /// The message in `language`.
    public func message(_ language: Language) -> String { language == .chinese ? chinese ?? message : message }

    public var description: String { message }

    static func badRequest(_ message: String, field: String? = nil, chinese: String? = nil) -> APIError {
        APIError(.badRequest, "bad_request", message, chinese: chinese,
                 problems: field.map { [Problem($0, .requestInvalid(message, chinese: chinese))] } ?? [])
    }

    static func notFound(_ message: String, chinese: String? = nil) -> APIError { APIError(.notFound, "not_found", message, chinese: chinese) }

    /// The refusal of an append: 403 when an event is outside the caller's authority, 503 when it
    /// needs what the service is not configured with (the master key for a reporter), 409 when
    /// every rejection is an `expected_version` conflict, 422 otherwise.
    init(_ rejected: Appender.Rejected) {
        let (status, code): (HTTPResponse.Status, String) =
            rejected.isForbidden ? (.forbidden, "forbidden")
                : rejected.isUnavailable ? (.serviceUnavailable, "unavailable")
                : rejected.isConflict ? (.conflict, "conflict") : (.unprocessableContent, "invalid")
        let noun = rejected.count == 1 ? "event was" : "events were"
        let first = rejected.rejections.first.map { rejection in
            let place = [rejection.line.map { "item \($0)" }, rejection.id.map { "id \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return (place.isEmpty ? "" : "\(place): ") + rejection.problems.map(\.description).joined(separator: "; ")
        } ?? ""
        let firstChinese = rejected.rejections.first.map { rejection in
            let place = [rejection.line.map { "第 \($0) 项" }, rejection.id.map { "id \($0)" }].compactMap { $0 }.joined(separator: ",")
            return (place.isEmpty ? "" : "\(place):") + rejection.problems.map { $0.text(.chinese) }.joined(separator: ";")
        } ?? ""
        self.init(status, code, "\(rejected.count) of \(rejected.submitted) \(noun) refused and nothing was appended: \(first)",
                  chinese: "\(rejected.submitted) 条事件中有 \(rejected.count) 条被拒绝,未追加任何事件:\(firstChinese)")
        rejections = rejected.rejections
        self.rejected = rejected.count
    }

    func json(_ language: Language) -> JSON {
        var body: [String: JSON] = ["error": .string(code), "message": .string(message(language))]
        if !problems.isEmpty { body["problems"] = .array(problems.map { $0.json(language) }) }
        if !rejections.isEmpty {
            body["rejected"] = .integer(Int64(rejected))
            body["rejections"] = .array(rejections.map { rejection in
                var entry: [String: JSON] = [
                    "problems": .array(rejection.problems.map { $0.json(language) }),
                    "message": .string(rejection.problems.map { $0.text(language) }.joined(separator: language == .chinese ? ";" : "; ")),
                ]
                if let item = rejection.line { entry["item"] = .integer(Int64(item)) }
                if let id = rejection.id { entry["id"] = .string(id) }
                return .object(entry)
            })
        }
        return .object(body)
    }

    func response(_ language: Language) -> Response {
        var response = Response.json(json(language), status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

extension Problem {
    func json(_ language: Language) -> JSON {
        .object(["field": .string(field), "reason": .string(because.text(language)), "code": .string(code)])
    }
}

extension Response {
    /// A JSON response, compact, UTF-8.
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        text(value.canonicalText, contentType: "application/json; charset=utf-8", status: status)
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
