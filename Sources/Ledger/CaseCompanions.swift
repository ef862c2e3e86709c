import EventStore

/// The rule of SPEC §9 that spans streams, checked over a whole append call: a penalty decision
/// comes with its companions on the institution's stream (a `PenaltyImposed` for a fine or a
/// confiscation, a `WarningIssued` for a warning, an `InstitutionClosed` for a revoked licence),
/// each with the same `occurred_on`, `decision_no` and `case`; a companion that names a case needs
/// that case decided with its `decision_no`, in the call or before; an appeal that revokes or
/// changes a decision comes with the `PenaltyRevoked` of its penalty (and, changed, the new
/// decision's companions). One call, one transaction: the streams never disagree.
struct CaseCompanions {
    /// An accepted event of the call that the rule concerns.
    struct Item {
        var line: Int?
        var id: String
        var stream: StreamName
        var occurredOn: CalendarDate
        var payload: EventPayload
        /// For an event of a case: the case's institution.
        var institution: String?
        /// For an appeal's outcome: the decision it ruled on.
        var appealed: EventPayload.CaseDecision?
    }

    var items: [Item] = []

    /// Whether the rule concerns `payload` at all.
    static func concerns(_ payload: EventPayload) -> Bool {
        switch payload {
        case .caseDecided, .appealDecided: true
        case .penaltyImposed(_, _, _, let key), .warningIssued(_, _, let key), .institutionClosed(_, let key),
             .penaltyRevoked(_, _, let key), .violationFound(_, _, _, let key):
            key != nil
        default: false
        }
    }

    /// The problems of each item, reading a case's procedure as it stands after the call
    /// (`procedure`, nil for a case the ledger does not hold).
    func problems(procedure: (String) -> CaseFacts?) -> [(Item, [Problem])] {
        var found: [(Item, [Problem])] = []
        func companion(_ matches: (Item) -> Bool) -> Bool { items.contains(where: matches) }

        for item in items {
            var problems: [Problem] = []
            switch item.payload {
            case .caseDecided(let decision) where decision.outcome == .penalty:
                let key = item.stream.key, number = decision.decisionNo
                let institution = "institution-\(item.institution ?? "?")"
                func sameCall(_ other: Item) -> Bool { other.stream.description == institution && other.occurredOn == item.occurredOn }
                let needs: [(Bool, String, (Item) -> Bool)] = [
                    (decision.penalties.contains(.fine) || decision.penalties.contains(.confiscation), "PenaltyImposed", { other in
                        if case .penaltyImposed(number, _, _, key?) = other.payload { sameCall(other) } else { false }
                    }),
                    (decision.penalties.contains(.warning), "WarningIssued", { other in
                        if case .warningIssued(_, number?, key?) = other.payload { sameCall(other) } else { false }
                    }),
                    (decision.penalties.contains(.licenseRevoked), "InstitutionClosed (reason license_revoked)", { other in
                        if case .institutionClosed(.licenseRevoked, key?) = other.payload { sameCall(other) } else { false }
                    }),
                ]
                for (needed, type, matches) in needs where needed && !companion(matches) {
                    problems.append(Problem("data.penalties", .decisionNeedsCompanion(type, institution: institution, number: number, key: key, day: item.occurredOn)))
                }
            case .appealDecided(let outcome, let newNumber) where outcome == .revoked || outcome == .changed:
                guard let appealed = item.appealed else { break }
                let key = item.stream.key
                if appealed.penalties.contains(.fine) || appealed.penalties.contains(.confiscation),
                   !companion({ if case .penaltyRevoked(appealed.decisionNo, _, key?) = $0.payload { true } else { false } }) {
                    problems.append(Problem("data.outcome", .appealNeedsRevocation(outcome.rawValue, decision: appealed.decisionNo, key: key)))
                }
                if outcome == .changed, let newNumber, !companion({ other in
                    switch other.payload {
                    case .penaltyImposed(newNumber, _, _, key?), .warningIssued(_, newNumber?, key?): true
                    default: false
                    }
                }) {
                    problems.append(Problem("data.decision_no", .changedDecisionNeedsCompanion(newNumber, key: key)))
                }
            case .penaltyImposed(let number, _, _, let key?), .warningIssued(_, let number?, let key?):
                problems += Self.companionProblems(item, case: key, number: number, procedure: procedure(key))
            case .institutionClosed(_, let key?):
                let decided = procedure(key)?.decision
                if decided?.penalties.contains(.licenseRevoked) != true {
                    problems.append(Problem("data.case", .noLicenceRevocation(key)))
                }
                problems += Self.institutionProblems(item, procedure(key))
            case .penaltyRevoked(let number, _, let key?):
                if !companion({ other in
                    if case .appealDecided(let outcome, _) = other.payload, other.stream.key == key, outcome == .revoked || outcome == .changed,
                       other.appealed?.decisionNo == number { true } else { false }
                }) {
                    problems.append(Problem("data.case", .revocationNeedsAppeal(key)))
                }
            case .violationFound(_, _, _, let key?):
                if procedure(key)?.closed == true { problems.append(Problem("data.case", .caseIsClosed(key))) }
                problems += Self.institutionProblems(item, procedure(key))
            default:
                break
            }
            if !problems.isEmpty { found.append((item, problems)) }
        }
        return found
    }

    /// A penalty or warning naming case `key` needs the case decided with `number` (or changed to it).
    static func companionProblems(_ item: Item, case key: String, number: String, procedure: CaseFacts?) -> [Problem] {
        var problems = institutionProblems(item, procedure)
        if procedure?.decision?.decisionNo != number {
            problems.append(Problem("data.decision_no", .noSuchDecision(key, number: number)))
        }
        return problems
    }

    /// An event naming a case is on the case's institution.
    static func institutionProblems(_ item: Item, _ procedure: CaseFacts?) -> [Problem] {
        guard let institution = procedure?.institution, item.stream.key != institution else { return [] }
        return [Problem("data.case", .caseConcernsAnother(institution, stream: item.stream.description))]
    }
}
