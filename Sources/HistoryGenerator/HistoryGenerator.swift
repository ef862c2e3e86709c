import EventStore
import Foundation
import Ledger

/// Generates realistic enforcement histories of any size, deterministic from a seed, streamed.
///
/// The history is valid by construction (every line passes the ledger's rules in order) and holds
/// the traps real data has: voided duplicates, a voided conversion, closures and reopenings,
/// relocations, revoked penalties, delistings, late entries, events outside a reporting period.
///
/// ```swift
/// var generator = HistoryGenerator(options: .init(seed: 7, institutions: 100))
/// try generator.generate { line in print(line) }
/// ```
public struct HistoryGenerator {
    public struct Options: Sendable {
        public var seed: UInt64
        public var institutions: Int
        /// Stop after this many events (every prefix of the history is valid).
        public var maximumEvents: Int?
        public var start = CalendarDate(year: 2019, month: 1, day: 1)!
        public var end = CalendarDate(year: 2024, month: 12, day: 31)!
        public var districts = LedgerConfiguration.changzhou.districts
        /// Whether to plan and draw random inspections (SPEC §11). A draw's pool is every
        /// institution of its district in the ledger, so such a history imports only into a
        /// ledger with no other institutions there; without draws, histories of different seeds
        /// share one ledger.
        public var draws = false
        /// Whether to receive and handle complaints (SPEC §12), with made-up reporters in clear
        /// (the ledger seals them as it imports, so the import needs LEDGER_MASTER_KEY_FILE).
        public var complaints = false

        public init(seed: UInt64, institutions: Int, maximumEvents: Int? = nil) {
            self.seed = seed
            self.institutions = institutions
            self.maximumEvents = maximumEvents
        }

        /// Enough institutions for `events` events (about 27 each, as in Changzhou), stopping at
        /// exactly that many, a few weeks before the end of the simulated years.
        public init(seed: UInt64, events: Int) {
            self.init(seed: seed, institutions: max(5, events / 26), maximumEvents: events)
        }
    }

    /// The day "双减" started: academic institutions close or convert after it.
    static let policyStart = CalendarDate(year: 2021, month: 7, day: 24)!
    static let actors = ["zhang.wei", "wang.fang", "li.na", "liu.yang", "chen.jing", "yang.lei", "zhao.min", "huang.tao"]
    static let areaCodes = ["溧阳市": "320481", "金坛区": "320413", "武进区": "320412", "新北区": "320411",
                            "天宁区": "320402", "钟楼区": "320404", "经开区": "320491"]

    let options: Options
    var random: SplitMix64
    var institutions: [Institution] = []
    /// Registered institutions by district (and all of them), in the order they registered, for
    /// inspections and bulletins: kept as they register, never filtered, so picking one costs the
    /// same at any scale.
    var registeredByDistrict: [String: [Int]] = [:]
    var registeredInstitutions: [Int] = []
    /// What happens on a day (day number → actions), filled as the simulation goes.
    var agenda: [Int: [Action]] = [:]
    var emitted = 0
    var operationCount = 0
    /// Inspections so far: operations continue until there are about 20 per institution, whatever the scale.
    var inspectionCount = 0
    var inspectionBudget = 0.0
    var registeredCount = 0
    var bulletinCount = 0
    var caseCount = 0
    /// Penalty cases under way (SPEC §9), by key.
    var cases: [String: GeneratedCase] = [:]
    /// Council proposals received (SPEC §10), in order.
    var proposalList: [GeneratedProposal] = []
    /// The answers to the proposals, planned as they are received: a reply is the ledger's own
    /// record, so ``ProposalAnswer`` lines are recorded after the history by the reply service
    /// (`ledger answer`), never written into it.
    public internal(set) var answers: [ProposalAnswer] = []
    /// Random inspections (SPEC §11), in order, and the institutions' streams as far as a pool
    /// reads them (``mirror(_:)``).
    var drawList: [GeneratedDraw] = []
    var drawCount = 0
    var poolStates: [String: StreamState] = [:]
    var poolDistricts: [String: Set<String>] = [:]
    /// Complaints received so far, and whether each has a reporter.
    var complaintCount = 0
    var complaintReporters: [String: Bool] = [:]

    /// A penalty case the simulation runs: its institution, decision and what it costs.
    struct GeneratedCase {
        var institution: Int
        var decision: String
        var fine: Int64
        var warning: Bool
    }

    public init(options: Options) {
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    struct Institution {
        var key: String
        var stream: String { "institution-\(key)" }
        var registeredOn: CalendarDate
        var district: String
        var category: InstitutionCategory
        var forProfit: Bool
        var licensed: Bool
        var member: Bool
        var registered = false
        var closed = false
        var notices: [String] = []
        var penalties: [String: Bool] = [:]
        var lists: Set<String> = []
    }

    enum Action {
        case register(Int)
        case lifecycle(Int, Step)
        case late(String)
        case void(stream: String, target: String, reason: String)
        case proposal(Int, ProposalStep)
        case draw(Int, DrawStep)
        case complaint(String, ComplaintStep)
    }

    enum Step {
        case close(ClosureReason), convertAcademic, convertNonProfit, custody, guidancePrice
        case interview, notice, verify(String), violation, warning, penalty, revoke(String)
        case reopen, whitelist, delist(String), relocate, amend
        /// A penalty case (SPEC §9): opened, then each step of its procedure.
        case openCase, caseStep(String, CaseStep)
    }

    enum CaseStep {
        case notice, decide, serve, appeal, appealDecided, pay, close
    }

    /// Writes the history, one JSON line per event, to `emit`.
    public mutating func generate(_ emit: (String) throws -> Void) throws {
        createInstitutions()
        let first = options.start.dayNumber, last = options.end.dayNumber
        for day in first...last {
            guard !isFull else { return }
            let date = CalendarDate(dayNumber: day)
            for action in agenda.removeValue(forKey: day) ?? [] {
                try perform(action, on: date, emit)
                guard !isFull else { return }
            }
            try operations(on: date, emit)
            try bulletins(on: date, emit)
            try proposals(on: date, emit)
            try draws(on: date, emit)
            try complaints(on: date, emit)
        }
    }

    /// Part of every generated local key, so histories of different seeds can share one ledger.
    var seedTag: String { "S" + String(options.seed, radix: 36).uppercased() }

    var isFull: Bool { options.maximumEvents.map { emitted >= $0 } ?? false }

    mutating func schedule(_ action: Action, on day: Int) {
        guard day <= options.end.dayNumber else { return }
        agenda[day, default: []].append(action)
    }

    mutating func createInstitutions() {
        let span = Self.policyStart.dayNumber - 60 - options.start.dayNumber
        for index in 0..<options.institutions {
            let district = random.pick(options.districts)
            let academic = random.chance(0.55)
            let licensed = random.chance(0.9)
            let lateComer = random.chance(0.15)
            let day = lateComer
                ? random.int(Self.policyStart.dayNumber...(options.end.dayNumber - 200))
                : options.start.dayNumber + random.int(0...max(1, span))
            let registeredOn = CalendarDate(dayNumber: day)
            let key = licensed ? uscc(district: district, forProfit: true) : "U\(Self.areaCodes[district] ?? "320400")-\(seedTag)-\(String(format: "%05d", index))"
            var institution = Institution(
                key: key, registeredOn: registeredOn, district: district,
                category: academic && !lateComer ? .academic : .nonAcademic,
                forProfit: true, licensed: licensed, member: false)
            institution.member = institution.category == .academic && random.chance(0.85)
            institutions.append(institution)
            schedule(.register(index), on: day)
        }
    }

    /// A valid 统一社会信用代码: authority and kind, the district's area, an organisation code.
    mutating func uscc(district: String, forProfit: Bool) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        while true {
            let body = String((0..<8).map { _ in random.pick(alphabet) })
            guard let organisationCheck = USCC.organisationCheckCharacter(body),
                  alphabet.contains(organisationCheck) else { continue }
            let first17 = (forProfit ? "91" : "52") + (Self.areaCodes[district] ?? "320400") + body + String(organisationCheck)
            return first17 + String(USCC.checkCharacter(first17)!)
        }
    }

    mutating func line(
        id: String? = nil, stream: String, type: EventType, on date: CalendarDate, data: [String: JSON], actor: String? = nil
    ) -> (id: String, text: String) {
        let id = id ?? random.uuid()
        let actor = actor ?? random.pick(Self.actors)
        let text = JSON.object([
            "id": .string(id), "stream": .string(stream), "type": .string(type.rawValue),
            "occurred_on": .string(date.description), "actor": .string(actor),
            "data": .object(data),
        ]).canonicalText
        return (id, text)
    }

    mutating func write(_ text: String, _ emit: (String) throws -> Void) throws {
        guard !isFull else { return }
        try emit(text)
        emitted += 1
        mirror(text)
    }

    /// Writes lines that stand or fall together (a decision and its companions): all, or none
    /// when the history has no room left for all.
    mutating func writeTogether(_ texts: [String], _ emit: (String) throws -> Void) throws -> Bool {
        guard options.maximumEvents.map({ emitted + texts.count <= $0 }) ?? true else { return false }
        for text in texts { try write(text, emit) }
        return true
    }

    /// Appends an institution event and returns its id (voids are scheduled with their target's id,
    /// so nothing per event is kept: memory does not grow with the history).
    @discardableResult
    mutating func record(_ index: Int, _ type: EventType, on date: CalendarDate, _ data: [String: JSON], _ emit: (String) throws -> Void) throws -> String {
        let (id, text) = line(stream: institutions[index].stream, type: type, on: date, data: data)
        try write(text, emit)
        return id
    }
}
