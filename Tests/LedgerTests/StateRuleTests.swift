import EventStore
import Ledger
import Testing

/// The rules read the stream as appended so far, live events only: a void changes what is allowed.
@Suite struct StateRuleTests {
    let I = "institution-I1"

    @Test func voidingAClosureReopensTheInstitutionForTheRules() throws {
        let ledger = try LedgerHarness("voidclose")
        let closure = Events.newID()
        try ledger.append([
            Events.registered("I1"),
            Events.line(I, "InstitutionClosed", #"{"reason":"deregistered"}"#, id: closure),
            Events.line(I, "EntryVoided", #"{"event_id":"\#(closure)","reason":"错录"}"#),
        ])
        let reopen = try #require(try ledger.rejection([Submission(text: Events.line(I, "InstitutionReopened", #"{"reason":"x"}"#))]))
        #expect(reopen.rejections[0].description.contains("is not closed"))
        try ledger.append([Events.line(I, "InstitutionClosed", #"{"reason":"unlicensed_shutdown"}"#)])
    }

    @Test func aVoidedConversionCanBeRecordedAgain() throws {
        let ledger = try LedgerHarness("voidconvert")
        let conversion = Events.newID()
        try ledger.append([
            Events.registered("I1"),
            Events.line(I, "ConvertedToNonAcademic", #"{"specialty":"arts"}"#, id: conversion),
            Events.line(I, "EntryVoided", #"{"event_id":"\#(conversion)","reason":"材料不全"}"#),
            Events.line(I, "ConvertedToNonAcademic", #"{"specialty":"science"}"#, on: "2022-05-01"),
        ])
        #expect(try ledger.count(stream: I) == 4)
    }

    @Test func aLateEntryLandsAfterLaterDatedEventsAndIsAccepted() throws {
        let ledger = try LedgerHarness("late")
        try ledger.append([
            Events.registered("I1"),
            Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, on: "2023-06-01"),
        ])
        let outcome = try ledger.append([Events.line(I, "ViolationFound", #"{"case_no":"C1","kind":"overcharging","persons_involved":2}"#, on: "2021-09-01")])
        #expect(outcome.events.first?.version == 3)
    }

    @Test func aRelocationMovesTheDistrictTheRulesCompareWith() throws {
        let ledger = try LedgerHarness("relocate")
        try ledger.append([Events.registered("I1"), Events.line(I, "InstitutionRelocated", #"{"district":"钟楼区"}"#)])
        let again = try #require(try ledger.rejection([Submission(text: Events.line(I, "InstitutionRelocated", #"{"district":"钟楼区"}"#))]))
        #expect(again.rejections[0].description.contains("already in 钟楼区"))
        try ledger.append([Events.line(I, "InstitutionRelocated", #"{"district":"天宁区"}"#)])
    }

    @Test func aWhitelistedInstitutionCanBeDelistedOnceAndVoidedDelistingRestoresIt() throws {
        let ledger = try LedgerHarness("lists")
        let delisting = Events.newID()
        try ledger.append([
            Events.registered("I1"),
            Events.line(I, "Whitelisted", #"{"list":"L","courses":[{"name":"机器人","specialty":"science"}]}"#),
            Events.line(I, "Delisted", #"{"list":"L","reason":"x"}"#, id: delisting),
            Events.line(I, "EntryVoided", #"{"event_id":"\#(delisting)","reason":"错录"}"#),
            Events.line(I, "Delisted", #"{"list":"L","reason":"y"}"#),
        ])
        #expect(try ledger.rejection([Submission(text: Events.line(I, "Delisted", #"{"list":"L","reason":"z"}"#))]) != nil)
    }

    @Test func historyShowsVoidedEventsAndWhoVoidedThem() throws {
        let ledger = try LedgerHarness("history")
        let interview = Events.newID()
        let void = Events.newID()
        try ledger.append([
            Events.registered("I1"),
            Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, id: interview),
            Events.line(I, "EntryVoided", #"{"event_id":"\#(interview)","reason":"重复录入"}"#, id: void),
        ])
        let history = try History.of(StreamName(I)!, ledger.database.connect())
        #expect(history.map(\.event.version) == [1, 2, 3])
        #expect(history[1].voidedBy == void)
        #expect(history[0].voidedBy == nil)
        #expect(history[2].voidedBy == nil)
    }
    /// One fold, read two ways: as appended for the rules, by date for everyone else (SPEC §3).
    @Test func theSameEventsFoldAsAppendedAndByDate() throws {
        let ledger = try LedgerHarness("twofolds")
        let closure = Events.newID()
        try ledger.append([
            Events.registered("I1", district: "新北区", on: "2023-01-01"),
            Events.line(I, "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2023-06-01"),
            Events.line(I, "InstitutionRelocated", #"{"district":"新北区"}"#, on: "2023-03-01"),  // late
            Events.line(I, "InstitutionAmended", #"{"name":"改名后"}"#, on: "2023-02-01"),
            Events.line(I, "InstitutionClosed", #"{"reason":"deregistered"}"#, id: closure, on: "2023-07-01"),
            Events.line(I, "EntryVoided", #"{"event_id":"\#(closure)","reason":"错录"}"#, on: "2023-08-01"),
        ])
        let stream = try #require(StreamName(I))
        let events = try History.of(stream, ledger.database.connect()).map(\.event)
        let state = try StreamState(name: stream, events: events, configuration: .changzhou)
        #expect(state.facts.district == "新北区")  // as appended: the late relocation came last
        let day = { (text: String) in try #require(CalendarDate(text)) }
        #expect(state.facts(on: try day("2024-01-01")).district == "天宁区")
        #expect(state.facts(on: try day("2023-04-01")).district == "新北区")
        #expect(state.facts(on: try day("2023-01-15")).name == "常州天宁测试培训中心")
        #expect(state.facts(on: try day("2024-01-01")).name == "改名后")
        #expect(state.facts(on: try day("2024-01-01")).closed == false)  // the closure is voided
        #expect(StreamStateToday(state: state, today: try day("2024-01-01")).district == "天宁区")
        #expect(StreamStateToday(state: state, today: try day("2022-12-31")).district == "新北区")  // before registration
    }
}

@Suite struct USCCTests {
    @Test func codesFromTheFixtureAreValid() {
        #expect(USCC.problem("91320404A0M5KWMW63") == nil)
        #expect(USCC.problem("523204128F9YMGK016") == nil)
    }

    @Test func eachKindOfMistakeIsNamed() {
        #expect(USCC.problem("91320404A0M5KWMW6") == "must be 18 characters, found 17")
        #expect(USCC.problem("91320404A0M5KWMW6I")?.contains("'I' is not allowed") == true)
        #expect(USCC.problem("913204X4A0M5KWMW63")?.contains("must be digits") == true)
        #expect(USCC.problem("91320404A0M5KWMW64") == "check digit is '4', expected '3'")
    }

    @Test func theOrganisationCheckDigitFollowsGB11714() {
        // The textbook example: D2143569 → check digit X.
        #expect(USCC.organisationCheckCharacter("D2143569") == "X")
        #expect(USCC.organisationCheckCharacter("A0M5KWMW") == "6")
    }
}
