/// The rules that depend on the ledger's state (SPEC §2), checked against the stream as appended
/// so far and against the streams an event refers to.
public enum Rules {
    /// Every problem with appending `event` to a stream in `state`. `streamExists` answers for the
    /// streams the event refers to (an inspection's operation, a bulletin's institutions);
    /// `stream` gives another stream's state where a rule reads it (a case's institution, for a
    /// payment), and `calendar` the working-day calendar (a hearing's window).
    public static func check(
        _ event: Envelope, against state: StreamState,
        stream: (StreamName) -> StreamState? = { _ in nil },
        calendar: () -> WorkingCalendar = { WorkingCalendar() },
        streamExists: (StreamName) -> Bool
    ) -> [Problem] {
        var problems: [Problem] = []
        if let expected = event.expectedVersion, expected != state.version {
            problems.append(Problem(
                "expected_version",
                "\(event.stream) holds \(state.version) events, not \(expected); read it again and retry",
                kind: .conflict))
        }

        let opening = EventType.opening(event.stream.category)
        if event.type == opening {
            if state.version > 0 && !event.stream.category.opensAgain {
                problems.append(Problem("type", "\(opening.rawValue) must be the first event of its stream; \(event.stream) already holds \(state.version)"))
            }
        } else if !state.facts.opened {
            let what = switch event.stream.category {
            case .institution: "is not registered (InstitutionRegistered comes first)"
            case .operation: "has not been conducted (OperationConducted comes first)"
            case .bulletin: "has not been published (BulletinPublished comes first)"
            case .reply: "has not been issued (ReplyIssued comes first)"
            case .calendar: "has not been published (CalendarPublished comes first)"
            case .proposal: "has not been received (ProposalReceived comes first)"
            case .case: "has not been opened (CaseOpened comes first)"
            case .draw: "has not been planned (DrawPlanned comes first)"
            case .complaint: "has not been received (ComplaintReceived comes first)"
            }
            problems.append(Problem("stream", "\(event.stream) \(what)"))
            return problems
        }

        // The streams the event names (the catalogue's references) exist.
        for reference in event.type.references {
            let keys: [(path: String, key: String)] = switch event.data[reference.field] {
            case .string(let key)?: [("data.\(reference.field)", key)]
            case .array(let items)? where reference.isList:
                items.enumerated().compactMap { offset, item in item.stringValue.map { ("data.\(reference.field)[\(offset)]", $0) } }
            default: []
            }
            for (path, key) in keys {
                if let name = StreamName(category: reference.category, key: key), !streamExists(name) {
                    problems.append(Problem(path, "\(name) is not in the ledger"))
                }
            }
        }

        let facts = state.facts
        let required = event.type.requires
        if !required.isEmpty {
            let names = required.map(\.rawValue).joined(separator: " or ")
            if let day = required.compactMap({ facts.latest[$0] }).max() {
                if event.occurredOn < day {
                    problems.append(Problem("occurred_on", "\(event.occurredOn) is before the \(names) of \(day) it follows"))
                }
            } else {
                problems.append(Problem("type", "\(event.type.rawValue) needs a \(names) in \(event.stream) first"))
            }
        }
        switch event.payload {
        case .institutionRelocated(let district, _):
            if district == facts.district {
                problems.append(Problem("data.district", "the institution is already in \(district)"))
            }
        case .convertedToNonAcademic:
            if facts.category != .academic {
                problems.append(Problem("type", "the institution is not academic"))
            }
        case .convertedToNonProfit:
            if !facts.forProfit {
                problems.append(Problem("type", "the institution is not for-profit"))
            }
        case .rectificationOrdered(let notice, let deadline, _):
            if deadline < event.occurredOn {
                problems.append(Problem("data.deadline", "\(deadline) is before occurred_on \(event.occurredOn)"))
            }
            if facts.notices.contains(notice) {
                problems.append(Problem("data.notice_no", "notice \(notice) was already issued to this institution"))
            }
        case .rectificationVerified(let notice, _):
            if !facts.notices.contains(notice) {
                problems.append(Problem("data.notice_no", "no rectification notice \(notice) was issued to this institution"))
            }
        case .penaltyImposed(let decision, _, _, _):
            if facts.penalties[decision] != nil {
                problems.append(Problem("data.decision_no", "penalty decision \(decision) is already recorded for this institution"))
            }
        case .penaltyRevoked(let decision, _, _):
            switch facts.penalties[decision]?.revoked {
            case nil: problems.append(Problem("data.decision_no", "no penalty decision \(decision) is recorded for this institution"))
            case true?: problems.append(Problem("data.decision_no", "penalty decision \(decision) is already revoked"))
            case false?: break
            }
        case .institutionClosed:
            if facts.closed {
                problems.append(Problem("type", "the institution is already closed"))
            }
        case .institutionReopened:
            if !facts.closed {
                problems.append(Problem("type", "the institution is not closed"))
            }
        case .blacklisted(_, _, let until):
            if let until, until <= event.occurredOn {
                problems.append(Problem("data.until", "\(until) is not after occurred_on \(event.occurredOn); a listing ends on its until day"))
            }
            if let listing = facts.blacklist, listing.holds(on: event.occurredOn) {
                let end = listing.until.map { " until \($0)" } ?? ""
                problems.append(Problem("type", "the institution is already on the black list (since \(listing.since)\(end))"))
            }
        case .unblacklisted:
            if let listing = facts.blacklist, !listing.holds(on: event.occurredOn) {
                problems.append(Problem("type", "the institution's listing ended by itself on \(listing.until?.description ?? "—"); there is nothing to lift"))
            } else if facts.blacklist == nil, facts.latest[.blacklisted] != nil {
                problems.append(Problem("type", "the institution is not on the black list"))
            }
        case .delisted(let list, _):
            if !facts.lists.contains(list) {
                problems.append(Problem("data.list", "the institution is not on the list '\(list)'"))
            }
        case .entryVoided(let target, _):
            problems += voidProblems(target: target, state: state)
        case .institutionRegistered, .institutionAmended, .fundCustodyEnrolled, .guidancePriceAdopted,
             .interviewHeld, .violationFound, .warningIssued, .whitelisted, .operationConducted, .replyIssued,
             .calendarPublished, .proposalReceived, .proposerContacted, .proposerFeedback, .bulletinPublished:
            break
        case .caseOpened, .evidenceRecorded, .penaltyNoticeServed, .statementReceived, .hearingRequested, .hearingHeld,
             .caseDecided, .decisionServed, .finePaid, .enforcementApplied, .reconsiderationFiled, .litigationFiled,
             .appealDecided, .caseClosed:
            problems += caseProblems(event, facts, stream: stream, calendar: calendar)
        case .institutionInspected(_, _, _, let draw):
            if let draw { problems += drawnInspectionProblems(event, draw: draw, stream: stream) }
        case .drawPlanned(let plan):
            if plan.windowFrom < event.occurredOn {
                problems.append(Problem("data.window.from", "\(plan.windowFrom) is before occurred_on \(event.occurredOn); the window opens on or after the plan"))
            }
        case .drawPerformed(let performed):
            if let earlier = facts.draw.performedOn {
                problems.append(Problem("type", "the plan was already drawn on \(earlier); a plan is drawn once"))
            }
            if let planned = facts.draw.plannedOn, performed.beaconDate <= planned {
                problems.append(Problem("data.beacon_date", "\(performed.beaconDate) is not after the plan of \(planned); the beacon is a value published after the plan was made"))
            }
            if performed.beaconDate > event.occurredOn {
                problems.append(Problem("data.beacon_date", "\(performed.beaconDate) is after occurred_on \(event.occurredOn)"))
            }
        case .drawResultsPublished:
            if let earlier = facts.draw.publishedOn {
                problems.append(Problem("type", "the results were already published on \(earlier)"))
            }
        case .complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified,
             .complaintAnswered, .personalDataErased, .reporterViewed:
            problems += complaintProblems(event, facts, stream: stream)
        case .replySent(let reply, _):
            if let sent = facts.latest[.replySent] {
                problems.append(Problem("type", "a reply to this proposal was already sent on \(sent)"))
            }
            // The reply named was produced for this proposal (`ledger reply --proposal`).
            if let issued = StreamName(category: .reply, key: reply).flatMap(stream), issued.facts.opened,
               issued.facts.proposal != event.stream.key {
                let produced = issued.facts.proposal.map { "for proposal-\($0)" } ?? "for no proposal"
                problems.append(Problem("data.reply", "reply-\(reply) was produced \(produced), not for \(event.stream); produce this proposal's with ledger reply --proposal \(event.stream.key)"))
            }
        }
        return problems
    }

    /// An inspection naming a draw (SPEC §11): of one of its targets, by one of the inspectors
    /// drawn for it (the event's actor), within its window.
    static func drawnInspectionProblems(_ event: Envelope, draw: String, stream: (StreamName) -> StreamState?) -> [Problem] {
        guard let name = StreamName(category: .draw, key: draw), let facts = stream(name)?.facts.draw, facts.plan != nil else { return [] }
        guard let performed = facts.performed, let plan = facts.plan else {
            return [Problem("data.draw", "\(name) has not been drawn yet")]
        }
        var problems: [Problem] = []
        let institution = event.stream.key
        if let target = performed.targets.first(where: { $0.institution == institution }) {
            if !target.inspectors.contains(event.actor) {
                problems.append(Problem("actor", "\(event.actor) was not drawn to inspect \(event.stream) in \(name) (drawn: \(target.inspectors.joined(separator: ", ")))"))
            }
        } else {
            problems.append(Problem("data.draw", "\(event.stream) is not a target of \(name)"))
        }
        if event.occurredOn < plan.windowFrom {
            problems.append(Problem("occurred_on", "\(event.occurredOn) is before \(name)'s window opens on \(plan.windowFrom)"))
        }
        return problems
    }

    /// The rules of a complaint (SPEC §12) that its own stream and the streams it names decide.
    static func complaintProblems(_ event: Envelope, _ facts: StreamState.Facts, stream: (StreamName) -> StreamState?) -> [Problem] {
        let complaint = facts.complaint
        var problems: [Problem] = []
        func problem(_ field: String, _ reason: String) { problems.append(Problem(field, reason)) }
        switch event.payload {
        case .complaintAccepted, .complaintDeclined:
            if let accepted = facts.latest[.complaintAccepted] { problem("type", "the complaint was already accepted on \(accepted)") }
            if let declined = facts.latest[.complaintDeclined] { problem("type", "the complaint was already declined on \(declined)") }
        case .complaintExtended:
            if complaint.extended { problem("type", "the verification was already extended once; it may be extended at most once") }
        case .complaintVerified(_, let operation, let caseKey):
            if let verified = facts.latest[.complaintVerified] { problem("type", "the complaint was already verified on \(verified)") }
            if let operation, let name = StreamName(category: .operation, key: operation),
               let kind = stream(name)?.facts.operationKind, kind != .complaintCheck {
                problem("data.operation", "\(name) is a \(kind.rawValue) operation; a complaint is checked by one of kind complaint_check")
            }
            if let caseKey, let name = StreamName(category: .case, key: caseKey), let opened = stream(name)?.facts.procedure,
               opened.institution != nil, opened.source != .complaint || opened.sourceRef != event.stream.key {
                problem("data.case", "\(name) was not opened from this complaint (its CaseOpened needs source complaint and source_ref \(event.stream.key))")
            }
        case .personalDataErased:
            if !complaint.hasReporter { problem("type", "the complaint holds no reporter to erase") }
            else if complaint.erased { problem("type", "the reporter was already erased") }
        case .reporterViewed:
            if !complaint.hasReporter { problem("type", "the complaint holds no reporter") }
            else if complaint.erased { problem("type", "the reporter was erased; nobody can read it") }
        default:
            break
        }
        return problems
    }

    /// The rules of a penalty case (SPEC §9) that its own stream, the calendar and its institution's
    /// penalties decide; the companions in other streams are checked over the whole call
    /// (``CaseCompanions``).
    static func caseProblems(
        _ event: Envelope, _ facts: StreamState.Facts, stream: (StreamName) -> StreamState?, calendar: () -> WorkingCalendar
    ) -> [Problem] {
        let procedure = facts.procedure
        let day = event.occurredOn
        var problems: [Problem] = []
        func problem(_ field: String, _ reason: String) { problems.append(Problem(field, reason)) }
        if procedure.closed, event.type != .caseOpened { problem("type", "the case is closed") }
        switch event.payload {
        case .caseOpened(let opened):
            if opened.discoveredOn > day { problem("data.discovered_on", "\(opened.discoveredOn) is after occurred_on \(day)") }
            let limit = WorkingCalendar.sameDay(24, monthsAfter: opened.violationOn)
            if opened.source == .complaint, let key = opened.sourceRef,
               StreamName(category: .complaint, key: key).flatMap(stream)?.facts.opened != true {
                problem("data.source_ref", "complaint-\(key) is not in the ledger")
            }
            if opened.discoveredOn > limit {
                problem("data.discovered_on", "\(opened.discoveredOn) is past the two-year limit: a violation of \(opened.violationOn) may be pursued until \(limit) (Art 36)")
            }
        case .penaltyNoticeServed:
            if let decision = procedure.decision { problem("type", "the case is already decided (\(decision.decisionNo))") }
        case .hearingRequested:
            guard let notice = procedure.notice, let served = facts.latest[.penaltyNoticeServed] else { break }
            guard notice.hearingRight else {
                problem("type", "the penalty notice of \(served) gave no right to a hearing")
                break
            }
            switch calendar().workingDays(5, after: served) {
            case .on(let close) where day > close:
                problem("occurred_on", "\(day) is past the hearing window, which closed on \(close) (5 working days after the notice of \(served), Art 64)")
            case .unknown(let year):
                problem("occurred_on", "the hearing window is unknown (no working-day calendar for \(year))")
            default: break
            }
        case .hearingHeld(let presiding, _):
            if procedure.officers.contains(presiding) {
                problem("data.presiding", "\(presiding) is one of the case's officers; someone else presides over the hearing (Art 64)")
            }
        case .caseDecided(let decision):
            if let earlier = procedure.decision { problem("type", "the case is already decided (\(earlier.decisionNo))") }
            guard decision.outcome == .penalty else { break }
            guard let notice = procedure.notice else {
                problem("type", "no penalty notice was served; a penalty decision needs one first (告知, Art 44)")
                break
            }
            if facts.latest[.hearingRequested] != nil, !procedure.hearingHeld {
                problem("type", "a hearing was requested and has not been held (Art 62)")
            }
            if let extra = decision.penalties.first(where: { !notice.proposed.contains($0) }) {
                problem("data.penalties", "\(extra.rawValue) was not proposed in the penalty notice (Art 45)")
            }
        case .decisionServed:
            if procedure.decision?.outcome != .penalty {
                problem("type", "only a penalty decision is served; this case was decided \(procedure.decision?.outcome.rawValue ?? "not at all")")
            } else if let served = facts.latest[.decisionServed] {
                problem("type", "the decision was already served on \(served)")
            }
        case .finePaid(let amount):
            guard let decision = procedure.decision, let institution = procedure.institution,
                  let served = facts.latest[.decisionServed] else { break }
            let name = StreamName(category: .institution, key: institution)
            guard let owed = name.flatMap(stream)?.facts.penalties[decision.decisionNo] else {
                problem("type", "institution-\(institution) holds no penalty \(decision.decisionNo) to pay")
                break
            }
            let total = procedure.paidFen + amount
            guard total > owed.total else { break }
            switch calendar().days(15, after: served) {
            case .on(let due):
                // From the day after it is due: 3% of the fine a day, at most the fine (Art 72).
                let late = Int64(max(0, day.dayNumber - due.dayNumber))
                let surchargeTimes100 = min(100 * owed.fine, 3 * owed.fine * late)
                if 100 * (total - owed.total) > surchargeTimes100 {
                    problem("data.amount_fen", "payments would total \(total) 分, more than the decision's \(owed.total) 分 and its late-payment surcharge of \(surchargeTimes100 / 100) 分 by \(day) (due \(due))")
                }
            case .unknown(let year):
                problem("data.amount_fen", "payments would exceed the decision's \(owed.total) 分 and the surcharge is unknown (no working-day calendar for \(year))")
            }
        case .reconsiderationFiled, .litigationFiled:
            if procedure.decision?.outcome != .penalty { problem("type", "only a penalty decision can be appealed") }
        case .appealDecided:
            if procedure.appealsPending <= 0 { problem("type", "no appeal is pending") }
        default:
            break
        }
        return problems
    }

    static func voidProblems(target: String, state: StreamState) -> [Problem] {
        guard let entry = state.entry(id: target) else {
            return [Problem("data.event_id", "\(target) is not an earlier event of \(state.name)")]
        }
        switch entry.type {
        case .institutionRegistered:
            return [Problem("data.event_id", "\(target) is the registration; it cannot be voided")]
        case .entryVoided:
            return [Problem("data.event_id", "\(target) is itself a void; voids cannot be voided")]
        case .proposalReceived:
            return [Problem("data.event_id", "\(target) is the proposal's receipt, the stream's first event; it cannot be voided")]
        case .caseOpened:
            return [Problem("data.event_id", "\(target) opened the case, the stream's first event; it cannot be voided")]
        case .caseDecided, .appealDecided:
            return [Problem("data.event_id", "\(target) is a decision (\(entry.type.rawValue)); a decision is changed by appeal, not voided (SPEC §9)")]
        case .drawPlanned:
            return [Problem("data.event_id", "\(target) is the draw's plan, the stream's first event; it cannot be voided")]
        case .drawPerformed:
            return [Problem("data.event_id", "\(target) is the draw itself; a draw is never voided (SPEC §11)")]
        case .complaintReceived:
            return [Problem("data.event_id", "\(target) is the complaint's receipt, the stream's first event; it cannot be voided")]
        case .personalDataErased:
            return [Problem("data.event_id", "\(target) erased the reporter; an erasure cannot be undone (SPEC §12)")]
        case .reporterViewed:
            return [Problem("data.event_id", "\(target) records a reading of the reporter; the record of who read it stays (SPEC §12)")]
        default:
            if entry.voided { return [Problem("data.event_id", "\(target) is already voided")] }
            switch entry.payload {
            case .penaltyImposed(_, _, _, let caseKey?), .warningIssued(_, _, let caseKey?), .penaltyRevoked(_, _, let caseKey?):
                return [Problem("data.event_id", "\(target) carries out the decision of case-\(caseKey); a decision is changed by appeal, not voided (SPEC §9)")]
            default: break
            }
            // What a later live event requires stays until that one is voided first (SPEC §8).
            if let later = state.liveEntries(after: entry.id).first(where: { $0.type.requires.contains(entry.type) }) {
                return [Problem("data.event_id", "\(target) is required by the later \(later.type.rawValue) \(later.id.lowercasedText); void that first")]
            }
            return []
        }
    }
}
