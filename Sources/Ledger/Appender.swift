import Crypto
import EventStore
import Foundation
import Postgres

/// The append path: decodes, validates and appends events, all or nothing.
///
/// Appends take the ledger's append lock first, so the state every rule reads cannot change
/// before the events commit, and positions become visible in order. Events are checked in order,
/// each against the ledger plus the events before it in the same call. When any event is
/// rejected, nothing is appended and every rejection is reported (up to ``maximumRejections``).
///
/// An id already in the ledger with the same content is an idempotent retry: it is skipped.
public struct Appender: Sendable {
    public var configuration: LedgerConfiguration
    public var today: CalendarDate
    /// Events written per round trip.
    public var chunkSize = 2_000
    /// Per-event entries an import keeps in memory before cold streams shed theirs (keeping their
    /// facts and version): memory grows with the number of streams, not of events.
    public var entryBudget = 1_000_000
    /// When set, every event must be within it (the API's signed-in user); nil for the command line.
    public var authority: AppendAuthority?
    /// The reporters' keys (SPEC §12), from `LEDGER_MASTER_KEY_FILE` unless set otherwise.
    public var vault = ReporterVault.fromEnvironment()
    /// Stream states kept between calls (the service's): a call to streams kept there is checked
    /// without a lookup and written in one round trip; see ``StreamStateCache``.
    public var streamCache: StreamStateCache?
    /// True only for the ledger's own records (a reading of a reporter, ``ReporterAccess``);
    /// the types ``EventType/isWrittenByLedgerOnly`` are refused from everyone else.
    var writesForLedger = false
    public static let maximumRejections = 100
    /// Appends of up to this many events (every API call) are checked whole before anything is
    /// written or locked: a refused batch holds no lock and draws no positions.
    public static let checkedFirstLimit = 10_000
    let store = EventStore()

    public init(configuration: LedgerConfiguration, today: CalendarDate? = nil) {
        self.configuration = configuration
        self.today = today ?? configuration.today
    }

    /// Progress of a long append, reported after each chunk.
    public struct Progress: Sendable {
        public var submissions: Int
        public var appended: Int
        public var rejected: Int
        public var bytes: Int
    }

    /// What an append did.
    public struct Outcome: Sendable {
        public var submitted = 0
        public var appended = 0
        /// Idempotent retries: ids already recorded with the same content.
        public var duplicates = 0
        public var firstPosition: Int64?
        public var lastPosition: Int64?
        /// Where each appended event landed, kept for small appends (up to 1,000 events).
        public var events: [AppendedEvent] = []
    }

    /// Thrown when any event is rejected; the transaction was rolled back, nothing appended.
    public struct Rejected: Error, Sendable, CustomStringConvertible {
        public var rejections: [Rejection]
        /// How many events were rejected in all (more than `rejections` holds past the cap).
        public var count: Int
        public var submitted: Int
        /// True when every rejection is an `expected_version` conflict.
        public var isConflict: Bool { rejections.allSatisfy(\.isConflict) }
        /// True when any event is outside the caller's authority (``Appender/authority``).
        public var isForbidden: Bool { rejections.contains(where: \.isForbidden) }
        /// True when an event needs what is not configured (the master key for a reporter).
        public var isUnavailable: Bool { rejections.contains(where: \.isUnavailable) }
        public var description: String { rejections.map(\.description).joined(separator: "\n") }
    }

    /// Appends `submissions` in one transaction on `connection`.
    ///
    /// An append of up to ``checkedFirstLimit`` events (a single event, a form, an API batch) is
    /// checked optimistically: its lookups run without the append lock, and the batch is written,
    /// with BEGIN and COMMIT, in one round trip. A writer that got there first makes the insert fail
    /// on the stream's (stream, version) or the id's uniqueness; the append then reads again and
    /// re-checks, up to ``maximumAttempts`` times, and then once more under the append lock. The
    /// rules are sound this way because everything they read either belongs to the stream
    /// (guarded by its versions) or only ever comes into existence (referenced streams). Longer
    /// appends (imports) take the lock first.
    /// - Throws: ``Rejected`` when any event is invalid or conflicts; ``PostgresError`` from the database.
    public func append(
        _ submissions: some Sequence<Submission>, on connection: Connection,
        progress: ((Progress) -> Void)? = nil
    ) throws -> Outcome {
        var iterator = submissions.makeIterator()
        var head: [Submission] = []
        while head.count <= Self.checkedFirstLimit, let next = iterator.next() { head.append(next) }
        guard head.count > Self.checkedFirstLimit else { return try appendOptimistically(head, on: connection, progress: progress) }

        var unread = head[...]
        /// The next chunk: what was read ahead first, then the rest of the input.
        func nextChunk() -> [Submission] {
            var chunk = Array(unread.prefix(chunkSize))
            unread = unread.dropFirst(chunk.count)
            chunk.reserveCapacity(chunkSize)
            while chunk.count < chunkSize, let item = iterator.next() { chunk.append(item) }
            return chunk
        }
        let outcome = try connection.transaction {
            try store.lockAppends(connection)
            var run = Run(appender: self, connection: connection)
            var chunk = nextChunk()
            var parsed = chunk.map(Run.parse)
            repeat {
                var next: [Submission] = []
                var nextParsed: [Run.Parsed] = []
                try run.process(chunk, parsed) {
                    // While the database writes: read and parse the chunk after this one.
                    next = nextChunk()
                    nextParsed = next.map(Run.parse)
                }
                chunk = next
                parsed = nextParsed
                progress?(run.progress)
            } while !chunk.isEmpty
            run.checkCompanions()
            try run.finish()
            try run.checkDraws()
            progress?(run.progress)
            try run.throwIfRejected()
            return run.outcome
        }
        // A bulk import changes the log's shape: fresh statistics before anything plans on it.
        if outcome.appended >= Self.analyzeAfter { try connection.execute("SELECT ledger.analyze_events()") }
        return outcome
    }

    /// Appends of at least this many events refresh the log's planner statistics afterwards.
    public static let analyzeAfter = 50_000

    /// Optimistic attempts before an append checks under the lock instead.
    public static let maximumAttempts = 5

    private func appendOptimistically(
        _ submissions: [Submission], on connection: Connection, progress: ((Progress) -> Void)?
    ) throws -> Outcome {
        let parsed = submissions.map(Run.parse)
        for attempt in 1...Self.maximumAttempts {
            // First on the kept states, if any; a rejection there is checked again from the ledger.
            let warm = attempt == 1 ? streamCache : nil
            var run: Run
            do {
                run = try checked(submissions, parsed, on: connection, warm: warm)
            } catch is Rejected where warm != nil {
                continue
            }
            guard !run.pending.isEmpty else { return run.outcome }
            // What it read of other streams is not guarded by their versions: check again locked.
            guard !run.readOtherStreams else { break }
            let written = Set(run.pending.map(\.stream))
            do {
                let statements = stride(from: 0, to: run.pending.count, by: chunkSize).map { start in
                    store.appendStatement(Array(run.pending[start..<min(start + chunkSize, run.pending.count)]))
                }
                let keyStatements = try run.keyStatements()
                for rows in try connection.transaction(pipelining: keyStatements + statements).dropFirst(keyStatements.count) {
                    try run.written(store.appended(rows))
                }
                streamCache?.keep(written.compactMap { run.streams[$0] })
                progress?(run.progress)
                return run.outcome
            } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
                streamCache?.forget(written)
                continue
            }
        }
        // Contended every time, or reading other streams: check under the lock, where nobody
        // can get there first.
        return try connection.transaction {
            try store.lockAppends(connection)
            let run = try appendLocked(submissions, parsed, on: connection)
            progress?(run.progress)
            return run.outcome
        }
    }

    /// A run that has read what `submissions` need and checked them all; throws when any is rejected.
    private func checked(_ submissions: [Submission], _ parsed: [Run.Parsed], on connection: Connection, warm: StreamStateCache? = nil) throws -> Run {
        var run = Run(appender: self, connection: connection)
        run.warm = warm
        try run.prefetch(parsed)
        try run.check(submissions, parsed)
        run.checkCompanions()
        try run.throwIfRejected()
        return run
    }

    /// Checks and writes `submissions` in the transaction open on `connection`, which holds the
    /// append lock: nobody can get there first.
    private func appendLocked(_ submissions: [Submission], _ parsed: [Run.Parsed], on connection: Connection) throws -> Run {
        var run = try checked(submissions, parsed, on: connection)
        try run.finish()
        try run.checkDraws()
        try run.throwIfRejected()
        return run
    }

    /// Appends several callers' submissions with one commit for all (group commit,
    /// ``GroupCommit``). The calls are checked together, each against the ledger as the calls
    /// before it in `calls` leave it (their versions, their ids), in one lookup, and written in one
    /// round trip: one statement, one commit. A call with a rejected event is left out alone and
    /// answered alone; each call stays all or nothing, and positions follow the order of `calls`.
    /// A call that cannot be checked this way (it reads other streams, draws, seals a reporter)
    /// is appended by itself after the others; a batch that meets a writer who got there first
    /// is written again call by call, each in a savepoint under the append lock
    /// (``appendLockedTogether(_:on:)``). A single call takes the usual way.
    /// - Returns: each call's outcome or error, in order.
    /// - Throws: what stops the whole batch (the connection lost): then nothing of it was appended.
    public static func appendTogether(_ calls: [(appender: Appender, submissions: [Submission])], on connection: Connection) throws -> [Result<Outcome, any Error>] {
        if calls.count == 1 { return [Result { try calls[0].appender.append(calls[0].submissions, on: connection) }] }
        let parsed = calls.map { $0.submissions.map(Run.parse) }
        // What every call needs, read once (as for a district's authority if any call has one).
        var run = Run(appender: calls.first { $0.appender.authority?.district != nil }?.appender ?? calls[0].appender, connection: connection)
        run.warm = calls[0].appender.streamCache
        try run.prefetch(parsed.flatMap { $0 })
        var results: [Result<Outcome, any Error>?] = Array(repeating: nil, count: calls.count)
        var alone: [Int] = []
        var ranges: [(call: Int, events: Range<Int>, outcome: Outcome)] = []
        for (index, call) in calls.enumerated() {
            let before = run
            run.appender = call.appender
            run.outcome = Outcome()
            run.companions = CaseCompanions()
            let start = run.pending.count
            do {
                try run.check(call.submissions, parsed[index])
                run.checkCompanions()
            } catch {
                run = before
                results[index] = .failure(error)
                continue
            }
            if run.rejectedCount > 0, run.warm != nil {
                // Checked on kept states: checked again by itself, from the ledger, before it is refused.
                alone.append(index)
                run = before
            } else if run.rejectedCount > 0 {
                results[index] = .failure(Rejected(rejections: run.rejections, count: run.rejectedCount, submitted: run.outcome.submitted))
                run = before
            } else if run.readOtherStreams || !run.drawChecks.isEmpty || !run.keys.created.isEmpty || !run.keys.erased.isEmpty {
                alone.append(index)
                run = before
            } else {
                ranges.append((index, start..<run.pending.count, run.outcome))
            }
        }
        if !run.pending.isEmpty {
            let written = Set(run.pending.map(\.stream))
            do {
                let rows = try connection.transaction(pipelining: [run.appender.store.appendStatement(run.pending)])
                let appended = try run.appender.store.appended(rows[0])
                run.warm?.keep(written.compactMap { run.streams[$0] })
                for (index, events, outcome) in ranges {
                    var outcome = outcome
                    outcome.events = Array(appended[events])
                    outcome.appended = events.count
                    outcome.firstPosition = outcome.events.first?.position
                    outcome.lastPosition = outcome.events.last?.position
                    results[index] = .success(outcome)
                }
            } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
                // Someone got there first (or an id was recorded): call by call, under the lock.
                run.warm?.forget(written)
                let again = ranges.map(\.call)
                for (index, result) in zip(again, try appendLockedTogether(again.map { calls[$0] }, on: connection)) {
                    results[index] = result
                }
            }
        } else {
            for (index, _, outcome) in ranges { results[index] = .success(outcome) }
        }
        for index in alone {
            results[index] = Result { try calls[index].appender.append(calls[index].submissions, on: connection) }
        }
        return results.map { $0! }
    }

    /// Appends the calls in one transaction under the append lock, each checked against what the
    /// calls before it wrote and written in a savepoint, so that one that is rejected (or fails)
    /// is undone alone.
    public static func appendLockedTogether(_ calls: [(appender: Appender, submissions: [Submission])], on connection: Connection) throws -> [Result<Outcome, any Error>] {
        try connection.transaction {
            try EventStore().lockAppends(connection)
            return try calls.map { call in
                try connection.execute("SAVEPOINT append_call")
                do {
                    let run = try call.appender.appendLocked(call.submissions, call.submissions.map(Run.parse), on: connection)
                    try connection.execute("RELEASE SAVEPOINT append_call")
                    return .success(run.outcome)
                } catch let error as PostgresError where error.isConnectionFailure {
                    throw error
                } catch {
                    try connection.execute("ROLLBACK TO SAVEPOINT append_call")
                    return .failure(error)
                }
            }
        }
    }

    /// Appends one event given as JSON text.
    public func append(json: String, on connection: Connection) throws -> Outcome {
        try append([Submission(text: json)], on: connection)
    }
}

/// The state of one append call: streams seen so far, ids accepted, what was written.
///
/// Chunks are pipelined: while the database appends chunk k, the client checks chunk k+1. So
/// chunk k+1's lookups (made before chunk k is written) see the ledger without chunk k, and what
/// chunk k added is kept in memory until it is written: its ids (``acceptedContent``), the entries
/// of the streams it touched (never shed while pending) and the streams it created (``existing``).
private struct Run {
    /// The call being checked (a batch of calls, ``Appender/appendTogether(_:on:)``, has one each).
    var appender: Appender
    let connection: Connection
    var streams: [String: StreamState] = [:]
    /// The chunk that last touched each stream holding entries, to shed the cold ones.
    var touched: [String: Int] = [:]
    /// Streams known to exist or not, for references.
    var existing: [String: Bool] = [:]
    /// Ids accepted in the chunk being checked, and in the chunk being written (all of them once
    /// an event was rejected: nothing is written then).
    var acceptedContent: [UUID: NewEvent] = [:]
    var pendingContent: [UUID: NewEvent] = [:]
    /// Ids the latest lookup found in the ledger, with what an identical retry must repeat.
    var recordedContent: [UUID: (content: String, stream: String, version: Int)] = [:]
    /// Accepted events not yet sent to the database.
    var pending: [NewEvent] = []
    var chunkNumber = 0
    var rejections: [Rejection] = []
    var rejectedCount = 0
    /// Whether a check read a stream other than the event's own (the institutions a bulletin
    /// names, for a district's authority); see ``Appender/append(_:on:progress:)``.
    var readOtherStreams = false
    /// The call's events that SPEC §9's rule across streams concerns, checked once all are in.
    var companions = CaseCompanions()
    /// The call's draws and publications of results, checked once all its events are written.
    var drawChecks: [DrawCheck] = []
    /// The working-day calendar, read once when a rule of the call needs it.
    var calendar: WorkingCalendar?
    /// The reporters' keys the call creates and destroys (SPEC §12).
    var keys = ReporterKeyChanges()
    var outcome = Appender.Outcome()
    var bytes = 0

    /// Per-event entries held now (see ``Appender/entryBudget``).
    var heldEntries = 0
    /// Kept states to check against instead of looking the events' streams and ids up (the
    /// insert then guards what a lookup would have: the versions and the ids).
    var warm: StreamStateCache?

    init(appender: Appender, connection: Connection) {
        self.appender = appender
        self.connection = connection
    }

    var progress: Appender.Progress {
        .init(submissions: outcome.submitted, appended: outcome.appended, rejected: rejectedCount, bytes: bytes)
    }

    /// A parsed line: its JSON, or why it is not JSON.
    enum Parsed {
        case json(JSON)
        case unreadable(Problem)
    }

    /// Checks `chunk` while the previous chunk is written, and runs `alongside` (reading the
    /// next chunk) in the same time.
    mutating func process(_ chunk: [Submission], _ parsed: [Parsed], alongside: () -> Void) throws {
        chunkNumber += 1
        try prefetch(parsed)
        let previous = pending
        pending = []
        guard rejectedCount == 0, !previous.isEmpty else {
            try check(chunk, parsed)
            alongside()
            return
        }
        let (rows, _) = try connection.overlapping(appender.store.appendStatement(previous)) {
            try check(chunk, parsed)
            alongside()
        }
        try written(appender.store.appended(rows))
    }

    /// Writes what is still pending (nothing once an event was rejected), and the call's changes
    /// to reporters' keys, in the call's transaction.
    mutating func finish() throws {
        guard rejectedCount == 0 else { return }
        for statement in try keyStatements() { try connection.execute(statement) }
        keys = ReporterKeyChanges()
        guard !pending.isEmpty else { return }
        try written(appender.store.append(pending, connection))
        pending = []
    }

    func throwIfRejected() throws {
        guard rejectedCount > 0 else { return }
        throw Appender.Rejected(rejections: rejections, count: rejectedCount, submitted: outcome.submitted)
    }

    mutating func check(_ chunk: [Submission], _ parsed: [Parsed]) throws {
        for (submission, item) in zip(chunk, parsed) {
            outcome.submitted += 1
            bytes += submission.bytes.count + 1
            switch item {
            case .unreadable(let problem):
                reject(submission, id: nil, [problem])
            case .json(let json):
                if let event = try accept(submission, json) { pending.append(event) }
            }
        }
    }

    /// Records a written chunk; what it added can now be found in the ledger, so memory is freed.
    mutating func written(_ appended: [AppendedEvent]) throws {
        outcome.appended += appended.count
        if outcome.firstPosition == nil { outcome.firstPosition = appended.first?.position }
        outcome.lastPosition = appended.last?.position ?? outcome.lastPosition
        if outcome.events.count + appended.count <= 1_000 { outcome.events += appended }
        guard rejectedCount == 0 else { return }
        pendingContent = acceptedContent
        acceptedContent = [:]
        shedColdStreams()
    }

    /// Keeps the memory of a long import bounded by the number of streams, not of events: past
    /// ``Appender/entryBudget`` entries, streams the chunk being written did not touch shed their entries
    /// and keep their facts and version (a void reads its stream back first).
    private mutating func shedColdStreams() {
        guard heldEntries > appender.entryBudget else { return }
        for (name, chunk) in touched where chunk < chunkNumber {
            streams[name]?.shed()
            touched[name] = nil
        }
        // Only the streams still touched hold entries now.
        heldEntries = touched.keys.reduce(0) { $0 + (streams[$1]?.entries.count ?? 0) }
    }

    static func parse(_ submission: Submission) -> Parsed {
        if let length = submission.tooLong {
            return .unreadable(Problem("", .lineTooLong(length, maximum: Submission.maximumBytes)))
        }
        guard submission.bytes.count <= Submission.maximumBytes else {
            return .unreadable(Problem("", .eventTooLong(submission.bytes.count, maximum: Submission.maximumBytes)))
        }
        do {
            return .json(try JSONParser.parse(submission.bytes))
        } catch {
            return .unreadable(Problem("", .notJSON(error)))
        }
    }

    func known(_ id: UUID) -> Bool {
        acceptedContent[id] != nil || pendingContent[id] != nil || recordedContent[id] != nil
    }

    /// Loads, in a few queries per chunk, what the chunk's events need from the ledger: ids that
    /// may be retries, the streams they append to, and the streams they refer to.
    mutating func prefetch(_ parsed: [Parsed]) throws {
        var ids: Set<UUID> = []
        var streamNames: Set<String> = []
        var references: Set<String> = []
        // A district's authority reads every entry of a stream, and the institutions a bulletin names.
        let scoped = appender.authority?.district != nil
        for case .json(let json) in parsed {
            if warm == nil, let id = json["id"]?.stringValue.flatMap(Identifier.uuid), !known(id) { ids.insert(id) }
            guard let stream = json["stream"]?.stringValue.flatMap(StreamName.init) else { continue }
            if streams[stream.description] == nil, let kept = warm?.state(stream.description) {
                streams[stream.description] = kept
                touched[stream.description] = chunkNumber
                heldEntries += kept.entries.count
            }
            // A stream not cached, or cached without its entries when a void needs them.
            if let cached = streams[stream.description] {
                if !cached.isComplete, scoped || json["type"]?.stringValue == EventType.entryVoided.rawValue {
                    streamNames.insert(stream.description)
                }
            } else {
                streamNames.insert(stream.description)
            }
            for reference in Self.references(json) {
                if existing[reference] == nil, warm?.exists(reference) == true { existing[reference] = true }
                if existing[reference] == nil { references.insert(reference) }
                if scoped, streams[reference]?.isComplete != true { streamNames.insert(reference) }
                // A case an institution's event names: its procedure decides the event (SPEC §9);
                // a reply a proposal's names: the proposal it was produced for (§10); a draw an
                // inspection names: its targets and inspectors (§11).
                if ["case-", "reply-", "draw-"].contains(where: reference.hasPrefix), streams[reference] == nil {
                    streamNames.insert(reference)
                }
            }
            // The operation a complaint's verification names (its kind), the complaint a case
            // was opened from (SPEC §12). Neither changes once it exists.
            for name in Self.complaintLinks(json) where streams[name] == nil { streamNames.insert(name) }
            if calendar == nil, let type = json["type"]?.stringValue, Self.calendarTypes.contains(type) {
                calendar = try WorkingCalendar.published(configuration: appender.configuration, connection)
            }
        }
        let lookup = try appender.store.lookup(
            ids: Array(ids), streams: Array(streamNames), references: Array(references),
            withoutData: Self.withoutData, connection)
        recordedContent = [:]
        for event in lookup.recorded {
            recordedContent[event.id] = (Self.retryContent(event.stream, event.type, event.occurredOn.description, event.actor, event.data), event.stream, event.version)
        }
        try load(streamNames, from: lookup.streamEvents)
        for reference in references { existing[reference] = lookup.existing.contains(reference) }
        // A reporter to seal: the master key, read once and checked against the ledger's.
        if keys.master == nil, keys.masterFailure == nil, parsed.contains(where: Self.hasReporter) {
            do {
                keys.master = try appender.vault.checkedMasterKey(connection)
            } catch let failure as ReporterVault.Unavailable {
                keys.masterFailure = failure
            }
        }
        try loadCasesInstitutions(parsed, all: scoped)
        if scoped { try loadVoidedBulletinsInstitutions(parsed) }
    }

    /// The types whose rules read the working-day calendar.
    static let calendarTypes: Set<String> = [EventType.hearingRequested.rawValue, EventType.finePaid.rawValue]

    /// The institution of a case, for a payment (whose penalty it pays) and, for a district's
    /// authority (`all`), for every event of a case (which counts where the institution is).
    private mutating func loadCasesInstitutions(_ parsed: [Parsed], all: Bool) throws {
        var names: Set<String> = []
        for case .json(let json) in parsed {
            guard all || json["type"]?.stringValue == EventType.finePaid.rawValue,
                  let stream = json["stream"]?.stringValue, stream.hasPrefix("case-"),
                  let institution = streams[stream]?.facts.procedure.institution,
                  streams["institution-\(institution)"]?.isComplete != true else { continue }
            names.insert("institution-\(institution)")
        }
        try loadStreams(names)
    }

    /// Reads the streams `names` from the ledger into the cache.
    private mutating func loadStreams(_ names: Set<String>) throws {
        guard !names.isEmpty else { return }
        let lookup = try appender.store.lookup(ids: [], streams: Array(names), references: [], withoutData: Self.withoutData, connection)
        try load(names, from: lookup.streamEvents)
    }

    /// Checks the rule across streams over the whole call, rejecting the lines that break it.
    mutating func checkCompanions() {
        guard !companions.items.isEmpty else { return }
        let streams = self.streams
        for (item, problems) in companions.problems(procedure: { streams["case-\($0)"]?.facts.procedure }) {
            reject(line: item.line, id: item.id, problems)
        }
    }

    /// A draw or a publication of results to check against the ledger the call leaves.
    struct DrawCheck {
        var line: Int?
        var id: String
        var stream: StreamName
        var payload: EventPayload
    }

    /// Checks, on the ledger as the call leaves it (its events written, not yet committed), that
    /// each draw is the one its plan, pool and beacon give, and that results are published only
    /// once every target was inspected (SPEC §11). A line that fails is rejected, and the call
    /// then appends nothing.
    mutating func checkDraws() throws {
        guard rejectedCount == 0, !drawChecks.isEmpty else { return }
        // A bulk import's rows are in the table but not in the planner's statistics yet: the
        // pools' queries would be planned for an empty log. (ANALYZE samples this transaction's rows.)
        if outcome.appended + pending.count >= Appender.analyzeAfter { try connection.execute("SELECT ledger.analyze_events()") }
        for check in drawChecks {
            switch check.payload {
            case .drawPerformed(let performed):
                guard let draw = try RecordedDraw.read(check.stream.key, configuration: appender.configuration, connection) else { continue }
                do {
                    if let difference = Draw.difference(performed.targets, try draw.expected(beacon: performed.beacon)) {
                        reject(line: check.line, id: check.id, [Problem("data.targets", .drawMismatch(difference))])
                    }
                } catch {
                    reject(line: check.line, id: check.id, [Problem("data.targets", error.reason)])
                }
            case .drawResultsPublished:
                let targets = streams[check.stream.description]?.facts.draw.performed?.targets.map(\.institution) ?? []
                let inspected = try RecordedDraw.inspected(check.stream.key, connection)
                let missing = targets.filter { !inspected.contains($0) }
                if let first = missing.first {
                    reject(line: check.line, id: check.id, [Problem("type", .drawNotAllInspected(first, more: missing.count - 1))])
                }
            default: break
            }
        }
    }

    /// For a district's authority: the institutions named by the bulletins the chunk voids,
    /// which only the bulletins' stored events name.
    private mutating func loadVoidedBulletinsInstitutions(_ parsed: [Parsed]) throws {
        var names: Set<String> = []
        for case .json(let json) in parsed where json["type"]?.stringValue == EventType.entryVoided.rawValue {
            guard let stream = json["stream"]?.stringValue, let target = json["data"]?["event_id"]?.stringValue,
                  case .bulletinPublished(_, _, let exposed)? = streams[stream]?.entry(id: target)?.payload else { continue }
            for key in exposed where streams["institution-\(key)"]?.isComplete != true { names.insert("institution-\(key)") }
        }
        try loadStreams(names)
    }

    /// The streams an event names in its data, before it is decoded.
    static func references(_ json: JSON) -> [String] {
        guard let type = json["type"]?.stringValue.flatMap(EventType.init(rawValue:)) else { return [] }
        return type.references.flatMap { reference -> [String] in
            let value = json["data"]?[reference.field]
            let keys: [JSON]
            if reference.isList {
                guard case .array(let items)? = value else { return [] }
                keys = items
            } else {
                keys = value.map { [$0] } ?? []
            }
            return keys.compactMap { $0.stringValue.map { "\(reference.category.rawValue)-\($0)" } }
        }
    }

    /// Whether a parsed line is a complaint received with a reporter.
    static func hasReporter(_ item: Parsed) -> Bool {
        guard case .json(let json) = item else { return false }
        return json["type"]?.stringValue == EventType.complaintReceived.rawValue && json["data"]?["reporter"] != nil
    }

    /// The streams a complaint's verification or a case opened from a complaint name.
    static func complaintLinks(_ json: JSON) -> [String] {
        let data = json["data"]
        switch json["type"]?.stringValue {
        case EventType.complaintVerified.rawValue?:
            return [data?["operation"]?.stringValue.map { "operation-\($0)" }, data?["case"]?.stringValue.map { "case-\($0)" }].compactMap { $0 }
        case EventType.caseOpened.rawValue? where data?["source"]?.stringValue == CaseSource.complaint.rawValue:
            return [data?["source_ref"]?.stringValue.map { "complaint-\($0)" }].compactMap { $0 }
        default:
            return []
        }
    }

    static let withoutData = EventType.allCases.filter { !$0.changesFacts }.map(\.rawValue)

    /// Caches the streams `names` from their stored events. A stream cached without its entries is rebuilt from its stored events, then the events
    /// recorded since it was shed that the ledger does not hold yet (the chunk being written).
    mutating func load(_ names: Set<String>, from events: [RecordedEvent]) throws {
        var unwritten: [String: [StreamState.Entry]] = [:]
        for name in names {
            guard let streamName = StreamName(name) else { continue }
            if let shed = streams[name], !shed.isComplete { unwritten[name] = shed.recordedSinceShed }
            streams[name] = StreamState(name: streamName)
            touched[name] = chunkNumber
        }
        let stored = Set(events.map(\.id))
        heldEntries += events.count
        defer {
            for (name, entries) in unwritten {
                for entry in entries where !stored.contains(entry.id) {
                    streams[name]?.record(id: entry.id, type: entry.type, occurredOn: entry.occurredOn, payload: entry.payload)
                }
            }
        }
        for event in events {
            try streams[event.stream]?.record(event, configuration: appender.configuration)
        }
    }

    /// Checks one event; returns it ready to append, or nil when it is rejected or a retry.
    mutating func accept(_ submission: Submission, _ json: JSON) throws -> NewEvent? {
        let idText = json["id"]?.stringValue
        if let id = idText.flatMap(Identifier.uuid), let known = knownContent(id) {
            let content = Self.retryContent(
                json["stream"]?.stringValue ?? "", json["type"]?.stringValue ?? "",
                json["occurred_on"]?.stringValue ?? "", json["actor"]?.stringValue ?? "", json["data"] ?? .null)
            if content == known.content {
                outcome.duplicates += 1
                return nil
            }
            reject(submission, id: idText, [Problem("id", .idRecordedDifferently(known.stream, version: known.version))])
            return nil
        }

        let envelope: Envelope
        switch Envelope.decode(json, configuration: appender.configuration, today: appender.today) {
        case .invalid(let problems):
            reject(submission, id: idText, problems)
            return nil
        case .valid(let decoded):
            envelope = decoded
        }

        // Taken out of the cache and put back: one owner, so recording an event never copies
        // the stream's entries.
        let key = envelope.stream.description
        var state = streams.removeValue(forKey: key) ?? StreamState(name: envelope.stream)
        touched[key] = chunkNumber
        let refused = appender.authority?.problems(envelope, state) { streams[$0] } ?? []
        if appender.authority?.district != nil, envelope.stream.category == .bulletin { readOtherStreams = true }
        let calendar = self.calendar
        let origin = originProblems(envelope)
        let problems = !refused.isEmpty ? refused : !origin.isEmpty ? origin : Rules.check(
            envelope, against: state, stream: { [streams] in streams[$0.description] },
            calendar: { calendar ?? WorkingCalendar() }
        ) { name in
            existing[name.description] ?? false
        }
        guard problems.isEmpty else {
            streams[key] = state
            reject(submission, id: idText, problems)
            return nil
        }
        // A calendar of the call counts for the rest of it (an import may bring both).
        if case .calendarPublished(let published) = envelope.payload, let year = Int(envelope.stream.key) {
            if self.calendar == nil { self.calendar = try WorkingCalendar.published(configuration: appender.configuration, connection) }
            self.calendar?.publish(published, for: year)
        }
        if CaseCompanions.concerns(envelope.payload) {
            companions.items.append(.init(
                line: submission.line, id: idText ?? "", stream: envelope.stream, occurredOn: envelope.occurredOn,
                payload: envelope.payload, institution: state.facts.procedure.institution,
                appealed: state.facts.procedure.decision))
        }
        // A draw is recomputed, and its results' targets found inspected, once the whole call is
        // in the ledger (SPEC §11); what they read is not guarded by versions, so under the lock.
        switch envelope.payload {
        case .drawPerformed, .drawResultsPublished:
            drawChecks.append(.init(line: submission.line, id: idText ?? "", stream: envelope.stream, payload: envelope.payload))
            readOtherStreams = true
        default: break
        }
        let data: JSON
        do {
            data = try protect(envelope)
        } catch let failure as ReporterVault.Unavailable {
            streams[key] = state
            reject(submission, id: idText, [Problem("data.reporter", .reporterUnavailable(failure.description), kind: .unavailable)])
            return nil
        }
        let neutral = !envelope.type.changesFacts
        state.record(id: envelope.id, type: envelope.type, occurredOn: envelope.occurredOn, payload: neutral ? nil : envelope.payload)
        let version = state.version
        streams[key] = state
        heldEntries += 1
        existing[key] = true
        let event = NewEvent(
            id: envelope.id, stream: key, version: version, type: envelope.type.rawValue,
            occurredOn: envelope.occurredOn, actor: envelope.actor, data: data)
        acceptedContent[envelope.id] = event
        return event
    }

    /// What an identical retry of `id` must repeat, if the id is accepted or recorded already.
    func knownContent(_ id: UUID) -> (content: String, stream: String, version: Int)? {
        if let event = acceptedContent[id] ?? pendingContent[id] {
            return (Self.retryContent(event.stream, event.type, event.occurredOn.description, event.actor, event.data), event.stream, event.version)
        }
        return recordedContent[id]
    }

    /// The statements of the call's changes to reporters' keys (none for most calls).
    func keyStatements() throws -> [SQL] {
        guard !keys.created.isEmpty || !keys.erased.isEmpty else { return [] }
        return try keys.statements(vault: appender.vault, ledgerID: try appender.vault.ledgerID(connection))
    }

    /// What an idempotent retry must repeat: everything the client chose but the id, and but a
    /// complaint's reporter, which the ledger holds sealed under a fresh nonce (SPEC §12).
    static func retryContent(_ stream: String, _ type: String, _ occurredOn: String, _ actor: String, _ data: JSON) -> String {
        var data = data
        if type == EventType.complaintReceived.rawValue, case .object(var members) = data {
            members["reporter"] = nil
            data = .object(members)
        }
        return RecordedEvent.contentKey(stream: stream, type: type, occurredOn: occurredOn, actor: actor, data: data)
    }

    /// Problems with who submits the event: the ledger's own types from a client, a reporter
    /// submitted already sealed.
    func originProblems(_ envelope: Envelope) -> [Problem] {
        if envelope.type.isWrittenByLedgerOnly, !appender.writesForLedger {
            return [Problem("type", .ledgerOnlyType(envelope.type.rawValue))]
        }
        if case .complaintReceived(let received) = envelope.payload, case .sealed? = received.reporter {
            return [Problem("data.reporter", .reporterSealed)]
        }
        return []
    }

    /// The data to store: a reporter sealed under a new key for its complaint; an erasure noted
    /// for the call to carry out.
    mutating func protect(_ envelope: Envelope) throws -> JSON {
        let stream = envelope.stream.description
        switch envelope.payload {
        case .complaintReceived(let received):
            guard case .clear(let reporter)? = received.reporter, case .object(var members) = envelope.data else { return envelope.data }
            // Read (and checked against the ledger) by the prefetch: the connection may be busy now.
            guard let master = keys.master else { throw keys.masterFailure ?? ReporterVault.Unavailable("the master key was not read") }
            let (key, wrapped) = try ReporterVault.newDataKey(for: stream, master: master)
            keys.created[stream] = wrapped
            members["reporter"] = .object(["ciphertext": .string(try ReporterVault.seal(reporter, stream: stream, eventID: envelope.id, key: key))])
            return .object(members)
        case .personalDataErased:
            _ = try appender.vault.masterKey()
            keys.created[stream] = nil
            keys.erased.append(stream)
            return envelope.data
        default:
            return envelope.data
        }
    }

    mutating func reject(_ submission: Submission, id: String?, _ problems: [Problem]) {
        reject(line: submission.line, id: id, problems)
    }

    mutating func reject(line: Int?, id: String?, _ problems: [Problem]) {
        rejectedCount += 1
        guard rejections.count < Appender.maximumRejections else { return }
        let shownID = id.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }
        rejections.append(Rejection(line: line, id: shownID, problems: problems))
    }
}

/// The reporters' keys one append call creates and destroys, written in its transaction.
struct ReporterKeyChanges {
    var master: SymmetricKey?
    var masterFailure: ReporterVault.Unavailable?
    var created: [String: ByteString] = [:]
    var erased: [String] = []

    /// The statements that store the new keys and delete the erased ones; the erasures are first
    /// written to the erasure list, so that no key is deleted without it.
    func statements(vault: ReporterVault, ledgerID: String) throws -> [SQL] {
        var statements: [SQL] = []
        if !erased.isEmpty {
            try vault.recordErasures(erased, ledgerID: ledgerID)
            statements.append("DELETE FROM vault.reporter_keys WHERE stream = ANY(\(TextArray(erased))::text[])")
        }
        for (stream, wrapped) in created.sorted(by: { $0.key < $1.key }) {
            statements.append("INSERT INTO vault.reporter_keys (stream, wrapped) VALUES (\(stream), \(wrapped))")
        }
        return statements
    }
}

extension Envelope {
    /// A submitted line by itself, before any stream is read: its size, its JSON, its envelope and
    /// its payload, as the appender checks them (the rules that read a stream come after).
    public static func decode(_ submission: Submission, configuration: LedgerConfiguration, today: CalendarDate) -> Checked<Envelope> {
        switch Run.parse(submission) {
        case .unreadable(let problem): .invalid([problem])
        case .json(let json): decode(json, configuration: configuration, today: today)
        }
    }
}
