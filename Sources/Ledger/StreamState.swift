import EventStore
import Postgres
import Foundation

/// One stream's events, which are voided, and the facts its live events establish: the one fold
/// of a stream in Swift. ``facts`` folds them as appended (version order), which is how the rules
/// read a stream (SPEC §2); ``facts(on:excluding:)`` folds them as of a day in (occurred_on,
/// version) order, which is how the figures, the authority, history and the pages read it (SPEC §3).
/// Both apply each event the same way (``apply(_:of:on:to:)``).
public struct StreamState: Sendable {
    /// One event of the stream, as the rules see it: small, since an import keeps many.
    struct Entry: Sendable {
        var id: UUID
        var type: EventType
        var occurredOn: CalendarDate
        /// Nil for the types that never change the facts (``EventType/changesFacts``), when read back.
        var payload: EventPayload?
        var voided = false
    }

    /// The facts the "the institution is X" rules read.
    public struct Facts: Sendable, Equatable {
        public var opened = false
        /// The institution's name, as registered or last amended.
        public var name: String?
        public var district: String?
        public var category: InstitutionCategory?
        public var mode: TeachingMode?
        /// Whether its stages include compulsory education (义务教育阶段).
        public var teachesCompulsory = false
        public var forProfit = false
        public var closed = false
        /// Live rectification notices by number.
        public var notices: Set<String> = []
        /// Live penalties by decision number: what they take, and whether a live revocation
        /// targets them.
        public var penalties: [String: Penalty] = [:]
        /// A penalty case's procedure (SPEC §9); empty for other streams.
        public var procedure = CaseFacts()
        /// For a reply stream: the council proposal the reply was produced for (SPEC §10).
        public var proposal: String?
        /// Whether the institution is licensed, and its specialty (a draw's filter, SPEC §11).
        public var licensed = false
        public var specialty: Specialty?
        /// A random inspection's plan and draw (SPEC §11); empty for other streams.
        public var draw = DrawFacts()
        /// A complaint's course (SPEC §12); empty for other streams.
        public var complaint = ComplaintFacts()
        /// For an operation stream: its kind (a complaint's check is one of kind complaint_check).
        public var operationKind: OperationKind?
        /// The white lists the institution is on.
        public var lists: Set<String> = []
        /// Its latest live listing on the black list (SPEC §13), ended or not; nil once lifted.
        public var blacklist: Blacklisting?
        /// The day of the latest live event of each type that later ones require
        /// (``EventType/requires``): what they follow and may not predate.
        public var latest: [EventType: CalendarDate] = [:]

        /// A member of SPEC §3 (线下义务教育阶段学科类校外培训机构): registered, not closed,
        /// offline, academic, teaching compulsory stages.
        public var isMember: Bool {
            opened && !closed && mode == .offline && category == .academic && teachesCompulsory
        }
    }

    public let name: StreamName
    /// The stream's events, all of them when ``isComplete``; after ``shed()`` only those recorded
    /// since. Only voids read them, so a long import sheds them from cold streams.
    private(set) var entries: [Entry] = []
    public private(set) var facts = Facts()
    /// How many events the stream holds (live or not): the version of its last event.
    public private(set) var version = 0
    /// Whether ``entries`` holds every event of the stream.
    public private(set) var isComplete = true

    public init(name: StreamName) {
        self.name = name
    }

    /// The stream as its stored events (version order) make it.
    /// - Throws: ``LedgerError`` when a stored event no longer reads as its type.
    public init(name: StreamName, events: some Sequence<RecordedEvent>, configuration: LedgerConfiguration) throws {
        self.init(name: name)
        for event in events { try record(event, configuration: configuration) }
    }

    /// Records a stored event, decoding its data unless its type never changes the facts (an
    /// append reads those back without data).
    /// - Throws: ``LedgerError`` when the event no longer reads as its type.
    mutating func record(_ event: RecordedEvent, configuration: LedgerConfiguration) throws {
        guard let type = EventType(rawValue: event.type) else {
            throw LedgerError("stored event \(event.id) of \(event.stream) has an unknown type \(event.type)")
        }
        guard type.changesFacts else {
            record(id: event.id, type: type, occurredOn: event.occurredOn, payload: nil)
            return
        }
        guard case .valid(let payload) = EventPayload.decode(type, event.data, configuration: configuration) else {
            throw LedgerError("stored event \(event.id) of \(event.stream) no longer decodes as \(event.type)")
        }
        record(id: event.id, type: type, occurredOn: event.occurredOn, payload: payload)
    }

    /// Drops the per-event entries and keeps the facts and the version, which is all the rules
    /// need but for a void; a void needs the stream read back first (``isComplete`` is false).
    mutating func shed() {
        guard !entries.isEmpty || !isComplete else { return }
        entries = []
        isComplete = false
    }

    /// The entries recorded since the stream was last shed, to replay over its stored events.
    var recordedSinceShed: [Entry] { isComplete ? [] : entries }

    /// The event with `id`, searched from the newest (only voids look events up, and rarely).
    func entry(id: String) -> Entry? {
        guard let id = UUID(text: id) else { return nil }
        return entries.last { $0.id == id }
    }

    /// The live events recorded after the event `id`, in version order.
    func liveEntries(after id: UUID) -> [Entry] {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return [] }
        return entries[(index + 1)...].filter { !$0.voided }
    }

    /// Records an event as it is appended, from its decoded line: for whoever mirrors the ledger's
    /// fold without a database (the generator's draws compute their pools this way).
    public mutating func record(_ envelope: Envelope) {
        record(id: envelope.id, type: envelope.type, occurredOn: envelope.occurredOn, payload: envelope.payload)
    }

    /// Records an event that is now part of the stream (`payload` nil for a fact-neutral type).
    mutating func record(id: UUID, type: EventType, occurredOn: CalendarDate, payload: EventPayload?) {
        version += 1
        entries.append(Entry(id: id, type: type, occurredOn: occurredOn, payload: payload))
        if case .entryVoided(let target, _) = payload, let targetID = UUID(text: target),
           let position = entries.lastIndex(where: { $0.id == targetID }) {
            entries[position].voided = true
            refold()
        } else if let payload {
            Self.apply(payload, of: type, on: occurredOn, to: &facts)
        }
    }

    /// Folds the live events again, from the start: needed when a void removes an earlier fact.
    /// Only called on a complete stream (the append path reads a shed stream back before a void).
    private mutating func refold() {
        facts = Facts()
        for entry in entries where !entry.voided {
            if let payload = entry.payload { Self.apply(payload, of: entry.type, on: entry.occurredOn, to: &facts) }
        }
    }

    /// The facts of the stream on `day` (SPEC §3): its live events dated on or before `day`,
    /// folded in (occurred_on, version) order. `excluding` leaves one event out, as if voided.
    ///
    /// Reads every entry: only on a complete stream (``isComplete``).
    public func facts(on day: CalendarDate, excluding excluded: UUID? = nil) -> Facts {
        var facts = Facts()
        let live = entries.indices.filter { entries[$0].occurredOn <= day && !entries[$0].voided && entries[$0].id != excluded }
        // Entries are in version order: by date, then by place, is (occurred_on, version).
        for index in live.sorted(by: { (entries[$0].occurredOn, $0) < (entries[$1].occurredOn, $1) }) {
            if let payload = entries[index].payload {
                Self.apply(payload, of: entries[index].type, on: entries[index].occurredOn, to: &facts)
            }
        }
        return facts
    }

    /// The district the stream is in on `day` (SPEC §3): the district of ``facts(on:excluding:)``,
    /// found by one pass instead of a sort, since the authority asks it for every event of a
    /// call; for a day before all its events, the district its first event gave it. Nil for a
    /// city-level bulletin. `FoldEqualityTests` holds it equal to the full fold's.
    public func district(on day: CalendarDate, excluding excluded: UUID? = nil) -> String? {
        var latest: Entry?
        for entry in entries where !entry.voided && entry.id != excluded && entry.occurredOn <= day {
            guard entry.payload?.districtSet != nil else { continue }
            // Entries are in version order: a later one on the same day wins.
            if latest.map({ entry.occurredOn >= $0.occurredOn }) ?? true { latest = entry }
        }
        return (latest ?? entries.first)?.payload?.districtSet ?? nil
    }

    static func apply(_ payload: EventPayload, of type: EventType, on day: CalendarDate, to facts: inout Facts) {
        if EventType.required.contains(type) { facts.latest[type] = day }
        // Which events put the stream in a district is said once, by `districtSet`, which
        // `district(on:)` reads too.
        if case .some(let district) = payload.districtSet { facts.district = district }
        switch payload {
        case .institutionRegistered(let registered):
            facts.opened = true
            facts.name = registered.name
            facts.category = registered.category
            facts.mode = registered.mode
            facts.teachesCompulsory = registered.stages.contains(.compulsory)
            facts.forProfit = registered.forProfit
            facts.licensed = registered.licensed
            facts.specialty = registered.specialty
            // A closure dated before the registration does not outlast it (as the SQL fold reads).
            facts.closed = false
        case .operationConducted(let operation):
            facts.opened = true
            facts.operationKind = operation.kind
        case .bulletinPublished, .calendarPublished, .proposalReceived:
            facts.opened = true
        case .replyIssued(let issued):
            facts.opened = true
            facts.proposal = issued.proposal
        case .institutionAmended(let amended):
            if let name = amended.name { facts.name = name }
            if let mode = amended.mode { facts.mode = mode }
            if let stages = amended.stages { facts.teachesCompulsory = stages.contains(.compulsory) }
            if let forProfit = amended.forProfit { facts.forProfit = forProfit }
            if let licensed = amended.licensed { facts.licensed = licensed }
        case .convertedToNonAcademic(let specialty):
            facts.category = .nonAcademic
            facts.specialty = specialty
        case .convertedToNonProfit:
            facts.forProfit = false
        case .rectificationOrdered(let notice, _, _):
            facts.notices.insert(notice)
        case .penaltyImposed(let decision, let fine, let confiscated, _):
            facts.penalties[decision] = Penalty(fine: fine, total: fine + confiscated)
        case .penaltyRevoked(let decision, _, _):
            facts.penalties[decision]?.revoked = true
        case .caseOpened(let opened):
            facts.opened = true
            facts.procedure.institution = opened.institution
            facts.procedure.officers = Set(opened.officers)
            facts.procedure.source = opened.source
            facts.procedure.sourceRef = opened.sourceRef
        case .complaintReceived(let received):
            facts.opened = true
            facts.complaint.hasReporter = received.reporter != nil
            facts.complaint.anonymous = received.anonymous
        case .complaintExtended:
            facts.complaint.extended = true
        case .complaintVerified(let finding, _, _):
            facts.complaint.finding = finding
        case .personalDataErased:
            facts.complaint.erased = true
        case .penaltyNoticeServed(let notice):
            facts.procedure.notice = notice
        case .hearingHeld:
            facts.procedure.hearingHeld = true
        case .caseDecided(let decision):
            facts.procedure.decision = decision
        case .finePaid(let amount):
            facts.procedure.paidFen += amount
        case .reconsiderationFiled, .litigationFiled:
            facts.procedure.appealsPending += 1
        case .appealDecided(let outcome, let decisionNo):
            facts.procedure.appealsPending -= 1
            if outcome == .changed, let decisionNo { facts.procedure.decision?.decisionNo = decisionNo }
        case .caseClosed:
            facts.procedure.closed = true
        case .drawPlanned(let plan):
            facts.opened = true
            facts.draw.plan = plan
            facts.draw.plannedOn = day
        case .drawPerformed(let performed):
            facts.draw.performed = performed
            facts.draw.performedOn = day
        case .drawResultsPublished:
            facts.draw.publishedOn = day
        case .institutionClosed:
            facts.closed = true
        case .institutionReopened:
            facts.closed = false
        case .whitelisted(let list, _):
            facts.lists.insert(list)
        case .delisted(let list, _):
            facts.lists.remove(list)
        case .blacklisted(_, _, let until):
            facts.blacklist = Blacklisting(since: day, until: until)
        case .unblacklisted:
            facts.blacklist = nil
        case .institutionRelocated, .fundCustodyEnrolled, .guidancePriceAdopted, .institutionInspected,
             .interviewHeld, .rectificationVerified, .violationFound, .warningIssued, .entryVoided,
             .proposerContacted, .replySent, .proposerFeedback, .evidenceRecorded, .statementReceived,
             .hearingRequested, .decisionServed, .enforcementApplied, .complaintAccepted, .complaintDeclined,
             .complaintAnswered, .reporterViewed:
            break  // a relocation's district is set above; what requires these keeps their day
        }
    }
}

/// A listing on the black list: from `since`, until `until` (exclusive) when given.
public struct Blacklisting: Sendable, Equatable {
    public var since: CalendarDate
    public var until: CalendarDate?

    /// Whether the listing holds on `day`: it ends on `until` by itself.
    public func holds(on day: CalendarDate) -> Bool { since <= day && until.map { day < $0 } ?? true }
}

/// A live penalty: its fine, and its fine plus confiscation, in 分; revoked or not.
public struct Penalty: Sendable, Equatable {
    public var fine: Int64
    public var total: Int64
    public var revoked = false
}

/// What the rules of SPEC §9 read of a penalty case: its institution and officers, the notice,
/// the hearing, the decision, payments and appeals.
public struct CaseFacts: Sendable, Equatable {
    /// The institution's key.
    public var institution: String?
    public var officers: Set<String> = []
    /// Where the case came from, and the operation, complaint or draw it names.
    public var source: CaseSource?
    public var sourceRef: String?
    public var notice: EventPayload.PenaltyNotice?
    public var hearingHeld = false
    public var decision: EventPayload.CaseDecision?
    public var paidFen: Int64 = 0
    public var appealsPending = 0
    public var closed = false

    public init() {}
}

/// What the rules of SPEC §12 read of a complaint beyond the days of its steps (``StreamState/Facts/latest``).
public struct ComplaintFacts: Sendable, Equatable {
    /// Whether it was received with a reporter (sealed), and whether that reporter was erased since.
    public var hasReporter = false
    public var anonymous = false
    public var erased = false
    public var extended = false
    public var finding: ComplaintFinding?

    public init() {}
}

/// A random inspection's plan, its draw and the publication of its results (SPEC §11).
public struct DrawFacts: Sendable, Equatable {
    public var plan: EventPayload.DrawPlan?
    public var plannedOn: CalendarDate?
    public var performed: EventPayload.DrawPerformed?
    public var performedOn: CalendarDate?
    public var publishedOn: CalendarDate?

    public init() {}
}

/// A stream as it stands today: its facts on today's date, folded by date (SPEC §3).
public struct StreamStateToday: Sendable {
    public var facts: StreamState.Facts
    /// The district the stream is in today (nil for a city-level bulletin).
    public var district: String?
    /// Whether it is on the black list today (SPEC §13): a listing ends on its `until` by itself.
    public var blacklisted: Bool

    public init(state: StreamState, today: CalendarDate) {
        facts = state.facts(on: today)
        district = state.district(on: today)
        blacklisted = facts.blacklist?.holds(on: today) ?? false
    }
}
