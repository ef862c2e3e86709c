import EventStore
import Foundation
import Postgres

/// The pool of a draw (SPEC §11): every institution that, in the ledger as it stood when the plan
/// was appended, is registered and not closed on the plan's `occurred_on`, in the plan's district
/// (any when absent), matching every field of its filter; sorted by key. Later entries cannot
/// change it.
public enum DrawPool {
    /// The types whose events decide whether an institution is in a pool.
    public static let types: [EventType] = [
        .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
        .institutionClosed, .institutionReopened,
    ]

    /// Whether an institution with `facts` on the plan's day is in the pool of `plan`.
    public static func admits(_ facts: StreamState.Facts, _ plan: EventPayload.DrawPlan) -> Bool {
        guard facts.opened, !facts.closed, plan.district.map({ $0 == facts.district }) ?? true else { return false }
        let filter = plan.filter
        return (filter.category.map { $0 == facts.category } ?? true)
            && (filter.licensed.map { $0 == facts.licensed } ?? true)
            && (filter.specialty.map { $0 == facts.specialty } ?? true)
    }

    /// The pool from the institutions' streams (their live events of ``types`` at least, each
    /// stream in version order), sorted as SPEC §11 sorts: the Swift twin of ``read(_:on:planPosition:_:)``
    /// for a history not yet in a ledger (the generator's), held equal to it by `FoldEqualityTests`.
    public static func members(_ plan: EventPayload.DrawPlan, on day: CalendarDate, streams: [StreamState]) -> [String] {
        Draw.sorted(streams.filter { admits($0.facts(on: day), plan) }.map(\.name.key))
    }

    /// The pool of `plan`, made on `day` and appended at `position`, from the ledger: folded in
    /// the database (`ledger.draw_pool`, db/functions), which returns only the members' keys.
    public static func read(_ plan: EventPayload.DrawPlan, on day: CalendarDate, planPosition position: Int64, _ connection: Connection) throws -> [String] {
        let filter = plan.filter
        let keys = try connection.execute("""
            SELECT ledger.draw_pool(\(position), \(day.description)::date, \(plan.district), \(filter.category?.rawValue),
                                    \(filter.licensed), \(filter.specialty?.rawValue)) AS key
            """).compactMap { $0["key"] }
        return Draw.sorted(keys)
    }
}

/// A draw as the ledger holds it: its plan (with the event's id, day, position and when it was
/// recorded), its pool, and the draw recorded, if any.
public struct RecordedDraw: Sendable {
    public var key: String
    public var plan: EventPayload.DrawPlan
    public var planID: UUID
    public var plannedOn: CalendarDate
    public var planPosition: Int64
    /// The local day the plan was recorded: a beacon published after it makes the draw verifiable.
    public var planRecordedOn: CalendarDate
    public var pool: [String]
    public var performed: EventPayload.DrawPerformed?
    public var performedOn: CalendarDate?
    /// The targets inspected so far (live inspections naming the draw).
    public var inspected: Set<String> = []
    public var publishedOn: CalendarDate?

    /// Whether the beacon was published after the plan was recorded (SPEC §11): a draw back-filled
    /// later is accepted, but nobody can show its targets were not chosen.
    public var verifiable: Bool? { performed.map { $0.beaconDate > planRecordedOn } }

    /// Draws the plan with `beacon`: the `DrawPerformed` line to append, and the draw as it stands
    /// once that line is in (without reading the pool again).
    public func performing(
        beacon: String, beaconDate: String, occurredOn: String, actor: String
    ) throws(Draw.Failure) -> (line: String, drawn: RecordedDraw) {
        let targets = try expected(beacon: beacon)
        var drawn = self
        // Dates that do not read leave it undrawn here; the append refuses the line anyway.
        if let day = CalendarDate(beaconDate), let performedOn = CalendarDate(occurredOn) {
            drawn.performed = .init(beacon: beacon, beaconDate: day, targets: targets)
            drawn.performedOn = performedOn
        }
        let line = Draw.performedLine(
            key: key, beacon: beacon, beaconDate: beaconDate, targets: targets, occurredOn: occurredOn, actor: actor)
        return (line, drawn)
    }

    /// The draw the plan, pool and beacon give.
    public func expected(beacon: String) throws(Draw.Failure) -> [Draw.Target] {
        try Draw.targets(plan, planID: planID, pool: pool, beacon: beacon)
    }

    /// `draw-<key>` as the ledger holds it now; nil when it holds no plan of that key.
    public static func read(_ key: String, configuration: LedgerConfiguration, _ connection: Connection) throws -> RecordedDraw? {
        guard let name = StreamName(category: .draw, key: key) else { return nil }
        let events = try EventStore().events(inStreams: [name.description], connection)
        guard let planned = events.first(where: { $0.type == EventType.drawPlanned.rawValue }),
              case .valid(.drawPlanned(let plan)) = EventPayload.decode(.drawPlanned, planned.data, configuration: configuration) else { return nil }
        var draw = RecordedDraw(
            key: key, plan: plan, planID: planned.id, plannedOn: planned.occurredOn, planPosition: planned.position,
            planRecordedOn: try localDay(of: planned.recordedAt, configuration), pool: [])
        draw.pool = try DrawPool.read(plan, on: planned.occurredOn, planPosition: planned.position, connection)
        if let event = events.first(where: { $0.type == EventType.drawPerformed.rawValue }),
           case .valid(.drawPerformed(let performed)) = EventPayload.decode(.drawPerformed, event.data, configuration: configuration) {
            draw.performed = performed
            draw.performedOn = event.occurredOn
        }
        draw.publishedOn = events.last { $0.type == EventType.drawResultsPublished.rawValue }?.occurredOn
        draw.inspected = try inspected(key, connection)
        return draw
    }

    /// The institutions a live inspection names `draw-<key>` for.
    public static func inspected(_ key: String, _ connection: Connection) throws -> Set<String> {
        Set(try connection.execute("""
            SELECT DISTINCT substr(stream, length('institution-') + 1) AS key FROM ledger.live_events(\(Int64.max))
             WHERE type = \(type: .institutionInspected) AND data ? 'draw' AND data ->> 'draw' = \(key)
            """).compactMap { $0["key"] })
    }

    /// The seed of the draw with `beacon`, hex.
    public func seed(beacon: String) -> String {
        Draw.Numbers(planID: planID, beacon: beacon).seed.map { String(format: "%02x", $0) }.joined()
    }

    /// What anyone needs to re-run the draw without the ledger (`ops/verify-draw`): the plan's id
    /// and its terms, the pool, the beacon; and what the ledger recorded, to compare.
    public var published: JSON {
        var members: [String: JSON] = [
            "draw": .string(key), "plan_id": .string(planID.lowercasedText), "planned_on": .string(plannedOn.description),
            "district": plan.district.map(JSON.string) ?? .null, "matters": .array(plan.matters.map(JSON.string)),
            "inspectors": .array(plan.inspectors.map(JSON.string)), "per_target": .integer(Int64(plan.perTarget)),
            "recusals": .array(plan.recusals.map { .object(["inspector": .string($0.inspector), "institution": .string($0.institution)]) }),
            "window": .object(["from": .string(plan.windowFrom.description), "to": .string(plan.windowTo.description)]),
            "pool": .array(pool.map(JSON.string)), "pool_size": .integer(Int64(pool.count)),
            "verifiable": verifiable.map(JSON.bool) ?? .null,
        ]
        switch plan.size {
        case .count(let count): members["count"] = .integer(Int64(count))
        case .ratio(let percent): members["ratio_percent"] = .integer(Int64(percent))
        }
        if let performed {
            members["beacon"] = .string(performed.beacon)
            members["beacon_date"] = .string(performed.beaconDate.description)
            members["seed"] = .string(seed(beacon: performed.beacon))
            members["targets"] = .array(performed.targets.map { target in
                guard case .object(var fields) = target.json else { return target.json }
                fields["inspected"] = .bool(inspected.contains(target.institution))
                return .object(fields)
            })
        }
        return .object(members)
    }

    /// The day, in the ledger's time zone, of a `recorded_at` (ISO 8601 in UTC).
    static func localDay(of recordedAt: String, _ configuration: LedgerConfiguration) throws -> CalendarDate {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let instant = formatter.date(from: recordedAt) else { throw LedgerError("recorded_at \(recordedAt) does not read") }
        return CalendarDate.today(in: configuration.timeZone, now: instant)
    }
}
