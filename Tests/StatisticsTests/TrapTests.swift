import EventStore
import Statistics
import Testing

/// Each trap of SPEC §3–§4 on a small history made by hand.
@Suite struct TrapTests {
    let period = ("2022-01-01", "2022-12-31")

    @Test func aVoidedDuplicateCountsOnce() throws {
        let ledger = try StatisticsHarness("dup")
        let duplicate = History.newID(), duplicateOperation = History.newID()
        try ledger.append([
            History.member("A"), History.operation("O1", inspectors: 4, on: "2022-03-01"),
            History.operation("O2", inspectors: 9, id: duplicateOperation, on: "2022-03-01"),
            History.inspection("A", operation: "O1", on: "2022-03-01"),
            History.inspection("A", operation: "O1", id: duplicate, on: "2022-03-01"),
            History.void("institution-A", duplicate, on: "2022-03-02"),
            History.void("operation-O2", duplicateOperation, on: "2022-03-02"),
        ])
        let figures = try ledger.stats(period.0, period.1)
        #expect(figures.institutionInspections == 1)
        #expect(figures.operations == 1)
        #expect(figures.inspectorPersonTimes == 4)
    }

    @Test func compressionCountsMembersOnTheBaselineThatAreNotMembersOnT() throws {
        let ledger = try StatisticsHarness("compress")
        let conversion = History.newID()
        try ledger.append([
            History.member("CLOSED"), History.event("CLOSED", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2022-02-01"),
            History.member("CONVERTED"), History.event("CONVERTED", "ConvertedToNonAcademic", #"{"specialty":"arts"}"#, on: "2022-02-01"),
            History.member("VOIDCONV"), History.event("VOIDCONV", "ConvertedToNonAcademic", #"{"specialty":"arts"}"#, id: conversion, on: "2022-02-01"),
            History.void("institution-VOIDCONV", conversion, on: "2022-02-05"),
            History.member("REOPENED"), History.event("REOPENED", "InstitutionClosed", #"{"reason":"license_revoked"}"#, on: "2022-02-01"),
            History.event("REOPENED", "InstitutionReopened", #"{"reason":"复议撤销"}"#, on: "2022-06-01"),
            History.member("LATER", on: "2022-01-01"),  // registered after the baseline: not in it
            History.member("ONLINE"), History.event("ONLINE", "InstitutionAmended", #"{"mode":"online"}"#, on: "2021-01-01"),
            History.member("STAYS", district: "钟楼区"),
        ])
        let figures = try ledger.stats(period.0, period.1)
        #expect(figures.compression.baseline == 5)  // CLOSED, CONVERTED, VOIDCONV, REOPENED, STAYS
        #expect(figures.compression.compressed == 2)  // CLOSED, CONVERTED
        #expect(figures.compression.ratePercent == "40.00")
        #expect(figures.compression.byDistrict.map(\.district) == ["天宁区", "钟楼区"])
        #expect(figures.compression.byDistrict.map(\.ratePercent) == ["50.00", "0.00"])
        // Another baseline: on 2022-03-01 CLOSED and CONVERTED are already gone; LATER and REOPENED's closure count.
        let later = try ledger.stats(period.0, period.1, baseline: "2022-03-01")
        #expect(later.compression.baseline == 3)  // VOIDCONV, LATER, STAYS (REOPENED is closed that day)
        #expect(later.compression.compressed == 0)
    }

    @Test func aVoidThatArrivesLateChangesTheFigures() throws {
        let ledger = try StatisticsHarness("latevoid")
        let closure = History.newID()
        try ledger.append([History.member("A"), History.event("A", "InstitutionClosed", #"{"reason":"unlicensed_shutdown"}"#, id: closure, on: "2022-02-01")])
        let before = try ledger.stats(period.0, period.1)
        #expect(before.compression.compressed == 1)
        #expect(before.unlicensedClosed == 1)
        try ledger.append([History.void("institution-A", closure, on: "2024-05-01")])
        let after = try ledger.stats(period.0, period.1)
        #expect(after.compression.compressed == 0)
        #expect(after.unlicensedClosed == 0)
        #expect(try ledger.stats(period.0, period.1, at: before.position) == before)
    }

    @Test func eventsAreAttributedToTheDistrictOnTheirDate() throws {
        let ledger = try StatisticsHarness("relocate")
        try ledger.append([
            History.member("A", district: "天宁区"),
            History.event("A", "InterviewHeld", #"{"reason":"x"}"#, on: "2022-03-01"),
            History.event("A", "InstitutionRelocated", #"{"district":"钟楼区"}"#, on: "2022-06-01"),
            History.event("A", "InterviewHeld", #"{"reason":"y"}"#, on: "2022-07-01"),
            // A late entry, dated before the relocation, appended after it.
            History.event("A", "WarningIssued", #"{"reason":"z"}"#, on: "2022-04-01"),
        ])
        let tianning = try ledger.stats(period.0, period.1, district: "天宁区")
        let zhonglou = try ledger.stats(period.0, period.1, district: "钟楼区")
        #expect(tianning.interviews == 1)
        #expect(tianning.warnings == 1)
        #expect(zhonglou.interviews == 1)
        #expect(zhonglou.warnings == 0)
        // The baseline counts the institution where it was on the baseline day; coverage where it is on T.
        #expect(tianning.compression.baseline == 1)
        #expect(zhonglou.compression.baseline == 0)
        #expect(zhonglou.compression.ratePercent == nil)
        #expect(zhonglou.coverage.remaining == 1)
        #expect(tianning.coverage.remaining == 0)
    }

    @Test func aRevokedPenaltyIsNotCountedUnlessTheRevocationIsVoided() throws {
        let ledger = try StatisticsHarness("revoke")
        let revocation = History.newID()
        try ledger.append([
            History.member("A"),
            History.event("A", "PenaltyImposed", #"{"decision_no":"D1","fine_fen":500000,"confiscated_fen":20000}"#, on: "2022-03-01"),
            History.event("A", "PenaltyImposed", #"{"decision_no":"D2","fine_fen":1000000,"confiscated_fen":0}"#, on: "2022-04-01"),
            History.event("A", "PenaltyRevoked", #"{"decision_no":"D2","reason":"复议"}"#, id: revocation, on: "2023-02-01"),
            History.event("A", "PenaltyImposed", #"{"decision_no":"D3","fine_fen":7,"confiscated_fen":0}"#, on: "2023-03-01"),
        ])
        #expect(try ledger.stats(period.0, period.1).finesFen == 520_000)
        try ledger.append([History.void("institution-A", revocation, on: "2023-04-01")])
        #expect(try ledger.stats(period.0, period.1).finesFen == 1_520_000)
    }

    @Test func overdueNoticesAreThoseNotCompletedByT() throws {
        let ledger = try StatisticsHarness("overdue")
        try ledger.append([
            History.member("A"),
            History.event("A", "RectificationOrdered", #"{"notice_no":"N1","deadline":"2022-03-01","items":["x"]}"#, on: "2022-02-01"),
            History.event("A", "RectificationOrdered", #"{"notice_no":"N2","deadline":"2022-03-01","items":["x"]}"#, on: "2022-02-01"),
            History.event("A", "RectificationOrdered", #"{"notice_no":"N3","deadline":"2022-03-01","items":["x"]}"#, on: "2022-02-01"),
            History.event("A", "RectificationOrdered", #"{"notice_no":"N4","deadline":"2023-03-01","items":["x"]}"#, on: "2022-12-01"),
            History.event("A", "RectificationVerified", #"{"notice_no":"N1","outcome":"completed"}"#, on: "2022-03-01"),
            History.event("A", "RectificationVerified", #"{"notice_no":"N2","outcome":"not_completed"}"#, on: "2022-03-01"),
            History.event("A", "RectificationVerified", #"{"notice_no":"N3","outcome":"completed"}"#, on: "2023-01-05"),
        ])
        let figures = try ledger.stats(period.0, period.1)
        #expect(figures.rectificationNotices == 4)
        #expect(figures.rectificationsOverdue == 2)  // N2 not completed, N3 completed after T; N4's deadline is after T
    }

    @Test func unlicensedClosuresCountDistinctInstitutions() throws {
        let ledger = try StatisticsHarness("unlicensed")
        try ledger.append([
            History.member("U", licensed: false),
            History.event("U", "InstitutionClosed", #"{"reason":"unlicensed_shutdown"}"#, on: "2022-02-01"),
            History.event("U", "InstitutionReopened", #"{"reason":"x"}"#, on: "2022-03-01"),
            History.event("U", "InstitutionClosed", #"{"reason":"unlicensed_shutdown"}"#, on: "2022-05-01"),
            History.member("V"), History.event("V", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2022-02-01"),
        ])
        #expect(try ledger.stats(period.0, period.1).unlicensedClosed == 1)
    }

    @Test func bulletinsAndExposedInstitutionsByDistrict() throws {
        let ledger = try StatisticsHarness("bulletins")
        try ledger.append([
            History.member("A", district: "天宁区"), History.member("B", district: "钟楼区"),
            History.line("bulletin-B1", "BulletinPublished", #"{"title":"市级通报","exposed":["A","B"]}"#, on: "2022-03-01"),
            History.line("bulletin-B2", "BulletinPublished", #"{"title":"钟楼通报","district":"钟楼区","exposed":["A"]}"#, on: "2022-04-01"),
            History.line("bulletin-B3", "BulletinPublished", #"{"title":"旧通报","district":"钟楼区","exposed":["B"]}"#, on: "2021-04-01"),
        ])
        let city = try ledger.stats(period.0, period.1)
        #expect(city.bulletins == 2)
        #expect(city.exposedInstitutions == 2)
        let zhonglou = try ledger.stats(period.0, period.1, district: "钟楼区")
        #expect(zhonglou.bulletins == 1)
        #expect(zhonglou.exposedInstitutions == 1)  // B, named in the city-level bulletin
        let tianning = try ledger.stats(period.0, period.1, district: "天宁区")
        #expect(tianning.bulletins == 0)
        #expect(tianning.exposedInstitutions == 1)  // A, named twice
    }

    @Test func whiteListsFollowLatestCoursesDelistingsAndClosures() throws {
        let ledger = try StatisticsHarness("lists")
        let courses = #"[{"name":"机器人","specialty":"science"},{"name":"书法","specialty":"arts"}]"#
        func nonAcademic(_ key: String) -> String {
            History.line("institution-\(key)", "InstitutionRegistered",
                         #"{"name":"n","district":"钟楼区","category":"non_academic","specialty":"sports","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#,
                         on: "2020-01-01")
        }
        try ledger.append([
            nonAcademic("A"), nonAcademic("B"), nonAcademic("C"),
            History.event("A", "Whitelisted", #"{"list":"L","courses":\#(courses)}"#, on: "2022-02-01"),
            History.event("A", "Whitelisted", #"{"list":"L","courses":[{"name":"篮球","specialty":"sports"}]}"#, on: "2022-05-01"),
            History.event("B", "Whitelisted", #"{"list":"L","courses":\#(courses)}"#, on: "2022-02-01"),
            History.event("B", "Delisted", #"{"list":"L","reason":"x"}"#, on: "2022-06-01"),
            History.event("C", "Whitelisted", #"{"list":"L","courses":\#(courses)}"#, on: "2022-02-01"),
            History.event("C", "InstitutionClosed", #"{"reason":"ceased_operation"}"#, on: "2022-08-01"),
        ])
        let end = try ledger.stats(period.0, period.1)
        #expect(end.whitelists.count == 1)
        #expect(end.whitelists.first?.institutions == 1)
        #expect(end.whitelists.first?.courses == 1)
        #expect(end.whitelists.first?.sports == 1)
        let march = try ledger.stats(period.0, "2022-03-31")
        #expect(march.whitelists.first?.institutions == 3)
        #expect(march.whitelists.first?.courses == 6)
        #expect(march.whitelists.first?.science == 3)
    }

    @Test func coverageCountsRemainingMembersOnT() throws {
        let ledger = try StatisticsHarness("coverage")
        try ledger.append([
            History.member("A"), History.event("A", "ConvertedToNonProfit", on: "2022-03-01"),
            History.event("A", "FundCustodyEnrolled", #"{"bank":"江南农商银行"}"#, on: "2022-03-02"),
            History.event("A", "GuidancePriceAdopted", on: "2022-03-03"),
            History.member("B"), History.event("B", "FundCustodyEnrolled", #"{"bank":"x"}"#, on: "2023-03-02"),
        ])
        let figures = try ledger.stats(period.0, period.1)
        #expect(figures.coverage == .init(remaining: 2, nonProfit: 1, fundCustody: 1, guidancePrice: 1))
        let early = try ledger.stats("2022-01-01", "2022-03-01")
        #expect(early.coverage == .init(remaining: 2, nonProfit: 1, fundCustody: 0, guidancePrice: 0))
    }

    @Test func lateEntriesAndEventsOutsideThePeriod() throws {
        let ledger = try StatisticsHarness("period")
        try ledger.append([
            History.member("A"),
            History.event("A", "ViolationFound", #"{"case_no":"C1","kind":"overcharging","persons_involved":3}"#, on: "2021-12-31"),
            History.event("A", "ViolationFound", #"{"case_no":"C2","kind":"overcharging","persons_involved":2}"#, on: "2023-01-01"),
            History.event("A", "ViolationFound", #"{"case_no":"C3","kind":"other","persons_involved":4}"#, on: "2022-12-31"),
        ])
        var figures = try ledger.stats(period.0, period.1)
        #expect(figures.violations == 1)
        #expect(figures.violatingPersons == 4)
        try ledger.append([History.event("A", "ViolationFound", #"{"case_no":"C4","kind":"other","persons_involved":1}"#, on: "2022-01-01")])
        figures = try ledger.stats(period.0, period.1)
        #expect(figures.violations == 2)
        #expect(figures.violatingPersons == 5)
    }

    @Test func anEmptyLedgerHasZerosAndNoRate() throws {
        let ledger = try StatisticsHarness("empty")
        let figures = try ledger.stats()
        #expect(figures.position == 0)
        #expect(figures.operations == 0)
        #expect(figures.compression.ratePercent == nil)
        #expect(figures.jsonText.contains("\"rate_percent\": null"))
    }
}
