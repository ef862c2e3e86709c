import EventStore

/// Who is appending, and where they may: the check an API makes for a signed-in user.
///
/// The append path applies it to each event before the rules, against the same stream state the
/// rules read (under the same optimistic or locked check), so an event outside the caller's
/// authority is refused and nothing of the call is appended.
///
/// A district is scoped the way the figures count (SPEC §3): an event by the district its
/// institution is in on the event's `occurred_on`, in (occurred_on, version) order, late entries
/// included; a relocation, or the void of one, by both districts it moves figures between; a
/// bulletin by its own district and that of every institution it names on its date.
public struct AppendAuthority: Sendable, Equatable {
    /// The only `actor` the caller may record events as.
    public var actor: String
    /// The district whose figures the caller may change; nil for the whole city.
    public var district: String?
    /// The categories of stream the caller records; nil for every one staff record.
    public var categories: Set<StreamCategory>?

    public init(actor: String, district: String?, categories: Set<StreamCategory>? = nil) {
        self.actor = actor
        self.district = district
        self.categories = categories
    }

    /// Why `envelope` is outside this authority, or nil when it is within. `stream` gives the
    /// state of another stream the event names (a bulletin's institutions), when it is loaded.
    func problems(_ envelope: Envelope, _ state: StreamState, stream: (String) -> StreamState?) -> [Problem] {
        var problems: [Problem] = []
        if envelope.actor != actor {
            problems.append(Problem("actor", .actorIsSignedInUser(actor, given: envelope.actor), kind: .forbidden))
        }
        let category = envelope.stream.category
        guard category.isRecordedByStaff else {
            problems.append(Problem("stream", .writtenByLedger(category.rawValue), kind: .forbidden))
            return problems
        }
        if let categories, !categories.contains(category) {
            problems.append(Problem("stream", .outsideCategories(categories.map { "\($0.rawValue)-" }.sorted().joined(separator: ", "), stream: envelope.stream.description), kind: .forbidden))
            return problems
        }
        guard let own = district else { return problems }
        if let outside = Self.scopes(envelope, state, stream: stream).first(where: { $0.district != own }) {
            problems.append(Problem(outside.field, .outsideDistrict(outside.reason, own: own), kind: .forbidden))
        }
        return problems
    }

    /// A district an event changes the figures of, and why.
    struct Scope {
        var district: String?
        var field = "stream"
        var reason: Reason
    }

    /// Every district whose figures `envelope` changes. Empty where the rules reject the event
    /// anyway (a first event that does not open its stream, a void of no event).
    static func scopes(_ envelope: Envelope, _ state: StreamState, stream: (String) -> StreamState?) -> [Scope] {
        let name = envelope.stream
        // A case counts where its institution is on the event's date (SPEC §9: the institution's
        // district on the CaseOpened date for its figures; each step by the same institution).
        if name.category == .case {
            var institution = state.facts.procedure.institution
            if case .caseOpened(let opened) = envelope.payload { institution = opened.institution }
            guard let institution, let stream = stream("institution-\(institution)") else {
                return [Scope(district: nil, reason: .scopeInstitutionMissing(name.description))]
            }
            let district = stream.district(on: envelope.occurredOn)
            return [Scope(district: district, reason: .scopeConcerns(name.description, institution: institution, district: district, day: envelope.occurredOn))]
        }
        switch envelope.payload {
        case .bulletinPublished(_, let district, let exposed):
            return bulletinScopes(name, district: district, exposed: exposed, on: envelope.occurredOn, stream: stream)
        case .entryVoided(let target, _):
            guard let entry = state.entry(id: target) else { return [] }
            if case .bulletinPublished(_, let district, let exposed)? = entry.payload {
                return bulletinScopes(name, district: district, exposed: exposed, on: entry.occurredOn, stream: stream)
            }
            // The voided event leaves the figures of the district it counted in; a voided
            // relocation moves the stream's later events back to the district before it.
            let with = state.district(on: entry.occurredOn), without = state.district(on: entry.occurredOn, excluding: entry.id)
            return [
                Scope(district: with, reason: .scopeVoidedCounts(entry.type.rawValue, day: entry.occurredOn, district: with)),
                Scope(district: without, reason: .scopeVoidMoves(name.description, district: without, day: entry.occurredOn)),
            ]
        default:
            guard state.version > 0 || envelope.payload.districtSet != nil else { return [] }
            let before = state.version > 0 ? state.district(on: envelope.occurredOn) : nil
            let after = envelope.payload.districtSet ?? before
            var scopes = [Scope(district: after, reason: .scopeIsIn(name.description, district: after, day: envelope.occurredOn))]
            if state.version > 0, before != after {
                scopes.append(Scope(district: before, reason: .scopeUntilRelocation(name.description, district: before, day: envelope.occurredOn)))
            }
            return scopes
        }
    }

    static func bulletinScopes(
        _ name: StreamName, district: String?, exposed: [String], on day: CalendarDate, stream: (String) -> StreamState?
    ) -> [Scope] {
        var scopes = [Scope(district: district, reason: .scopeBulletin(name.description, district: district))]
        for (index, key) in exposed.enumerated() {
            // A named institution that does not exist is the rules' to reject.
            guard let institution = stream("institution-\(key)"), institution.version > 0 else { continue }
            let location = institution.district(on: day)
            scopes.append(Scope(
                district: location, field: "data.exposed[\(index)]",
                reason: .scopeNamesInstitution(key, district: location, day: day)))
        }
        return scopes
    }
}

extension EventPayload {
    /// The district this event puts its stream in from its `occurred_on` (nil for a city-level
    /// bulletin); nil for events that leave the district as it is.
    var districtSet: String?? {
        switch self {
        case .institutionRegistered(let registered): registered.district
        case .institutionRelocated(let district, _): district
        case .operationConducted(let operation): operation.district
        case .bulletinPublished(_, let district, _): .some(district)
        case .proposalReceived(let received): .some(received.district)
        case .drawPlanned(let plan): .some(plan.district)
        case .complaintReceived(let received): .some(received.district)
        default: nil
        }
    }
}
