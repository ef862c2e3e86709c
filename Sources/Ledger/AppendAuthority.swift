/// Who is appending, and where they may: the check an API makes for a signed-in inspector.
///
/// The append path applies it to each event before the rules, against the same stream state the
/// rules read (under the same optimistic or locked check), so an event outside the caller's
/// district is refused and nothing of the call is appended.
public struct AppendAuthority: Sendable, Equatable {
    /// The only `actor` the caller may record events as.
    public var actor: String
    /// The district whose institutions, operations and bulletins the caller may record events
    /// for; nil for the whole city.
    public var district: String?

    public init(actor: String, district: String?) {
        self.actor = actor
        self.district = district
    }

    /// Why `envelope` is outside this authority, or nil when it is within.
    func problems(_ envelope: Envelope, _ state: StreamState) -> [Problem] {
        var problems: [Problem] = []
        if envelope.actor != actor {
            problems.append(Problem("actor", "events are recorded as the signed-in user '\(actor)', not as '\(envelope.actor)'; leave actor out", kind: .forbidden))
        }
        guard let own = district else { return problems }
        let streamDistrict: String?
        if state.version > 0 {
            streamDistrict = state.facts.district
        } else if case .some(let created) = envelope.payload.createdDistrict {
            streamDistrict = created
        } else {
            return problems  // not a stream's first event: the rules reject it
        }
        if streamDistrict != own {
            let whose = streamDistrict.map { "is in \($0)" } ?? "belongs to the whole city"
            problems.append(Problem("stream", "\(envelope.stream) \(whose); you record events for \(own) only", kind: .forbidden))
        }
        return problems
    }
}

extension EventPayload {
    /// The district a stream's first event gives it (nil for a city-level bulletin, and for
    /// events that do not start a stream).
    var createdDistrict: String?? {
        switch self {
        case .institutionRegistered(let registered): registered.district
        case .operationConducted(let operation): operation.district
        case .bulletinPublished(_, let district, _): .some(district)
        default: nil
        }
    }
}
