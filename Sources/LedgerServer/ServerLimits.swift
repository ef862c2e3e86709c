/// What the service bounds so that a few clients cannot take it over: sign-in attempts, how
/// long a request may take to arrive, and connections per client.
public struct ServerLimits: Sendable {
    /// Whether the service runs behind a reverse proxy that it trusts: the client is then the
    /// last address of `X-Forwarded-For`, HTTPS is what `X-Forwarded-Proto` says, and
    /// connections are not counted per client (they all come from the proxy).
    public var behindProxy = false
    /// How long the public site serves an answer it made without asking the database whether the
    /// read models moved on (SPEC §13): the most it lags behind them, besides `max-age`.
    public var publicFreshness: Duration = .seconds(10)
    /// Whether the public site keeps the answers it made at all; without, each request makes its
    /// answer afresh (what `ops/public-load` measures as "made afresh": a page's whole cost).
    public var publicKeepsAnswers = true
    /// Failed sign-ins one account may have in ``accountWindow`` before it must wait.
    public var accountFailures = 5
    public var accountWindow: Duration = .seconds(15 * 60)
    /// Sign-in attempts one client address may make in ``addressWindow``.
    public var addressAttempts = 20
    public var addressWindow: Duration = .seconds(60)
    /// Passwords checked at once (bcrypt takes a core for a quarter of a second), and how many
    /// sign-ins may wait for a turn before more are turned away.
    public var passwordChecks = 1
    public var passwordQueue = 16
    /// How long a request's head may take to arrive (from the connection's start or the end of
    /// the previous response), and its body after the head.
    public var headerTimeout: Duration = .seconds(10)
    public var bodyTimeout: Duration = .seconds(60)
    /// Open connections one client address may hold.
    public var connectionsPerClient = 16

    public init() {}
}
