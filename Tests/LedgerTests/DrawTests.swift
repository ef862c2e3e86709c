import EventStore
import Foundation
import Ledger
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
}
