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
