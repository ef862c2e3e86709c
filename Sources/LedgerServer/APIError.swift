import EventStore
import Hummingbird
import Ledger

/// A request the service refuses: a status, a short machine-readable code, a reason a person can
/// act on, and, for refused events, each rejection with its fields.
///
/// The JSON body: `{"error": "invalid", "message": "...", "problems": [{"field", "reason"}],
/// "rejections": [{"item", "id", "problems", "message"}], "rejected": 3}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Problems with the request's own fields (a parameter, a form field).
    public var problems: [Problem] = []
    /// Rejected events of an append, with the total (which may exceed the rejections shown).
    public var rejections: [Rejection] = []
    public var rejected = 0
    /// Seconds to wait before trying again, sent as `Retry-After` (a 429).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, problems: [Problem] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String { message }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, "bad_request", message, problems: field.map { [Problem($0, message)] } ?? [])
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

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
        self.init(status, code, "\(rejected.count) of \(rejected.submitted) \(noun) refused and nothing was appended: \(first)")
        rejections = rejected.rejections
        self.rejected = rejected.count
    }

    var json: JSON {
        var body: [String: JSON] = ["error": .string(code), "message": .string(message)]
        if !problems.isEmpty { body["problems"] = .array(problems.map(\.json)) }
        if !rejections.isEmpty {
            body["rejected"] = .integer(Int64(rejected))
            body["rejections"] = .array(rejections.map { rejection in
                var entry: [String: JSON] = [
                    "problems": .array(rejection.problems.map(\.json)),
                    "message": .string(rejection.problems.map(\.description).joined(separator: "; ")),
                ]
                if let item = rejection.line { entry["item"] = .integer(Int64(item)) }
                if let id = rejection.id { entry["id"] = .string(id) }
                return .object(entry)
            })
        }
        return .object(body)
    }

    var response: Response {
        var response = Response.json(json, status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

extension Problem {
    var json: JSON { .object(["field": .string(field), "reason": .string(reason)]) }
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
