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
            problems.append(Problem("expected_version", .versionConflict(event.stream.description, holds: state.version, expected: expected), kind: .conflict))
        }

        let opening = EventType.opening(event.stream.category)
        if event.type == opening {
            if state.version > 0 && !event.stream.category.opensAgain {
                problems.append(Problem("type", .openingNotFirst(opening.rawValue, stream: event.stream.description, holds: state.version)))
            }
        } else if !state.facts.opened {
            problems.append(Problem("stream", .streamNotOpened(event.stream.description, category: event.stream.category.rawValue, opening: opening.rawValue)))
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
                    problems.append(Problem(path, .referenceMissing(name.description)))
                }
            }
        }

        let facts = state.facts
        let required = event.type.requires
        if !required.isEmpty {
            let names = required.map(\.rawValue).joined(separator: " or ")
            if let day = required.compactMap({ facts.latest[$0] }).max() {
                if event.occurredOn < day {
                    problems.append(Problem("occurred_on", .beforeRequired(event.occurredOn, names: names, required: day)))
                }
            } else {
                problems.append(Problem("type", .needsFirst(event.type.rawValue, names: names, stream: event.stream.description)))
            }
        }
        switch event.payload {
        case .institutionRelocated(let district, _):
            if district == facts.district {
                problems.append(Problem("data.district", .alreadyInDistrict(district)))
            }
        case .convertedToNonAcademic:
            if facts.category != .academic {
                problems.append(Problem("type", .notAcademic))
            }
        case .convertedToNonProfit:
            if !facts.forProfit {
                problems.append(Problem("type", .notForProfit))
            }
        case .rectificationOrdered(let notice, let deadline, _):
            if deadline < event.occurredOn {
                problems.append(Problem("data.deadline", .beforeOccurredOn(deadline, occurredOn: event.occurredOn)))
            }
            if facts.notices.contains(notice) {
                problems.append(Problem("data.notice_no", .noticeAlreadyIssued(notice)))
            }
        case .rectificationVerified(let notice, _):
            if !facts.notices.contains(notice) {
                problems.append(Problem("data.notice_no", .noticeUnknown(notice)))
            }
        case .penaltyImposed(let decision, _, _, _):
            if facts.penalties[decision] != nil {
                problems.append(Problem("data.decision_no", .penaltyDuplicate(decision)))
            }
        case .penaltyRevoked(let decision, _, _):
            switch facts.penalties[decision]?.revoked {
            case nil: problems.append(Problem("data.decision_no", .penaltyUnknown(decision)))
            case true?: problems.append(Problem("data.decision_no", .penaltyAlreadyRevoked(decision)))
            case false?: break
            }
        case .institutionClosed:
            if facts.closed {
                problems.append(Problem("type", .alreadyClosed))
            }
        case .institutionReopened:
            if !facts.closed {
                problems.append(Problem("type", .notClosed))
            }
        case .blacklisted(_, _, let until):
            if let until, until <= event.occurredOn {
                problems.append(Problem("data.until", .listingNotAfter(until, occurredOn: event.occurredOn)))
            }
            if let listing = facts.blacklist, listing.holds(on: event.occurredOn) {
                problems.append(Problem("type", .alreadyBlacklisted(since: listing.since, until: listing.until)))
            }
        case .unblacklisted:
            if let listing = facts.blacklist, !listing.holds(on: event.occurredOn) {
                problems.append(Problem("type", .listingEnded(listing.until?.description ?? "—")))
            } else if facts.blacklist == nil, facts.latest[.blacklisted] != nil {
                problems.append(Problem("type", .notBlacklisted))
            }
        case .delisted(let list, _):
            if !facts.lists.contains(list) {
                problems.append(Problem("data.list", .notOnList(list)))
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
                problems.append(Problem("data.window.from", .windowBeforePlan(plan.windowFrom, occurredOn: event.occurredOn)))
            }
        case .drawPerformed(let performed):
            if let earlier = facts.draw.performedOn {
                problems.append(Problem("type", .alreadyDrawn(earlier)))
            }
            if let planned = facts.draw.plannedOn, performed.beaconDate <= planned {
                problems.append(Problem("data.beacon_date", .beaconNotAfterPlan(performed.beaconDate, planned: planned)))
            }
            if performed.beaconDate > event.occurredOn {
                problems.append(Problem("data.beacon_date", .beaconAfterDraw(performed.beaconDate, occurredOn: event.occurredOn)))
            }
        case .drawResultsPublished:
            if let earlier = facts.draw.publishedOn {
                problems.append(Problem("type", .resultsAlreadyPublished(earlier)))
            }
        case .complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified,
             .complaintAnswered, .personalDataErased, .reporterViewed:
            problems += complaintProblems(event, facts, stream: stream)
        case .replySent(let reply, _):
            if let sent = facts.latest[.replySent] {
                problems.append(Problem("type", .replyAlreadySent(sent)))
            }
            // The reply named was produced for this proposal (`ledger reply --proposal`).
            if let issued = StreamName(category: .reply, key: reply).flatMap(stream), issued.facts.opened,
               issued.facts.proposal != event.stream.key {
                problems.append(Problem("data.reply", .replyForAnother(reply, produced: issued.facts.proposal, stream: event.stream.description, key: event.stream.key)))
            }
        }
        return problems
    }

    /// An inspection naming a draw (SPEC §11): of one of its targets, by one of the inspectors
    /// drawn for it (the event's actor), within its window.
    static func drawnInspectionProblems(_ event: Envelope, draw: String, stream: (StreamName) -> StreamState?) -> [Problem] {
        guard let name = StreamName(category: .draw, key: draw), let facts = stream(name)?.facts.draw, facts.plan != nil else { return [] }
        guard let performed = facts.performed, let plan = facts.plan else {
            return [Problem("data.draw", .notDrawnYet(name.description))]
        }
        var problems: [Problem] = []
        let institution = event.stream.key
        if let target = performed.targets.first(where: { $0.institution == institution }) {
            if !target.inspectors.contains(event.actor) {
                problems.append(Problem("actor", .inspectorNotDrawn(event.actor, stream: event.stream.description, draw: name.description, drawn: target.inspectors)))
            }
        } else {
            problems.append(Problem("data.draw", .notATarget(event.stream.description, draw: name.description)))
        }
        if event.occurredOn < plan.windowFrom {
            problems.append(Problem("occurred_on", .beforeWindow(event.occurredOn, draw: name.description, opens: plan.windowFrom)))
        }
        return problems
    }

    /// The rules of a complaint (SPEC §12) that its own stream and the streams it names decide.
    static func complaintProblems(_ event: Envelope, _ facts: StreamState.Facts, stream: (StreamName) -> StreamState?) -> [Problem] {
        let complaint = facts.complaint
        var problems: [Problem] = []
        func problem(_ field: String, _ reason: Reason) { problems.append(Problem(field, reason)) }
        switch event.payload {
        case .complaintAccepted, .complaintDeclined:
            if let accepted = facts.latest[.complaintAccepted] { problem("type", .complaintAlreadyAccepted(accepted)) }
            if let declined = facts.latest[.complaintDeclined] { problem("type", .complaintAlreadyDeclined(declined)) }
        case .complaintExtended:
            if complaint.extended { problem("type", .complaintAlreadyExtended) }
        case .complaintVerified(_, let operation, let caseKey):
            if let verified = facts.latest[.complaintVerified] { problem("type", .complaintAlreadyVerified(verified)) }
            if let operation, let name = StreamName(category: .operation, key: operation),
               let kind = stream(name)?.facts.operationKind, kind != .complaintCheck {
                problem("data.operation", .complaintWrongOperation(name.description, kind: kind.rawValue))
            }
            if let caseKey, let name = StreamName(category: .case, key: caseKey), let opened = stream(name)?.facts.procedure,
               opened.institution != nil, opened.source != .complaint || opened.sourceRef != event.stream.key {
                problem("data.case", .complaintCaseNotFromIt(name.description, key: event.stream.key))
            }
        case .personalDataErased:
            if !complaint.hasReporter { problem("type", .noReporterToErase) }
            else if complaint.erased { problem("type", .reporterAlreadyErased) }
        case .reporterViewed:
            if !complaint.hasReporter { problem("type", .noReporter) }
            else if complaint.erased { problem("type", .reporterErased) }
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
        func problem(_ field: String, _ reason: Reason) { problems.append(Problem(field, reason)) }
        if procedure.closed, event.type != .caseOpened { problem("type", .caseClosed) }
        switch event.payload {
        case .caseOpened(let opened):
            if opened.discoveredOn > day { problem("data.discovered_on", .discoveredAfter(opened.discoveredOn, day: day)) }
            let limit = WorkingCalendar.sameDay(24, monthsAfter: opened.violationOn)
            if opened.source == .complaint, let key = opened.sourceRef,
               StreamName(category: .complaint, key: key).flatMap(stream)?.facts.opened != true {
                problem("data.source_ref", .complaintMissing(key))
            }
            if opened.discoveredOn > limit {
                problem("data.discovered_on", .pastLimitation(opened.discoveredOn, violation: opened.violationOn, limit: limit))
            }
        case .penaltyNoticeServed:
            if let decision = procedure.decision { problem("type", .alreadyDecided(decision.decisionNo)) }
        case .hearingRequested:
            guard let notice = procedure.notice, let served = facts.latest[.penaltyNoticeServed] else { break }
            guard notice.hearingRight else {
                problem("type", .noHearingRight(served))
                break
            }
            switch calendar().workingDays(5, after: served) {
            case .on(let close) where day > close:
                problem("occurred_on", .pastHearingWindow(day, closed: close, served: served))
            case .unknown(let year):
                problem("occurred_on", .hearingWindowUnknown(year))
            default: break
            }
        case .hearingHeld(let presiding, _):
            if procedure.officers.contains(presiding) {
                problem("data.presiding", .presidingIsOfficer(presiding))
            }
        case .caseDecided(let decision):
            if let earlier = procedure.decision { problem("type", .alreadyDecided(earlier.decisionNo)) }
            guard decision.outcome == .penalty else { break }
            guard let notice = procedure.notice else {
                problem("type", .noNoticeServed)
                break
            }
            if facts.latest[.hearingRequested] != nil, !procedure.hearingHeld {
                problem("type", .hearingPending)
            }
            if let extra = decision.penalties.first(where: { !notice.proposed.contains($0) }) {
                problem("data.penalties", .penaltyNotProposed(extra.rawValue))
            }
        case .decisionServed:
            if procedure.decision?.outcome != .penalty {
                problem("type", .onlyPenaltyServed(procedure.decision?.outcome.rawValue ?? "not at all"))
            } else if let served = facts.latest[.decisionServed] {
                problem("type", .alreadyServed(served))
            }
        case .finePaid(let amount):
            guard let decision = procedure.decision, let institution = procedure.institution,
                  let served = facts.latest[.decisionServed] else { break }
            let name = StreamName(category: .institution, key: institution)
            guard let owed = name.flatMap(stream)?.facts.penalties[decision.decisionNo] else {
                problem("type", .noPenaltyToPay(institution, decision: decision.decisionNo))
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
                    problem("data.amount_fen", .overpaid(total: total, owed: owed.total, surcharge: surchargeTimes100 / 100, day: day, due: due))
                }
            case .unknown(let year):
                problem("data.amount_fen", .overpaidSurchargeUnknown(owed: owed.total, year: year))
            }
        case .reconsiderationFiled, .litigationFiled:
            if procedure.decision?.outcome != .penalty { problem("type", .onlyPenaltyAppealed) }
        case .appealDecided:
            if procedure.appealsPending <= 0 { problem("type", .noAppealPending) }
        default:
            break
        }
        return problems
    }

    static func voidProblems(target: String, state: StreamState) -> [Problem] {
        guard let entry = state.entry(id: target) else {
            return [Problem("data.event_id", .voidNotEarlier(target, stream: state.name.description))]
        }
        switch entry.type {
        case .institutionRegistered:
            return [Problem("data.event_id", .voidRegistration(target))]
        case .entryVoided:
            return [Problem("data.event_id", .voidVoid(target))]
        case .proposalReceived:
            return [Problem("data.event_id", .voidFirstEvent(target, what: "proposal"))]
        case .caseOpened:
            return [Problem("data.event_id", .voidFirstEvent(target, what: "case"))]
        case .caseDecided, .appealDecided:
            return [Problem("data.event_id", .voidDecision(target, type: entry.type.rawValue))]
        case .drawPlanned:
            return [Problem("data.event_id", .voidFirstEvent(target, what: "draw"))]
        case .drawPerformed:
            return [Problem("data.event_id", .voidDraw(target))]
        case .complaintReceived:
            return [Problem("data.event_id", .voidFirstEvent(target, what: "complaint"))]
        case .personalDataErased:
            return [Problem("data.event_id", .voidErasure(target))]
        case .reporterViewed:
            return [Problem("data.event_id", .voidReading(target))]
        default:
            if entry.voided { return [Problem("data.event_id", .voidAlreadyVoided(target))] }
            switch entry.payload {
            case .penaltyImposed(_, _, _, let caseKey?), .warningIssued(_, _, let caseKey?), .penaltyRevoked(_, _, let caseKey?):
                return [Problem("data.event_id", .voidCarriesDecision(target, key: caseKey))]
            default: break
            }
            // What a later live event requires stays until that one is voided first (SPEC §8).
            if let later = state.liveEntries(after: entry.id).first(where: { $0.type.requires.contains(entry.type) }) {
                return [Problem("data.event_id", .voidRequiredByLater(target, type: later.type.rawValue, id: later.id.lowercasedText))]
            }
            return []
        }
    }
}
