import Hummingbird
import Logging
import NIOCore
import Postgres
import Statistics

/// Turns every failure into a response the caller can act on: JSON under `/api/`, a page
/// elsewhere. Bad input is a 4xx with its reason; only the service's own faults are 500s, logged
/// with their detail and shown without it.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = Self.apiError(error, logger: context.logger)
            guard !request.uri.path.hasPrefix("/api/") else { return refusal.response }
            if refusal.status == .unauthorized {
                return .redirect(to: "/login?next=" + FormFields.percentEncoded(request.uri.string), type: .found)
            }
            return pages.error(refusal, user: context.user)
        }
    }

    static func apiError(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let refusal as APIError:
            return refusal
        case let http as HTTPError:
            if http.status == .contentTooLarge {
                return APIError(.contentTooLarge, "too_large", "the request body is larger than \(LedgerServer.maximumBodyBytes >> 20) MiB; send a batch in parts")
            }
            return APIError(http.status, "http_\(http.status.code)", http.body ?? http.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "too_large", "the request body is larger than \(LedgerServer.maximumBodyBytes >> 20) MiB; send a batch in parts")
        case let invalid as StatisticsRequest.Invalid:
            return APIError(.badRequest, "bad_request", invalid.description, problems: [.init(invalid.parameter, invalid.reason)])
        case let unavailable as StatisticsService.Unavailable where unavailable.isMissing:
            return APIError(.notFound, "not_found", unavailable.description)
        case let unavailable as StatisticsService.Unavailable:
            return APIError(.serviceUnavailable, "unavailable", "\(unavailable.description)")
        case let database as PostgresError where database.refusesWrites != nil:
            logger.error("database refuses writes: \(database)")
            return APIError(.serviceUnavailable, "unavailable", "\(database.refusesWrites ?? ""): nothing was appended; try again later")
        case let database as PostgresError where database.isConnectionFailure:
            logger.error("database unreachable: \(database)")
            return APIError(.serviceUnavailable, "unavailable", "the database is unreachable; try again shortly")
        default:
            logger.error("internal error: \(String(reflecting: error))")
            return APIError(.internalServerError, "internal", "the service failed; the error is logged")
        }
    }
}
