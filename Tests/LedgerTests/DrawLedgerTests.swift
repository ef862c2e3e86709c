import EventStore
import Foundation
import HistoryGenerator
import Ledger
import Postgres
import TestSupport
import Testing

/// Draws in the ledger (SPEC §11): the pool as the ledger stood when the plan was appended, the
/// draw recomputed on append, a forged or second draw and a void refused, inspections of the
/// targets by the inspectors drawn, results published once every target was inspected.
@Suite struct DrawLedgerTests {
    static let plan = #"{"district":"天宁区","matters":["办学资质","消防安全"],"filter":{"category":"academic"},"count":3,"inspectors":["zhao.min","li.na","wang.fang","chen.jing"],"per_target":2,"recusals":[{"inspector":"li.na","institution":"TN-A"}],"window":{"from":"2024-03-05","to":"2024-04-30"}}"#
    static let beacon = "福彩3D 2024-03-04 第2024058期 318"

    /// A ledger with institutions in and out of the pool of a 天宁区 plan made on 2024-03-01.
    func ledger(_ label: String) throws -> (LedgerHarness, planID: String) {
        let ledger = try LedgerHarness(label)
        let planID = Events.newID()
        let nonAcademic = #"{"name":"非学科","district":"天宁区","category":"non_academic","specialty":"arts","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#
        try ledger.append([
            Events.registered("TN-A", on: "2024-01-01"),
            Events.registered("TN-B", on: "2024-01-01"),
            Events.line("institution-TN-B", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2024-02-01"),
            Events.registered("ZL-C", district: "钟楼区", on: "2024-01-01"),
            Events.line("institution-ZL-C", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2024-02-15"),
            Events.registered("TN-D", on: "2024-02-20"),
            Events.registered("TN-E", on: "2024-03-10"),  // after the plan's day
            Events.line("institution-TN-F", "InstitutionRegistered", nonAcademic, on: "2024-01-01"),
            Events.registered("TN-G", on: "2024-01-01"),
            Events.registered("ZL-H", district: "钟楼区", on: "2024-01-01"),
            Events.registered("TN-I", on: "2024-01-01"),
            Events.line("draw-D1", "DrawPlanned", Self.plan, id: planID, on: "2024-03-01"),
            // Recorded after the plan: a closure of G dated before it changes nothing of the pool.
            Events.line("institution-TN-G", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2024-02-10"),
        ])
        return (ledger, planID)
    }

    func targets(_ ledger: LedgerHarness) throws -> [Draw.Target] {
        let draw = try #require(try RecordedDraw.read("D1", configuration: .changzhou, ledger.database.connect()))
        return try draw.expected(beacon: Self.beacon)
    }

    static func performed(_ targets: [Draw.Target], beacon: String = beacon, on date: String = "2024-03-04", id: String = Events.newID()) -> String {
        let list = targets.map { target in
            #"{"institution":"\#(target.institution)","inspectors":[\#(target.inspectors.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        }.joined(separator: ",")
        return Events.line("draw-D1", "DrawPerformed", #"{"beacon":"\#(beacon)","beacon_date":"2024-03-04","targets":[\#(list)]}"#, id: id, on: date)
    }

    @Test func thePoolIsTheRegisterAsTheLedgerStoodWhenThePlanWasAppended() throws {
        let (ledger, planID) = try ledger("draw_pool")
        let draw = try #require(try RecordedDraw.read("D1", configuration: .changzhou, ledger.database.connect()))
        // B closed, E registered after the plan's day, F not academic, H in 钟楼区; C moved in,
        // D registered before the day; G's closure was recorded after the plan.
        #expect(draw.pool == ["TN-A", "TN-D", "TN-G", "TN-I", "ZL-C"])
        #expect(draw.planID.lowercasedText == planID)
        #expect(try targets(ledger) == (try Draw.targets(draw.plan, planID: draw.planID, pool: draw.pool, beacon: Self.beacon)))
        #expect(draw.verifiable == nil)
    }

    @Test func theLedgerRecomputesEveryDrawAndRefusesAForgedOne() throws {
        let (ledger, _) = try ledger("draw_forged")
        let expected = try targets(ledger)
        var forged = expected
        forged[0].institution = expected[0].institution == "TN-I" ? "TN-A" : "TN-I"
        let before = try ledger.count()
        let rejected = try #require(try ledger.rejection([Self.performed(forged)]))
        #expect(rejected.description.contains("data.targets: the draw does not match the plan and beacon: target 1 is \(forged[0].institution)"))
        #expect(rejected.description.contains("expected \(expected[0].institution)"))
        // Another beacon gives another draw: the one given must be that beacon's.
        #expect(try ledger.rejection([Self.performed(expected, beacon: "福彩3D 2024-03-04 第2024058期 319")]) != nil)
        #expect(try ledger.count() == before)

        let drawID = Events.newID()
        try ledger.append([Self.performed(expected, id: drawID)])
        let draw = try #require(try RecordedDraw.read("D1", configuration: .changzhou, ledger.database.connect()))
        #expect(draw.performed?.targets == expected)
        #expect(draw.verifiable == false)  // the beacon of 2024 predates the plan's recording today

        // Drawn once; never voided.
        let again = try #require(try ledger.rejection([Self.performed(expected, on: "2024-03-05")]))
        #expect(again.description.contains("a plan is drawn once"))
        let void = try #require(try ledger.rejection([Events.line("draw-D1", "EntryVoided", #"{"event_id":"\#(drawID)","reason":"x"}"#, on: "2024-03-06")]))
        #expect(void.description.contains("a draw is never voided"))
        #expect(try ledger.count() == before + 1)
    }

    @Test func inspectionsNamingTheDrawAreOfItsTargetsByTheirInspectors() throws {
        let (ledger, _) = try ledger("draw_inspections")
        try ledger.append([Events.operation("OP-1", on: "2024-03-06")])
        let early = try #require(try ledger.rejection([
            Events.line("institution-TN-A", "InstitutionInspected", #"{"operation":"OP-1","result":"compliant","draw":"D1"}"#, on: "2024-03-06"),
        ]))
        #expect(early.description.contains("draw-D1 has not been drawn yet"))
        let targets = try targets(ledger)
        try ledger.append([Self.performed(targets)])
        let outsider = Set(["TN-A", "TN-D", "TN-G", "TN-I", "ZL-C"]).subtracting(targets.map(\.institution)).sorted().first!
        func inspection(_ institution: String, by actor: String, on date: String = "2024-03-06", result: String = "compliant") -> String {
            Events.line("institution-\(institution)", "InstitutionInspected", #"{"operation":"OP-1","result":"\#(result)","draw":"D1"}"#, on: date, actor: actor)
        }
        let first = targets[0]
        let notTarget = try #require(try ledger.rejection([inspection(outsider, by: first.inspectors[0])]))
        #expect(notTarget.description.contains("institution-\(outsider) is not a target of draw-D1"))
        let stranger = ["zhao.min", "li.na", "wang.fang", "chen.jing"].first { !first.inspectors.contains($0) }!
        let wrongActor = try #require(try ledger.rejection([inspection(first.institution, by: stranger)]))
        #expect(wrongActor.description.contains("actor: \(stranger) was not drawn to inspect institution-\(first.institution) in draw-D1"))
        let beforeWindow = try #require(try ledger.rejection([inspection(first.institution, by: first.inspectors[0], on: "2024-03-04")]))
        #expect(beforeWindow.description.contains("before draw-D1's window opens on 2024-03-05"))

        // Published only once every target was inspected.
        let published = Events.line("draw-D1", "DrawResultsPublished", #"{"url":"https://jyj.changzhou.gov.cn/draws/D1"}"#, on: "2024-05-06")
        try ledger.append(targets.dropLast().map { inspection($0.institution, by: $0.inspectors[1]) })
        let early2 = try #require(try ledger.rejection([published]))
        #expect(early2.description.contains("institution-\(targets.last!.institution) is not inspected yet"))
        try ledger.append([inspection(targets.last!.institution, by: targets.last!.inspectors[0], result: "issues_found"), published])
        #expect(try ledger.count(stream: "draw-D1") == 3)
    }

    @Test func aPlanAndItsDrawInOneImportAreCheckedAsOne() throws {
        let ledger = try LedgerHarness("draw_one_import")
        let planID = Events.newID()
        let lines = [Events.registered("TN-A", on: "2024-01-01"), Events.registered("TN-D", on: "2024-01-01"),
                     Events.registered("TN-I", on: "2024-01-01"), Events.registered("TN-J", on: "2024-01-01"),
                     Events.line("draw-D1", "DrawPlanned", Self.plan, id: planID, on: "2024-03-01")]
        let plan = try #require({ () -> EventPayload.DrawPlan? in
            if case .valid(.drawPlanned(let plan)) = EventPayload.decode(.drawPlanned, try JSONParser.parse(Array(Self.plan.utf8)), configuration: .changzhou) { return plan }
            return nil
        }())
        let expected = try Draw.targets(plan, planID: UUID(text: planID)!, pool: ["TN-A", "TN-D", "TN-I", "TN-J"], beacon: Self.beacon)
        try ledger.append(lines + [Self.performed(expected)])
        #expect(try ledger.count(stream: "draw-D1") == 2)
    }

    /// The generator draws from the pool the ledger will compute: a history with draws imports
    /// whole (each draw recomputed on the way in), and every draw verifies afterwards.
    @Test func aGeneratedHistorysDrawsAreTheLedgersOwn() throws {
        let ledger = try LedgerHarness("draw_generated")
        try ledger.append(try TestDatabase.shippedCalendars().filter { !$0.contains(#""stream":"calendar-2026""#) })
        var options = HistoryGenerator.Options(seed: 5, institutions: 300)
        options.draws = true
        var generator = HistoryGenerator(options: options)
        var lines: [String] = []
        try generator.generate { lines.append($0) }
        try ledger.append(lines)
        let connection = try ledger.database.connect()
        let keys = try connection.execute("SELECT substr(stream, 6) AS key FROM ledger.events WHERE type = 'DrawPerformed'").compactMap { $0["key"] }
        #expect(keys.count >= 20)
        for key in keys {
            let draw = try #require(try RecordedDraw.read(key, configuration: .changzhou, connection))
            let performed = try #require(draw.performed)
            #expect(try draw.expected(beacon: performed.beacon) == performed.targets, "draw-\(key)")
        }
    }
}
