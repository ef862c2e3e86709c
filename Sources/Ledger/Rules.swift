/// The rules that depend on the ledger's state (SPEC §2), checked against the stream as appended
/// so far and against the streams an event refers to.
public enum Rules {
    /// Every problem with appending `event` to a stream in `state`. `streamExists` answers for the
    /// streams the event refers to (an inspection's operation, a bulletin's institutions).
    public static func check(
        _ event: Envelope, against state: StreamState, streamExists: (StreamName) -> Bool
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
        case .penaltyImposed(let decision, _, _):
            if facts.penalties[decision] != nil {
                problems.append(Problem("data.decision_no", "penalty decision \(decision) is already recorded for this institution"))
            }
        case .penaltyRevoked(let decision, _):
            switch facts.penalties[decision] {
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
        case .delisted(let list, _):
            if !facts.lists.contains(list) {
                problems.append(Problem("data.list", "the institution is not on the list '\(list)'"))
            }
        case .entryVoided(let target, _):
            problems += voidProblems(target: target, state: state)
        case .institutionRegistered, .institutionAmended, .fundCustodyEnrolled, .guidancePriceAdopted,
             .interviewHeld, .violationFound, .warningIssued, .whitelisted, .operationConducted, .replyIssued,
             .calendarPublished, .proposalReceived, .proposerContacted, .proposerFeedback, .institutionInspected,
             .bulletinPublished:
            break
        case .replySent:
            if let sent = facts.latest[.replySent] {
                problems.append(Problem("type", "a reply to this proposal was already sent on \(sent)"))
            }
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
        default:
            if entry.voided { return [Problem("data.event_id", "\(target) is already voided")] }
            // What a later live event requires stays until that one is voided first (SPEC §8).
            if let later = state.liveEntries(after: entry.id).first(where: { $0.type.requires.contains(entry.type) }) {
                return [Problem("data.event_id", "\(target) is required by the later \(later.type.rawValue) \(later.id.lowercasedText); void that first")]
            }
            return []
        }
    }
}
