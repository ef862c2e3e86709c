import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

/// The draw of SPEC §11, pure: the test vector of the SPEC, the number stream, the sizes, the
/// recusals and the refusals.
@Suite struct DrawTests {
    static let planID = UUID(text: "00000000-0000-4000-8000-000000000011")!
    static let beacon = "福彩3D 2024-03-04 第2024058期 318"
    static let pool = (0...9).map { "9132040\($0)TESTKEY00\($0)" }

    static func plan(_ size: EventPayload.DrawPlan.Size = .count(3), perTarget: Int = 2,
                     inspectors: [String] = ["zhao.min", "li.na", "wang.fang", "chen.jing"],
                     recusals: [EventPayload.DrawPlan.Recusal] = [.init(inspector: "li.na", institution: "91320402TESTKEY002")]) -> EventPayload.DrawPlan {
        EventPayload.DrawPlan(
            district: nil, matters: ["办学资质"], size: size, inspectors: inspectors, perTarget: perTarget, recusals: recusals,
            windowFrom: CalendarDate("2024-03-05")!, windowTo: CalendarDate("2024-04-30")!)
    }

    @Test func theSpecsTestVector() throws {
        var numbers = Draw.Numbers(planID: Self.planID, beacon: Self.beacon)
        #expect(numbers.seed.map { String(format: "%02x", $0) }.joined() == "d625c191b38dbd65509e64542409cb48a816ad9d02222b404c308d83aa396efb")
        #expect([numbers.next(), numbers.next(), numbers.next()] == [9035262769381083522, 8310312834577363873, 4733791569580490930])
        let targets = try Draw.targets(Self.plan(), planID: Self.planID, pool: Self.pool.shuffled(), beacon: Self.beacon)
        #expect(targets == [
            Draw.Target(institution: "91320402TESTKEY002", inspectors: ["wang.fang", "chen.jing"]),
            Draw.Target(institution: "91320400TESTKEY000", inspectors: ["wang.fang", "li.na"]),
            Draw.Target(institution: "91320404TESTKEY004", inspectors: ["zhao.min", "wang.fang"]),
        ])
    }

    @Test func uniformOfOneStillConsumesANumberAndNothingIsBiased() {
        var a = Draw.Numbers(planID: Self.planID, beacon: Self.beacon), b = a
        #expect(a.uniform(1) == 0)
        _ = b.next()
        #expect(a.next() == b.next())
        // Powers of two accept every number; others reject those at or above ⌊2^64/m⌋·m.
        var c = Draw.Numbers(planID: Self.planID, beacon: Self.beacon)
        #expect(c.uniform(8) == Int(9035262769381083522 % 8))
        for m in [2, 3, 7, 10, 1_000, Int(Int32.max)] {
            var numbers = Draw.Numbers(planID: Self.planID, beacon: "m\(m)")
            for _ in 0..<50 { #expect((0..<m).contains(numbers.uniform(m))) }
        }
    }

    @Test func aRatioRoundsUpAndNeverExceedsThePool() {
        #expect(Draw.targetCount(Self.plan(.ratio(10)), poolSize: 31) == 4)
        #expect(Draw.targetCount(Self.plan(.ratio(100)), poolSize: 31) == 31)
        #expect(Draw.targetCount(Self.plan(.count(50)), poolSize: 31) == 31)
        #expect(Draw.targetCount(Self.plan(.ratio(1)), poolSize: 0) == 0)
    }

    @Test func tooFewInspectorsOrTooManyTargetsAreRefused() {
        let recused = Self.plan(perTarget: 4)
        #expect(throws: Draw.Failure.tooFewInspectors(institution: "91320402TESTKEY002", eligible: 3, needed: 4)) {
            try Draw.targets(recused, planID: Self.planID, pool: Self.pool, beacon: Self.beacon)
        }
        let big = (0..<1_001).map { String(format: "K%05d", $0) }
        #expect(throws: Draw.Failure.tooManyTargets(1_001)) {
            try Draw.targets(Self.plan(.ratio(100), recusals: []), planID: Self.planID, pool: big, beacon: Self.beacon)
        }
    }

    @Test func aDifferenceIsNamedByItsPlace() {
        let a = Draw.Target(institution: "A", inspectors: ["x", "y"]), b = Draw.Target(institution: "B", inspectors: ["x", "y"])
        #expect(Draw.difference([a, a], [a, b]) == "target 2 is A (x, y), expected B (x, y)")
        #expect(Draw.difference([a], [a, b]) == "1 targets are given, expected 2")
        #expect(Draw.difference([a, b], [a, b]) == nil)
    }

    /// `ops/verify-draw`, Python's standard library only, draws what the ledger draws: 100 plans
    /// of every shape (counts and ratios, Chinese names sorted by their bytes, recusals).
    @Test func theIndependentVerifierAgreesOnAHundredDraws() throws {
        var random = SystemRandomNumberGenerator()
        let names = ["zhao.min", "li.na", "王芳", "陈静", "wang.fang", "Chen.Jing", "刘洋", "_x", "黄涛"]
        var draws: [(EventPayload.DrawPlan, UUID, [String], String)] = []
        for index in 0..<100 {
            let pool = (0..<Int.random(in: 1...60, using: &random)).map { _ in "9132\(Int.random(in: 0...999_999, using: &random))K\(index)" }
            let inspectors = Array(names.shuffled(using: &random).prefix(Int.random(in: 2...names.count, using: &random)))
            let perTarget = Int.random(in: 2...min(3, inspectors.count), using: &random)
            let recusals: [EventPayload.DrawPlan.Recusal] = inspectors.count > perTarget
                ? pool.filter { _ in Bool.random(using: &random) }.map { .init(inspector: inspectors.randomElement(using: &random)!, institution: $0) } : []
            let size: EventPayload.DrawPlan.Size = Bool.random(using: &random)
                ? .count(Int.random(in: 1...70, using: &random)) : .ratio(Int.random(in: 1...100, using: &random))
            draws.append((Self.plan(size, perTarget: perTarget, inspectors: inspectors, recusals: recusals), UUID(), Array(Set(pool)),
                          "福彩3D 第\(index)期 \(Int.random(in: 0...999, using: &random))"))
        }
        let input = JSON.array(draws.map { plan, id, pool, beacon in
            var members: [String: JSON] = [
                "plan_id": .string(id.lowercasedText), "beacon": .string(beacon), "pool": .array(pool.map(JSON.string)),
                "inspectors": .array(plan.inspectors.map(JSON.string)), "per_target": .integer(Int64(plan.perTarget)),
                "recusals": .array(plan.recusals.map { .object(["inspector": .string($0.inspector), "institution": .string($0.institution)]) }),
            ]
            switch plan.size {
            case .count(let n): members["count"] = .integer(Int64(n))
            case .ratio(let p): members["ratio_percent"] = .integer(Int64(p))
            }
            return .object(members)
        })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("draws-\(UUID()).json")
        try input.canonicalText.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, bytes) = try runProcess("/usr/bin/env", ["python3", TestDatabase.root.appendingPathComponent("ops/verify-draw").path, "--json", file.path])
        #expect(status == 0)
        guard case .array(let results) = try JSONParser.parse(Array(bytes)) else {
            Issue.record("the verifier printed no list")
            return
        }
        #expect(results.count == 100)
        for ((plan, id, pool, beacon), result) in zip(draws, results) {
            let ours = try Draw.targets(plan, planID: id, pool: pool, beacon: beacon)
            func items(_ value: JSON?) -> [JSON] { if case .array(let items)? = value { items } else { [] } }
            let theirs = items(result).map { Draw.Target(institution: $0["institution"]?.stringValue ?? "", inspectors: items($0["inspectors"]).compactMap(\.stringValue)) }
            #expect(theirs == ours, "plan \(id), beacon \(beacon)")
        }
    }
}
