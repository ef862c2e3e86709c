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

    /// The outcome of `lines` appended as an inspector of `district` (nil: city-wide):
    /// "ok", "forbidden" or "invalid".
    func outcome(_ harness: LedgerHarness, _ district: String?, _ lines: [String]) throws -> String {
        do {
            _ = try appender(AppendAuthority(actor: "tester", district: district))
                .append(lines.map { Submission(text: $0) }, on: harness.database.connect())
            return "ok"
        } catch let rejected as Appender.Rejected {
            return rejected.isForbidden ? "forbidden" : "invalid"
        }
    }

    static let reply = #"{"from":"2022-01-01","to":"2022-12-31","baseline":"2021-07-24","position":1,"digest":"\#(String(repeating: "a", count: 64))","text_sha256":"\#(String(repeating: "b", count: 64))","format":"text"}"#

    /// Only the reply service writes `reply-` streams: no API caller, city-wide or not.
    @Test func noCallerOfTheAPIRecordsAReply() throws {
        let harness = try LedgerHarness("authority_reply")
        let before = try harness.count()
        for district in [nil, "天宁区"] {
            #expect(try outcome(harness, district, [Events.line("reply-forged", "ReplyIssued", Self.reply)]) == "forbidden")
        }
        #expect(try harness.count() == before)
        // The command line (no authority) still may, as the reply service does.
        try harness.append([Events.line("reply-real", "ReplyIssued", Self.reply)])
    }

    /// Nor a working-day calendar: it is imported by whoever runs the ledger, from the State
    /// Council's notice, not recorded by staff.
    @Test func noCallerOfTheAPIPublishesACalendar() throws {
        let harness = try LedgerHarness("authority_calendar")
        let calendar = #"{"holidays":["2024-10-01"],"workdays":[],"source":"通知"}"#
        for district in [nil, "天宁区"] {
            #expect(try outcome(harness, district, [Events.line("calendar-2024", "CalendarPublished", calendar)]) == "forbidden")
        }
        #expect(try harness.count() == 0)
        try harness.append([Events.line("calendar-2024", "CalendarPublished", calendar)])
    }

    /// A back-dated event counts in the district the institution was in on its date (SPEC §3),
    /// so that district's inspector records it, not today's.
    @Test func aBackDatedEventIsScopedByTheDistrictOnItsDate() throws {
        let harness = try LedgerHarness("authority_backdated")
        try harness.append([
            Events.registered("XB-1", district: "新北区", on: "2022-01-01"),
            Events.line("institution-XB-1", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2023-01-01"),
        ])
        let violation = { Events.line("institution-XB-1", "ViolationFound", #"{"case_no":"V-1","kind":"other","persons_involved":2}"#, on: "2022-06-01") }
        let before = try harness.count()
        #expect(try outcome(harness, "天宁区", [violation()]) == "forbidden")
        #expect(try harness.count() == before)
        #expect(try outcome(harness, "新北区", [violation()]) == "ok")
        // After the relocation it is 天宁区's.
        let interview = Events.line("institution-XB-1", "InterviewHeld", #"{"reason":"超纲"}"#, on: "2023-02-01")
        #expect(try outcome(harness, "新北区", [interview]) == "forbidden")
        #expect(try outcome(harness, "天宁区", [interview]) == "ok")
    }

    /// A relocation recorded late lands in (occurred_on, version) order: the institution stays in
    /// the district of its latest-dated relocation, whatever was appended last.
    @Test func aLateRelocationLeavesTheInstitutionWhereItsDatesPutIt() throws {
        let harness = try LedgerHarness("authority_late_relocation")
        try harness.append([
            Events.registered("R-1", district: "新北区", on: "2023-01-01"),
            Events.line("institution-R-1", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2023-06-01"),
            Events.line("institution-R-1", "InstitutionRelocated", #"{"district":"新北区"}"#, on: "2023-03-01"),
        ])
        let today = Events.line("institution-R-1", "InterviewHeld", #"{"reason":"复查"}"#, on: "2024-01-01")
        #expect(try outcome(harness, "新北区", [today]) == "forbidden")
        #expect(try outcome(harness, "天宁区", [today]) == "ok")
    }

    /// A relocation, or the void of one, moves figures between two districts: one district's
    /// inspector may make neither; the city may.
    @Test func relocationsAndTheirVoidsNeedBothDistricts() throws {
        let harness = try LedgerHarness("authority_relocations")
        let relocation = Events.newID()
        try harness.append([
            Events.registered("M-1", district: "天宁区", on: "2022-01-01"),
            Events.line("institution-M-1", "InstitutionRelocated", #"{"district":"钟楼区"}"#, id: relocation, on: "2023-01-01"),
        ])
        let before = try harness.count()
        let back = Events.line("institution-M-1", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2024-01-01")
        #expect(try outcome(harness, "天宁区", [back]) == "forbidden")
        #expect(try outcome(harness, "钟楼区", [back]) == "forbidden")
        let void = Events.line("institution-M-1", "EntryVoided", #"{"event_id":"\#(relocation)","reason":"录入错误"}"#, on: "2024-01-01")
        #expect(try outcome(harness, "钟楼区", [void]) == "forbidden")
        #expect(try outcome(harness, "天宁区", [void]) == "forbidden")
        #expect(try harness.count() == before)
        #expect(try outcome(harness, nil, [void]) == "ok")
    }

    /// A void takes an event out of the figures of the district it counted in.
    @Test func aVoidIsScopedByTheDistrictItsTargetCountedIn() throws {
        let harness = try LedgerHarness("authority_void_scope")
        let interview = Events.newID()
        try harness.append([
            Events.registered("V-1", district: "新北区", on: "2022-01-01"),
            Events.line("institution-V-1", "InterviewHeld", #"{"reason":"超纲"}"#, id: interview, on: "2022-05-01"),
            Events.line("institution-V-1", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2023-01-01"),
        ])
        let void = Events.line("institution-V-1", "EntryVoided", #"{"event_id":"\#(interview)","reason":"重复"}"#, on: "2024-01-01")
        #expect(try outcome(harness, "天宁区", [void]) == "forbidden")
        #expect(try outcome(harness, "新北区", [void]) == "ok")
    }

    /// A bulletin changes the exposed count of every district whose institutions it names, on
    /// its date; so does its void.
    @Test func aBulletinNamesOnlyInstitutionsOfItsDistrict() throws {
        let harness = try LedgerHarness("authority_bulletin")
        let citywide = Events.newID()
        try harness.append([
            Events.registered("TN-1", district: "天宁区"),
            Events.registered("WJ-1", district: "武进区"),
            Events.line("bulletin-B0", "BulletinPublished", #"{"title":"通报","district":"天宁区","exposed":["TN-1","WJ-1"]}"#, id: citywide),
        ])
        let before = try harness.count()
        let naming = { (keys: String) in Events.line("bulletin-B\(Events.newID().prefix(8))", "BulletinPublished", #"{"title":"通报","district":"天宁区","exposed":[\#(keys)]}"#) }
        #expect(try outcome(harness, "天宁区", [naming(#""WJ-1""#)]) == "forbidden")
        #expect(try outcome(harness, "天宁区", [naming(#""TN-1","WJ-1""#)]) == "forbidden")
        let void = Events.line("bulletin-B0", "EntryVoided", #"{"event_id":"\#(citywide)","reason":"撤回"}"#)
        #expect(try outcome(harness, "天宁区", [void]) == "forbidden")
        #expect(try harness.count() == before)
        #expect(try outcome(harness, "天宁区", [naming(#""TN-1""#)]) == "ok")
        #expect(try outcome(harness, "武进区", [naming(#""WJ-1""#)]) == "forbidden")  // a 天宁区 bulletin
        // An institution registered earlier in the same call is named by its district's bulletin.
        #expect(try outcome(harness, "天宁区", [Events.registered("TN-2"), naming(#""TN-2""#)]) == "ok")
    }
}
