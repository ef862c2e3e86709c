import EventStore

/// The typed `data` of every event type (SPEC §2). Decoded once, at the boundary.
public enum EventPayload: Sendable, Equatable {
    case institutionRegistered(InstitutionRegistered)
    case institutionAmended(InstitutionAmended)
    case institutionRelocated(district: String, address: String?)
    case convertedToNonAcademic(specialty: Specialty)
    case convertedToNonProfit(uscc: String?)
    case fundCustodyEnrolled(bank: String)
    case guidancePriceAdopted
    case institutionInspected(operation: String, result: InspectionResult, notes: String?, draw: String? = nil)
    case interviewHeld(reason: String)
    case rectificationOrdered(noticeNo: String, deadline: CalendarDate, items: [String])
    case rectificationVerified(noticeNo: String, outcome: RectificationOutcome)
    case violationFound(caseNo: String, kind: ViolationKind, personsInvolved: Int64, caseKey: String? = nil)
    case warningIssued(reason: String, decisionNo: String?, caseKey: String? = nil)
    case penaltyImposed(decisionNo: String, fineFen: Int64, confiscatedFen: Int64, caseKey: String? = nil)
    case penaltyRevoked(decisionNo: String, reason: String, caseKey: String? = nil)
    case institutionClosed(reason: ClosureReason, caseKey: String? = nil)
    case institutionReopened(reason: String)
    case whitelisted(list: String, courses: [Course])
    case delisted(list: String, reason: String)
    /// 列入黑名单 (SPEC §13): until a day, when given, or until `Unblacklisted`.
    case blacklisted(reason: String, caseKey: String?, until: CalendarDate?)
    case unblacklisted(reason: String)
    case entryVoided(eventID: String, reason: String)
    case operationConducted(OperationConducted)
    case bulletinPublished(title: String, district: String?, exposed: [String])
    case replyIssued(ReplyIssued)
    case calendarPublished(CalendarPublished)
    case proposalReceived(ProposalReceived)
    case proposerContacted(method: ContactMethod, summary: String)
    case replySent(reply: String, classification: ReplyClassification)
    case proposerFeedback(satisfaction: Satisfaction, notes: String?)
    case caseOpened(CaseOpened)
    case evidenceRecorded(kind: EvidenceKind, description: String, sha256: String?)
    case penaltyNoticeServed(PenaltyNotice)
    case statementReceived(summary: String)
    case hearingRequested
    case hearingHeld(presiding: String, summary: String)
    case caseDecided(CaseDecision)
    case decisionServed(method: ServiceMethod)
    case finePaid(amountFen: Int64)
    case enforcementApplied(court: String)
    case reconsiderationFiled(body: String)
    case litigationFiled(body: String)
    case appealDecided(outcome: AppealOutcome, decisionNo: String?)
    case caseClosed(summary: String)
    case drawPlanned(DrawPlan)
    case drawPerformed(DrawPerformed)
    case drawResultsPublished(url: String?)
    case complaintReceived(ComplaintReceived)
    case complaintAccepted
    case complaintDeclined(reason: String)
    case complaintExtended(reason: String)
    case complaintVerified(finding: ComplaintFinding, operation: String?, caseKey: String?)
    case complaintAnswered(summary: String)
    case personalDataErased(reason: String)
    case reporterViewed(reason: String)

    /// 抽查计划 (SPEC §11): where and what is inspected, how many targets, by whom.
    public struct DrawPlan: Sendable, Equatable {
        public enum Size: Sendable, Equatable {
            case ratio(Int)
            case count(Int)
        }

        /// Which institutions of the register the pool takes (every field given must match).
        public struct Filter: Sendable, Equatable {
            public var category: InstitutionCategory?
            public var licensed: Bool?
            public var specialty: Specialty?

            public init(category: InstitutionCategory? = nil, licensed: Bool? = nil, specialty: Specialty? = nil) {
                self.category = category
                self.licensed = licensed
                self.specialty = specialty
            }
        }

        /// An inspector who may not inspect an institution.
        public struct Recusal: Sendable, Equatable {
            public var inspector: String
            public var institution: String

            public init(inspector: String, institution: String) {
                self.inspector = inspector
                self.institution = institution
            }
        }

        /// Nil for the whole city.
        public var district: String?
        /// 抽查事项.
        public var matters: [String]
        public var filter: Filter
        public var size: Size
        /// The pool of inspectors: at least two distinct names.
        public var inspectors: [String]
        public var perTarget: Int
        public var recusals: [Recusal]
        public var windowFrom: CalendarDate
        public var windowTo: CalendarDate

        public init(
            district: String?, matters: [String], filter: Filter = Filter(), size: Size, inspectors: [String], perTarget: Int,
            recusals: [Recusal] = [], windowFrom: CalendarDate, windowTo: CalendarDate
        ) {
            self.district = district
            self.matters = matters
            self.filter = filter
            self.size = size
            self.inspectors = inspectors
            self.perTarget = perTarget
            self.recusals = recusals
            self.windowFrom = windowFrom
            self.windowTo = windowTo
        }
    }

    /// 摇号: the beacon, and the targets drawn with their inspectors.
    public struct DrawPerformed: Sendable, Equatable {
        public var beacon: String
        public var beaconDate: CalendarDate
        public var targets: [Draw.Target]
    }

    /// 立案 (SPEC §9).
    public struct CaseOpened: Sendable, Equatable {
        /// The institution's key (`institution-<key>`).
        public var institution: String
        public var violation: ViolationKind
        public var source: CaseSource
        public var sourceRef: String?
        public var discoveredOn: CalendarDate
        public var violationOn: CalendarDate
        /// At least two distinct officers (Art 42).
        public var officers: [String]
    }

    /// 行政处罚事先告知: the penalties proposed, their amounts, and whether a hearing may be asked for.
    public struct PenaltyNotice: Sendable, Equatable {
        public var proposed: [PenaltyKind]
        public var fineFen: Int64?
        public var confiscatedFen: Int64?
        public var hearingRight: Bool
    }

    /// 处罚决定: the decision's number, its outcome, and with `penalty` the penalties decided.
    public struct CaseDecision: Sendable, Equatable {
        public var decisionNo: String
        public var outcome: CaseOutcome
        public var penalties: [PenaltyKind]
    }

    /// 提案交办 (SPEC §10).
    public struct ProposalReceived: Sendable, Equatable {
        /// The session, e.g. 市政协十四届三次会议.
        public var session: String
        /// The proposal's number in the session, e.g. 0123.
        public var number: String
        public var title: String
        public var proposers: [String]
        public var role: ProposalRole
        /// Nil for the city.
        public var district: String?
        /// When the reply is due; nil for the default, 3 months after it was received (SPEC §8).
        public var dueOn: CalendarDate?
    }

    /// A year's working-day calendar (SPEC §8): the days off beyond ordinary weekends, the weekend
    /// days worked (调休), and the notice that published them.
    public struct CalendarPublished: Sendable, Equatable {
        public var holidays: [CalendarDate]
        public var workdays: [CalendarDate]
        public var source: String
    }

    /// 纳入台账.
    public struct InstitutionRegistered: Sendable, Equatable {
        public var name: String
        public var district: String
        public var address: String?
        public var category: InstitutionCategory
        public var specialty: Specialty?
        public var stages: [Stage]
        public var mode: TeachingMode
        public var licensed: Bool
        public var forProfit: Bool
        public var uscc: String?
    }

    public struct InstitutionAmended: Sendable, Equatable {
        public var name: String?
        public var address: String?
        public var uscc: String?
        public var stages: [Stage]?
        public var mode: TeachingMode?
        public var licensed: Bool?
        public var forProfit: Bool?
    }

    /// 开展检查 1 次.
    public struct OperationConducted: Sendable, Equatable {
        public var district: String
        public var kind: OperationKind
        public var campaign: String?
        /// 出动人员.
        public var inspectors: Int64
    }

    /// A council reply as it was produced: what was asked, where the ledger stood, what was said.
    public struct ReplyIssued: Sendable, Equatable {
        public var from: CalendarDate
        public var to: CalendarDate
        public var district: String?
        public var baseline: CalendarDate
        /// The ledger position the figures were computed at.
        public var position: Int64
        /// The chain digest at that position (`ledger digest --at-position`).
        public var digest: String
        /// SHA-256 of the reply's text, hex.
        public var textSHA256: String
        public var format: String
        /// The proposal the reply answers (`proposal-<key>`), when it was produced for one.
        public var proposal: String?
    }

    /// A white-listed course.
    public struct Course: Sendable, Equatable {
        public var name: String
        public var specialty: Specialty
    }

    /// Largest amount of one kind in one penalty: 10^12 分.
    public static let maximumFen: Int64 = 1_000_000_000_000

    /// Decodes `data` for `type`, checking every field rule that needs no ledger state.
    /// What the data says against the stream's name: a calendar's days lie in the year its stream
    /// names, and its 调休 workdays are weekend days.
    func problems(in stream: StreamName) -> [Problem] {
        guard case .calendarPublished(let calendar) = self else { return [] }
        guard stream.key.count == 4, let year = Int(stream.key), (2000...2099).contains(year) else {
            return [Problem("stream", .calendarStream(stream.description))]
        }
        for (field, days) in [("holidays", calendar.holidays), ("workdays", calendar.workdays)] {
            if let index = days.firstIndex(where: { $0.year != year }) {
                return [Problem("data.\(field)[\(index)]", .calendarDayOutsideYear(days[index], year: year, stream: stream.description))]
            }
        }
        if let index = calendar.workdays.firstIndex(where: { !WorkingCalendar.isWeekend($0) }) {
            return [Problem("data.workdays[\(index)]", .calendarWorkdayIsWeekday(calendar.workdays[index]))]
        }
        return []
    }

    public static func decode(
        _ type: EventType, _ data: JSON, configuration: LedgerConfiguration
    ) -> Checked<EventPayload> {
        var reader = FieldReader(data, path: "data")
        let payload = decodeFields(type, &reader, configuration)
        reader.finish()
        if let payload, reader.problems.isEmpty { return .valid(payload) }
        return .invalid(reader.problems.isEmpty ? [Problem("data", .invalidData)] : reader.problems)
    }

    private static func decodeFields(
        _ type: EventType, _ r: inout FieldReader, _ configuration: LedgerConfiguration
    ) -> EventPayload? {
        func district(_ key: String, required: Bool = true) -> String?? {
            r.district(key, required: required, of: configuration)
        }
        func uscc(_ key: String) -> String?? {
            guard let code = r.string(key, required: false) else { return r.has(key) ? nil : .some(nil) }
            if let problem = USCC.reason(code) {
                r.problem(key, problem)
                return nil
            }
            return .some(code)
        }
        func key(_ field: String) -> String? {
            guard let key = r.string(field) else { return nil }
            guard StreamName.isValidKey(key) else {
                r.problem(field, .notStreamKey(String(key.prefix(40))))
                return nil
            }
            return key
        }
        /// An optional key: `.some(nil)` when absent, nil when given and not a key.
        func key(_ field: String, required: Bool) -> String?? {
            guard required || r.has(field) else {
                _ = r.string(field, required: false)
                return .some(nil)
            }
            return key(field).map { .some($0) }
        }

        switch type {
        case .institutionRegistered:
            let name = r.string("name", maximumLength: FieldReader.maximumNameLength)
            let district = district("district")
            let address = r.string("address", required: false)
            let category: InstitutionCategory? = r.choice("category")
            let specialty: Specialty? = r.choice("specialty", required: category == .nonAcademic)
            if category == .academic && r.has("specialty") {
                r.problem("specialty", .specialtyOnlyNonAcademic)
            }
            let stages: [Stage]? = r.choices("stages", nonEmpty: true)
            let mode: TeachingMode? = r.choice("mode")
            let licensed = r.bool("licensed")
            let forProfit = r.bool("for_profit")
            let code = uscc("uscc")
            guard let name, let district = district ?? nil, let category, let stages, let mode,
                  let licensed, let forProfit, let code else { return nil }
            return .institutionRegistered(.init(
                name: name, district: district, address: address, category: category, specialty: specialty,
                stages: stages, mode: mode, licensed: licensed, forProfit: forProfit, uscc: code))

        case .institutionAmended:
            let fields = ["name", "address", "uscc", "stages", "mode", "licensed", "for_profit"]
            if !fields.contains(where: r.has) {
                r.problem("", .amendmentChangesNothing(fields))
            }
            let amended = InstitutionAmended(
                name: r.string("name", required: false, maximumLength: FieldReader.maximumNameLength),
                address: r.string("address", required: false),
                uscc: uscc("uscc") ?? nil,
                stages: r.has("stages") ? r.choices("stages", nonEmpty: true) : nil,
                mode: r.choice("mode", required: false),
                licensed: r.bool("licensed", required: false),
                forProfit: r.bool("for_profit", required: false))
            return .institutionAmended(amended)

        case .institutionRelocated:
            let district = district("district")
            let address = r.string("address", required: false)
            guard let district = district ?? nil else { return nil }
            return .institutionRelocated(district: district, address: address)

        case .convertedToNonAcademic:
            guard let specialty: Specialty = r.choice("specialty") else { return nil }
            return .convertedToNonAcademic(specialty: specialty)

        case .convertedToNonProfit:
            guard let code = uscc("uscc") else { return nil }
            return .convertedToNonProfit(uscc: code)

        case .fundCustodyEnrolled:
            guard let bank = r.string("bank") else { return nil }
            return .fundCustodyEnrolled(bank: bank)

        case .guidancePriceAdopted:
            return .guidancePriceAdopted

        case .institutionInspected:
            let operation = key("operation")
            let result: InspectionResult? = r.choice("result")
            let notes = r.string("notes", required: false)
            let draw = key("draw", required: false)
            guard let operation, let result, let draw else { return nil }
            return .institutionInspected(operation: operation, result: result, notes: notes, draw: draw)

        case .interviewHeld:
            guard let reason = r.string("reason") else { return nil }
            return .interviewHeld(reason: reason)

        case .rectificationOrdered:
            let notice = r.string("notice_no")
            let deadline = r.date("deadline")
            let items = r.strings("items", nonEmpty: true)
            guard let notice, let deadline, let items else { return nil }
            return .rectificationOrdered(noticeNo: notice, deadline: deadline, items: items)

        case .rectificationVerified:
            let notice = r.string("notice_no")
            let outcome: RectificationOutcome? = r.choice("outcome")
            guard let notice, let outcome else { return nil }
            return .rectificationVerified(noticeNo: notice, outcome: outcome)

        case .violationFound:
            let caseNo = r.string("case_no")
            let kind: ViolationKind? = r.choice("kind")
            let persons = r.integer("persons_involved", in: 0...Int64(Int32.max))
            let caseKey = key("case", required: false)
            guard let caseNo, let kind, let persons, let caseKey else { return nil }
            return .violationFound(caseNo: caseNo, kind: kind, personsInvolved: persons, caseKey: caseKey)

        case .warningIssued:
            let reason = r.string("reason")
            let decision = r.string("decision_no", required: false)
            let caseKey = key("case", required: false)
            if case .some(.some) = caseKey, decision == nil { r.problem("decision_no", .warningNeedsDecision) }
            guard let reason, let caseKey, r.problems.isEmpty else { return nil }
            return .warningIssued(reason: reason, decisionNo: decision, caseKey: caseKey)

        case .penaltyImposed:
            let decision = r.string("decision_no")
            let fine = r.integer("fine_fen", in: 0...maximumFen)
            let confiscated = r.integer("confiscated_fen", in: 0...maximumFen)
            if fine == 0 && confiscated == 0 {
                r.problem("", .penaltyWithoutMoney)
            }
            let caseKey = key("case", required: false)
            guard let decision, let fine, let confiscated, let caseKey else { return nil }
            return .penaltyImposed(decisionNo: decision, fineFen: fine, confiscatedFen: confiscated, caseKey: caseKey)

        case .penaltyRevoked:
            let decision = r.string("decision_no")
            let reason = r.string("reason")
            let caseKey = key("case", required: false)
            guard let decision, let reason, let caseKey else { return nil }
            return .penaltyRevoked(decisionNo: decision, reason: reason, caseKey: caseKey)

        case .institutionClosed:
            let reason: ClosureReason? = r.choice("reason")
            let caseKey = key("case", required: false)
            guard let reason, let caseKey else { return nil }
            return .institutionClosed(reason: reason, caseKey: caseKey)

        case .institutionReopened:
            guard let reason = r.string("reason") else { return nil }
            return .institutionReopened(reason: reason)

        case .whitelisted:
            let list = r.string("list")
            let courses = r.array("courses", nonEmpty: true) { element, path, problems -> Course? in
                var course = FieldReader(element, path: path)
                let name = course.string("name", maximumLength: FieldReader.maximumNameLength)
                let specialty: Specialty? = course.choice("specialty")
                course.finish()
                problems += course.problems
                guard let name, let specialty else { return nil }
                return Course(name: name, specialty: specialty)
            }
            guard let list, let courses else { return nil }
            return .whitelisted(list: list, courses: courses)

        case .delisted:
            let list = r.string("list")
            let reason = r.string("reason")
            guard let list, let reason else { return nil }
            return .delisted(list: list, reason: reason)

        case .blacklisted:
            let reason = r.string("reason")
            let caseKey = key("case", required: false)
            let until = r.date("until", required: false)
            guard let reason, let caseKey, r.problems.isEmpty else { return nil }
            return .blacklisted(reason: reason, caseKey: caseKey, until: until)
        case .unblacklisted:
            return r.string("reason").map { .unblacklisted(reason: $0) }

        case .entryVoided:
            let target = r.string("event_id")
            let reason = r.string("reason")
            if let target, Identifier.uuid(target) == nil {
                r.problem("event_id", .notEventID(found: FieldReader.shown(.string(target))))
                return nil
            }
            guard let target, let reason else { return nil }
            return .entryVoided(eventID: target.lowercased(), reason: reason)

        case .operationConducted:
            let district = district("district")
            let kind: OperationKind? = r.choice("kind")
            let campaign = r.string("campaign", required: false)
            let inspectors = r.integer("inspectors", in: 1...100_000)
            guard let district = district ?? nil, let kind, let inspectors else { return nil }
            return .operationConducted(.init(district: district, kind: kind, campaign: campaign, inspectors: inspectors))

        case .replyIssued:
            let from = r.date("from"), to = r.date("to"), baseline = r.date("baseline")
            let district = district("district", required: false)
            let position = r.integer("position", in: 0...Int64.max)
            let digest = r.string("digest"), text = r.string("text_sha256")
            for (field, value) in [("digest", digest), ("text_sha256", text)] {
                if let value, value.count != 64 || !value.allSatisfy(\.isHexDigit) {
                    r.problem(field, .notSHA256)
                }
            }
            let proposal = r.string("proposal", required: false)
            if let proposal, !StreamName.isValidKey(proposal) {
                r.problem("proposal", .notProposalKey(String(proposal.prefix(40))))
            }
            let format = r.string("format", maximumLength: 16)
            if let format, !["text", "markdown", "docx"].contains(format) {
                r.problem("format", .notReplyFormat(format))
            }
            guard let from, let to, let baseline, let district, let position, let digest, let text, let format,
                  r.problems.isEmpty else { return nil }
            return .replyIssued(.init(
                from: from, to: to, district: district, baseline: baseline, position: position,
                digest: digest, textSHA256: text, format: format, proposal: proposal))

        case .caseOpened:
            let institution = key("institution")
            let violation: ViolationKind? = r.choice("violation")
            let source: CaseSource? = r.choice("source")
            let sourceRef = r.string("source_ref", required: false, maximumLength: 64)
            let discovered = r.date("discovered_on"), committed = r.date("violation_on")
            let officers = r.strings("officers", nonEmpty: true)
            if let officers, Set(officers).count < 2 {
                r.problem("officers", .tooFewOfficers(Set(officers).count))
            }
            if let discovered, let committed, committed > discovered {
                r.problem("violation_on", .violationAfterDiscovery(committed, discovered: discovered))
            }
            guard let institution, let violation, let source, let discovered, let committed, let officers, r.problems.isEmpty else { return nil }
            return .caseOpened(.init(
                institution: institution, violation: violation, source: source, sourceRef: sourceRef,
                discoveredOn: discovered, violationOn: committed, officers: officers))
        case .evidenceRecorded:
            let kind: EvidenceKind? = r.choice("kind")
            let description = r.string("description")
            let sha = r.string("sha256", required: false, maximumLength: 64)
            if let sha, sha.count != 64 || !sha.allSatisfy(\.isHexDigit) { r.problem("sha256", .notSHA256) }
            guard let kind, let description, r.problems.isEmpty else { return nil }
            return .evidenceRecorded(kind: kind, description: description, sha256: sha)
        case .penaltyNoticeServed:
            let proposed: [PenaltyKind]? = r.choices("proposed", nonEmpty: true)
            let fine = r.integer("fine_fen", in: 1...maximumFen, required: false)
            let confiscated = r.integer("confiscated_fen", in: 1...maximumFen, required: false)
            let hearing = r.bool("hearing_right")
            if let proposed {
                if proposed.contains(.fine) != (fine != nil) {
                    r.problem("fine_fen", proposed.contains(.fine) ? .fineRequired : .fineNotProposed)
                }
                if proposed.contains(.confiscation) != (confiscated != nil) {
                    r.problem("confiscated_fen", proposed.contains(.confiscation) ? .confiscationRequired : .confiscationNotProposed)
                }
            }
            guard let proposed, let hearing, r.problems.isEmpty else { return nil }
            return .penaltyNoticeServed(.init(proposed: proposed, fineFen: fine, confiscatedFen: confiscated, hearingRight: hearing))
        case .statementReceived:
            guard let summary = r.string("summary") else { return nil }
            return .statementReceived(summary: summary)
        case .hearingRequested:
            return .hearingRequested
        case .hearingHeld:
            let presiding = r.string("presiding", maximumLength: 64), summary = r.string("summary")
            guard let presiding, let summary else { return nil }
            return .hearingHeld(presiding: presiding, summary: summary)
        case .caseDecided:
            let decision = r.string("decision_no")
            let outcome: CaseOutcome? = r.choice("outcome")
            let penalties: [PenaltyKind]? = r.has("penalties") || outcome == .penalty ? r.choices("penalties", nonEmpty: outcome == .penalty) : []
            if let outcome, outcome != .penalty, let penalties, !penalties.isEmpty {
                r.problem("penalties", .penaltiesWithoutPenaltyOutcome(outcome.rawValue))
            }
            guard let decision, let outcome, let penalties, r.problems.isEmpty else { return nil }
            return .caseDecided(.init(decisionNo: decision, outcome: outcome, penalties: penalties))
        case .decisionServed:
            guard let method: ServiceMethod = r.choice("method") else { return nil }
            return .decisionServed(method: method)
        case .finePaid:
            guard let amount = r.integer("amount_fen", in: 1...maximumFen) else { return nil }
            return .finePaid(amountFen: amount)
        case .enforcementApplied:
            guard let court = r.string("court") else { return nil }
            return .enforcementApplied(court: court)
        case .reconsiderationFiled:
            guard let body = r.string("body") else { return nil }
            return .reconsiderationFiled(body: body)
        case .litigationFiled:
            guard let body = r.string("body") else { return nil }
            return .litigationFiled(body: body)
        case .appealDecided:
            let outcome: AppealOutcome? = r.choice("outcome")
            let decision = r.string("decision_no", required: outcome == .changed)
            guard let outcome, r.problems.isEmpty else { return nil }
            return .appealDecided(outcome: outcome, decisionNo: decision)
        case .caseClosed:
            guard let summary = r.string("summary") else { return nil }
            return .caseClosed(summary: summary)
        case .drawPlanned:
            let district = district("district", required: false)
            let matters = r.strings("matters", nonEmpty: true)
            var filter = DrawPlan.Filter()
            if var f = r.object("filter", required: false) {
                filter = DrawPlan.Filter(category: f.choice("category", required: false), licensed: f.bool("licensed", required: false),
                                         specialty: f.choice("specialty", required: false))
                f.finish()
                r.adopt(f.problems)
            }
            var size: DrawPlan.Size?
            switch (r.has("ratio_percent"), r.has("count")) {
            case (true, false): size = r.integer("ratio_percent", in: 1...100).map { .ratio(Int($0)) }
            case (false, true): size = r.integer("count", in: 1...Int64(Int32.max)).map { .count(Int($0)) }
            default: r.problem("", .ratioOrCount)
            }
            let inspectors = r.strings("inspectors", nonEmpty: true)
            if let inspectors, Set(inspectors).count < 2 {
                r.problem("inspectors", .tooFewInspectors(Set(inspectors).count))
            }
            let perTarget = r.integer("per_target", in: 2...1_000)
            let recusals = r.array("recusals", required: false) { element, path, problems -> DrawPlan.Recusal? in
                var f = FieldReader(element, path: path)
                let inspector = f.string("inspector", maximumLength: 64), institution = f.string("institution", maximumLength: 64)
                f.finish()
                problems += f.problems
                if let inspector, let inspectors, !inspectors.contains(inspector) {
                    problems.append(Problem("\(path).inspector", .recusedInspectorNotInPool(inspector)))
                }
                guard let inspector, let institution else { return nil }
                return DrawPlan.Recusal(inspector: inspector, institution: institution)
            }
            var windowFrom: CalendarDate?, windowTo: CalendarDate?
            if var f = r.object("window") {
                windowFrom = f.date("from")
                windowTo = f.date("to")
                f.finish()
                r.adopt(f.problems)
                if let windowFrom, let windowTo, windowTo < windowFrom {
                    r.problem("window.to", .windowEndsBeforeStart(windowTo, from: windowFrom))
                }
            }
            guard let district, let matters, let size, let inspectors, let perTarget, let windowFrom, let windowTo,
                  r.problems.isEmpty else { return nil }
            return .drawPlanned(.init(
                district: district, matters: matters, filter: filter, size: size, inspectors: inspectors,
                perTarget: Int(perTarget), recusals: recusals ?? [], windowFrom: windowFrom, windowTo: windowTo))
        case .drawPerformed:
            let beacon = r.string("beacon", maximumLength: 256)
            let beaconDate = r.date("beacon_date")
            let targets = r.array("targets") { element, path, problems -> Draw.Target? in
                var f = FieldReader(element, path: path)
                let institution = f.string("institution", maximumLength: 64)
                let inspectors = f.strings("inspectors", nonEmpty: true)
                f.finish()
                problems += f.problems
                guard let institution, let inspectors else { return nil }
                return Draw.Target(institution: institution, inspectors: inspectors)
            }
            guard let beacon, let beaconDate, let targets, r.problems.isEmpty else { return nil }
            return .drawPerformed(.init(beacon: beacon, beaconDate: beaconDate, targets: targets))
        case .drawResultsPublished:
            let url = r.string("url", required: false, maximumLength: 2048)
            if url == nil && r.has("url") { return nil }
            return .drawResultsPublished(url: url)
        case .proposalReceived:
            let session = r.string("session"), number = r.string("number", maximumLength: 32), title = r.string("title")
            let proposers = r.strings("proposers", nonEmpty: true)
            let role: ProposalRole? = r.choice("role")
            let district = district("district", required: false)
            let dueOn = r.date("due_on", required: false)
            guard let session, let number, let title, let proposers, let role, let district else { return nil }
            if dueOn == nil && r.has("due_on") { return nil }
            return .proposalReceived(.init(
                session: session, number: number, title: title, proposers: proposers, role: role, district: district, dueOn: dueOn))
        case .proposerContacted:
            let method: ContactMethod? = r.choice("method")
            let summary = r.string("summary")
            guard let method, let summary else { return nil }
            return .proposerContacted(method: method, summary: summary)
        case .replySent:
            let reply = key("reply")
            let classification: ReplyClassification? = r.choice("classification")
            guard let reply, let classification else { return nil }
            return .replySent(reply: reply, classification: classification)
        case .proposerFeedback:
            let satisfaction: Satisfaction? = r.choice("satisfaction")
            let notes = r.string("notes", required: false)
            guard let satisfaction else { return nil }
            if notes == nil && r.has("notes") { return nil }
            return .proposerFeedback(satisfaction: satisfaction, notes: notes)
        case .calendarPublished:
            let holidays = r.dates("holidays"), workdays = r.dates("workdays"), source = r.string("source")
            guard let holidays, let workdays, let source else { return nil }
            if let both = holidays.first(where: Set(workdays).contains) {
                r.problem("workdays", .calendarHolidayAndWorkday(both))
                return nil
            }
            return .calendarPublished(.init(holidays: holidays, workdays: workdays, source: source))
        case .complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified,
             .complaintAnswered, .personalDataErased, .reporterViewed:
            return decodeComplaint(type, &r, configuration)
        case .bulletinPublished:
            let title = r.string("title")
            let district = district("district", required: false)
            let exposed = r.array("exposed") { element, path, problems -> String? in
                guard case .string(let key) = element, StreamName.isValidKey(key) else {
                    problems.append(Problem(path, .notInstitutionKey(found: FieldReader.shown(element))))
                    return nil
                }
                return key
            }
            guard let title, let district, let exposed else { return nil }
            return .bulletinPublished(title: title, district: district, exposed: exposed)
        }
    }
}
