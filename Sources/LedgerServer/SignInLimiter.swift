import Accounts
import NIOCore
import NIOPosix

/// Bounds sign-in, which runs bcrypt on purpose slowly: failed attempts per account, attempts
/// per client address (both answered 429 with `Retry-After`), and password checks run off the
/// request threads, a few at a time, never holding a database connection.
actor SignInLimiter {
    let limits: ServerLimits
    private var accountFailures: [String: [ContinuousClock.Instant]] = [:]
    private var addressAttempts: [String: [ContinuousClock.Instant]] = [:]
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let clock = ContinuousClock()

    init(limits: ServerLimits) {
        self.limits = limits
    }

    /// Counts an attempt of `account` from `address`.
    /// - Throws: ``APIError`` 429 when either has used up its attempts; the attempt is not counted then.
    func admit(account: String, address: String) throws {
        let now = clock.now
        let failures = Self.recent(accountFailures[account], within: limits.accountWindow, now)
        let attempts = Self.recent(addressAttempts[address], within: limits.addressWindow, now)
        accountFailures[account] = failures.isEmpty ? nil : failures
        if failures.count >= limits.accountFailures {
            throw Self.tooMany("too many failed sign-ins for this account", retryAfter: failures[failures.count - limits.accountFailures] + limits.accountWindow - now)
        }
        if attempts.count >= limits.addressAttempts {
            addressAttempts[address] = attempts
            throw Self.tooMany("too many sign-ins from this address", retryAfter: attempts[attempts.count - limits.addressAttempts] + limits.addressWindow - now)
        }
        addressAttempts[address] = attempts + [now]
        if addressAttempts.count > 10_000 { prune(now) }
    }

    /// Records how an admitted attempt ended: a success clears the account's failures.
    func finished(account: String, succeeded: Bool) {
        if succeeded {
            accountFailures[account] = nil
        } else {
            accountFailures[account, default: []].append(clock.now)
            if accountFailures.count > 10_000 { prune(clock.now) }
        }
    }

    /// Runs `check` (bcrypt) on the thread pool once a turn is free.
    /// - Throws: ``APIError`` 429 when too many sign-ins already wait.
    func checkPassword<T: Sendable>(_ check: @escaping @Sendable () -> T) async throws -> T {
        if running < limits.passwordChecks {
            running += 1
        } else {
            guard waiting.count < limits.passwordQueue else {
                throw Self.tooMany("too many sign-ins at once", retryAfter: .seconds(1))
            }
            // The finishing check hands its turn over: `running` stays as it is.
            await withCheckedContinuation { waiting.append($0) }
        }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await NIOThreadPool.singleton.runIfActive(check)
    }

    private static func recent(_ instants: [ContinuousClock.Instant]?, within window: Duration, _ now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        (instants ?? []).filter { now - $0 < window }
    }

    /// Forgets what no longer counts, so that many addresses cannot grow the tables without end.
    private func prune(_ now: ContinuousClock.Instant) {
        accountFailures = accountFailures.compactMapValues { Self.recent($0, within: limits.accountWindow, now).nilIfEmpty }
        addressAttempts = addressAttempts.compactMapValues { Self.recent($0, within: limits.addressWindow, now).nilIfEmpty }
    }

    private static func tooMany(_ what: String, retryAfter: Duration) -> APIError {
        let seconds = max(1, Int(retryAfter.components.seconds) + (retryAfter.components.attoseconds > 0 ? 1 : 0))
        var error = APIError(.tooManyRequests, "too_many_requests", "\(what); try again in \(seconds) s", chinese: "请求过于频繁,请 \(seconds) 秒后再试")
        error.retryAfter = seconds
        return error
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
