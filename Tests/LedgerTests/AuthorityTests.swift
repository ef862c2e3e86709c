import EventStore
import Ledger
import Testing

/// The authority an API caller appends under: checked against the same stream state as the
/// rules, for every event of the call; one event outside it refuses the call.
@Suite struct AuthorityTests {
    func appender(_ authority: AppendAuthority?) -> Appender {
        var appender = Appender(configuration: .changzhou, today: LedgerHarness.today)
        appender.authority = authority
        return appender
    }

    @Test func anEventOutsideTheDistrictRefusesTheWholeCall() throws {
        let harness = try LedgerHarness("authority_district")
        try harness.append([Events.registered("TN-1"), Events.registered("ZL-1", district: "钟楼区")])
        let before = try harness.count()
        let inspector = appender(AppendAuthority(actor: "tester", district: "天宁区"))
        let calls = [
            [Events.line("institution-TN-1", "InterviewHeld", #"{"reason":"超纲"}"#), Events.line("institution-ZL-1", "InterviewHeld", #"{"reason":"超纲"}"#)],
            [Events.registered("ZL-2", district: "钟楼区")],
            [Events.operation("OP-ZL", district: "钟楼区")],
            [Events.line("bulletin-B1", "BulletinPublished", #"{"title":"通报","exposed":[]}"#)],
            [Events.line("institution-TN-1", "InstitutionRelocated", #"{"district":"钟楼区"}"#), Events.line("institution-TN-1", "InterviewHeld", #"{"reason":"迁出后"}"#)],
            [Events.line("institution-TN-1", "InterviewHeld", #"{"reason":"冒名"}"#, actor: "someone-else")],
        ]
        for lines in calls {
            do {
                _ = try inspector.append(lines.map { Submission(text: $0) }, on: harness.database.connect())
                Issue.record("accepted: \(lines)")
            } catch let rejected as Appender.Rejected {
                #expect(rejected.isForbidden, "\(rejected)")
            }
        }
        #expect(try harness.count() == before)
    }

    @Test func withinTheDistrictAndCityWideTheRulesDecide() throws {
        let harness = try LedgerHarness("authority_within")
        try harness.append([Events.registered("TN-1"), Events.registered("ZL-1", district: "钟楼区")])
        let inspector = appender(AppendAuthority(actor: "tester", district: "天宁区"))
        _ = try inspector.append([Submission(text: Events.line("institution-TN-1", "InterviewHeld", #"{"reason":"超纲"}"#))], on: harness.database.connect())
        let city = appender(AppendAuthority(actor: "tester", district: nil))
        _ = try city.append([
            Submission(text: Events.line("institution-ZL-1", "InterviewHeld", #"{"reason":"超纲"}"#)),
            Submission(text: Events.line("bulletin-B1", "BulletinPublished", #"{"title":"通报","exposed":["ZL-1"]}"#)),
        ], on: harness.database.connect())
        // Within the authority, a rule still refuses as usual (not as forbidden).
        do {
            _ = try inspector.append([Submission(text: Events.line("institution-TN-1", "InstitutionReopened", #"{"reason":"x"}"#))], on: harness.database.connect())
            Issue.record("a reopening of an open institution was accepted")
        } catch let rejected as Appender.Rejected {
            #expect(!rejected.isForbidden)
        }
    }
}
