import Hummingbird
import Ledger
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
            guard !request.uri.path.hasPrefix("/api/") else { return refusal.response(Language.preferred(acceptLanguage: request.headers[.acceptLanguage])) }
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
                return APIError(.contentTooLarge, "too_large", "the request body is larger than \(LedgerServer.maximumBodyBytes >> 20) MiB; send a batch in parts",
                                chinese: "请求体超过 \(LedgerServer.maximumBodyBytes >> 20) MiB;请分批提交")
            }
            return APIError(http.status, "http_\(http.status.code)", http.body ?? http.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "too_large", "the request body is larger than \(LedgerServer.maximumBodyBytes >> 20) MiB; send a batch in parts",
                            chinese: "请求体超过 \(LedgerServer.maximumBodyBytes >> 20) MiB;请分批提交")
        case let invalid as StatisticsRequest.Invalid:
            return APIError(.badRequest, "bad_request", invalid.description, chinese: "\(invalid.parameter) \(invalid.because.chinese)",
                            problems: [.init(invalid.parameter, invalid.because)])
        case let unavailable as StatisticsService.Unavailable where unavailable.isMissing:
            return APIError(.notFound, "not_found", unavailable.description, chinese: "所要的内容不存在:\(unavailable.description)")
        case let unavailable as StatisticsService.Unavailable:
            return APIError(.serviceUnavailable, "unavailable", "\(unavailable.description)", chinese: "统计数据暂时无法给出,请稍后再试(\(unavailable.description))")
        case let database as PostgresError where database.refusesWrites != nil:
            logger.error("database refuses writes: \(database)")
            return APIError(.serviceUnavailable, "unavailable", "\(database.refusesWrites ?? ""): nothing was appended; try again later",
                            chinese: "数据库暂时不接受写入,未追加任何事件;请稍后再试")
        case let database as PostgresError where database.isConnectionFailure:
            logger.error("database unreachable: \(database)")
            return APIError(.serviceUnavailable, "unavailable", "the database is unreachable; try again shortly", chinese: "数据库暂时无法连接,请稍后再试")
        default:
            logger.error("internal error: \(String(reflecting: error))")
            return APIError(.internalServerError, "internal", "the service failed; the error is logged", chinese: "服务出错,错误已记录")
        }
    }
}
