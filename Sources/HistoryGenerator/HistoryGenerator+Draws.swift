import EventStore
import Foundation
import Ledger

extension HistoryGenerator {
    /// A random inspection the simulation runs (SPEC §11): planned in a district, drawn with a
    /// beacon a few days later, its targets inspected by the inspectors drawn, its results
    /// published after the window.
    struct GeneratedDraw {
        var key: String
        var planID: UUID
        var plan: EventPayload.DrawPlan
        var pool: [String]
        var beacon: String
        var beaconDate: CalendarDate
        var targets: [Draw.Target] = []
        var inspected = 0
    }

    enum DrawStep {
        case perform, operation, inspect(Int), publish
    }

    /// How a line of a type that can change a pool ends (canonical JSON sorts `type` last).
    static let poolSuffixes = (DrawPool.types + [.entryVoided]).map { #""type":"\#($0.rawValue)"}"# }

    /// Folds a written line into the pool's mirror of the ledger when it can change a pool: the
    /// generator draws from the pool the ledger will compute, from the lines before the plan.
    mutating func mirror(_ text: String) {
        guard options.draws, Self.poolSuffixes.contains(where: text.hasSuffix),
              case .valid(let envelope) = Envelope.decode(Submission(text: text), configuration: .changzhou, today: options.end.adding(days: 3650)),
              envelope.stream.category == .institution
        else { return }
        poolStates[envelope.stream.key, default: StreamState(name: envelope.stream)].record(envelope)
        switch envelope.payload {
        case .institutionRegistered(let registered): poolDistricts[registered.district, default: []].insert(envelope.stream.key)
        case .institutionRelocated(let district, _): poolDistricts[district, default: []].insert(envelope.stream.key)
        default: break
        }
    }

    /// Twice a year from "双减" on, each district plans a draw of a tenth of its register.
    mutating func draws(on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        guard options.draws, date >= Self.policyStart, [4, 10].contains(date.month), date.day == 1 else { return }
        for district in options.districts {
            drawCount += 1
            let key = "\(seedTag)-\(date.year)\(date.month == 4 ? "A" : "B")-\(Self.areaCodes[district] ?? "320400")"
            let from = date.adding(days: 7)
            var plan = EventPayload.DrawPlan(
                district: district, matters: ["办学资质", "收费及预收费资金监管", "培训内容", "消防安全"].filter { _ in random.chance(0.7) } + ["办学资质"],
                filter: .init(), size: .ratio(10), inspectors: Array(Self.actors.shuffled(using: &random).prefix(4)),
                perTarget: 2, windowFrom: from, windowTo: from.adding(days: random.int(30...50)))
            plan.matters = Array(Set(plan.matters)).sorted()
            // Only institutions ever placed in the district can be in its pool.
            let pool = DrawPool.members(plan, on: date, streams: (poolDistricts[district] ?? []).compactMap { poolStates[$0] })
            guard !pool.isEmpty else { continue }
            if random.chance(0.3) {
                plan.recusals = [.init(inspector: plan.inspectors[0], institution: random.pick(pool))]
            }
            var data: [String: JSON] = [
                "district": .string(district), "matters": .array(plan.matters.map(JSON.string)), "ratio_percent": .integer(10),
                "inspectors": .array(plan.inspectors.map(JSON.string)), "per_target": .integer(2),
                "window": .object(["from": .string(plan.windowFrom.description), "to": .string(plan.windowTo.description)]),
            ]
            if !plan.recusals.isEmpty {
                data["recusals"] = .array(plan.recusals.map { .object(["inspector": .string($0.inspector), "institution": .string($0.institution)]) })
            }
            let (id, text) = line(stream: "draw-\(key)", type: .drawPlanned, on: date, data: data)
            try write(text, emit)
            let beaconDate = date.adding(days: 3)
            let issue = String(format: "%03d", (beaconDate.dayNumber - CalendarDate(year: beaconDate.year, month: 1, day: 1)!.dayNumber) + 1)
            drawList.append(GeneratedDraw(
                key: key, planID: UUID(text: id)!, plan: plan, pool: pool,
                beacon: "福彩3D \(beaconDate) 第\(beaconDate.year)\(issue)期 \(String(format: "%03d", random.int(0...999)))", beaconDate: beaconDate))
            let index = drawList.count - 1
            schedule(.draw(index, .perform), on: beaconDate.dayNumber)
            schedule(.draw(index, .operation), on: from.dayNumber)
        }
    }

    mutating func draw(_ index: Int, _ step: DrawStep, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        var draw = drawList[index]
        let stream = "draw-\(draw.key)"
        defer { drawList[index] = draw }
        switch step {
        case .perform:
            guard let targets = try? Draw.targets(draw.plan, planID: draw.planID, pool: draw.pool, beacon: draw.beacon) else { return }
            draw.targets = targets
            let (_, text) = line(stream: stream, type: .drawPerformed, on: date, data: [
                "beacon": .string(draw.beacon), "beacon_date": .string(draw.beaconDate.description),
                "targets": .array(targets.map(\.json)),
            ])
            try write(text, emit)
        case .operation:
            guard !draw.targets.isEmpty else { return }
            let (_, text) = line(stream: "operation-\(draw.key)", type: .operationConducted, on: date, data: [
                "district": .string(draw.plan.district ?? ""), "kind": .string(OperationKind.randomCheck.rawValue),
                "campaign": .string("双随机、一公开"), "inspectors": .integer(Int64(draw.plan.inspectors.count)),
            ])
            try write(text, emit)
            // Most targets within the window, one in ten after it; the results once all are in,
            // most within the 20 working days. (Today's agenda is under way: from tomorrow.)
            let end = max(draw.plan.windowTo.dayNumber, date.dayNumber + 1)
            for target in draw.targets.indices {
                schedule(.draw(index, .inspect(target)), on: random.chance(0.9) ? random.int((date.dayNumber + 1)...end) : end + random.int(1...30))
            }
            schedule(.draw(index, .publish), on: end + 31 + random.int(0...(random.chance(0.85) ? 0 : 20)))
        case .inspect(let target):
            let drawn = draw.targets[target]
            let (_, text) = line(stream: "institution-\(drawn.institution)", type: .institutionInspected, on: date, data: [
                "operation": .string(draw.key),
                "result": .string(random.chance(0.8) ? "compliant" : "issues_found"), "draw": .string(draw.key),
            ], actor: random.pick(drawn.inspectors))
            try write(text, emit)
            draw.inspected += 1
        case .publish:
            guard !draw.targets.isEmpty, draw.inspected == draw.targets.count else { return }
            let (_, text) = line(stream: stream, type: .drawResultsPublished, on: date, data: [
                "url": .string("https://jyj.changzhou.gov.cn/sjgk/\(draw.key).html"),
            ])
            try write(text, emit)
        }
    }
}
