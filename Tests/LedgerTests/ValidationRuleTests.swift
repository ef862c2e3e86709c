import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

/// One rule of SPEC §2: a history it starts from, the bad event, and the one-line reason expected.
struct RuleCase: Sendable, CustomStringConvertible {
    var description: String
    var field: String
    var reason: String
    /// Whether the rule reads the stream (the event is wrong for what came before it); the
    /// others are wrong by themselves and are checked without a database.
    var history = false
    /// Lines appended first (after institution `I` and operation `O`), and the bad submission.
    var build: @Sendable (_ ids: CaseIDs) -> (setup: [String], bad: [UInt8])
}

/// Ids a case may refer to.
struct CaseIDs: Sendable {
    let registration = Events.newID()
    let first = Events.newID()
    let second = Events.newID()
    let bad = Events.newID()
}

private let I = "institution-I1"
private func text(_ s: String) -> [UInt8] { Array(s.utf8) }
private func bad(_ ids: CaseIDs, _ stream: String, _ type: String, _ data: String, on date: String = "2022-03-01", actor: String = "tester", extra: String = "") -> [UInt8] {
    text(Events.line(stream, type, data, id: ids.bad, on: date, actor: actor, extra: extra))
}

extension RuleCase {
    static let all: [RuleCase] = [
        // The line itself.
        RuleCase(description: "malformed JSON", field: "", reason: "not valid JSON") { _ in ([], text(#"{"id": "x", "#)) },
        RuleCase(description: "a JSON array instead of an object", field: "", reason: "must be a JSON object") { _ in ([], text("[1,2]")) },
        RuleCase(description: "a duplicate key", field: "", reason: "duplicate key") { ids in
            ([], text(#"{"id":"\#(ids.bad)","id":"\#(ids.bad)"}"#))
        },
        RuleCase(description: "invalid UTF-8", field: "", reason: "invalid UTF-8") { ids in
            ([], text(#"{"id":"\#(ids.bad)","stream":"institution-I1","type":"InterviewHeld","occurred_on":"2022-03-01","actor":"te"#) + [0xFF, 0xFE] + text(#"","data":{"reason":"x"}}"#))
        },
        RuleCase(description: "a NUL character in a string", field: "", reason: "NUL") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"a\u0000b"}"#))
        },
        RuleCase(description: "a 2 MB line", field: "", reason: "bytes long") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"\#(String(repeating: "长", count: 700_000))"}"#))
        },
        RuleCase(description: "a string over 4,000 characters", field: "data.reason", reason: "at most 4000") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"\#(String(repeating: "x", count: 4001))"}"#))
        },
        RuleCase(description: "a name over 200 characters", field: "data.name", reason: "at most 200") { ids in
            ([], bad(ids, I, "InstitutionAmended", #"{"name":"\#(String(repeating: "名", count: 201))"}"#))
        },
        RuleCase(description: "an array over 1,000 items", field: "data.items", reason: "at most 1000") { ids in
            let items = Array(repeating: #""x""#, count: 1001).joined(separator: ",")
            return ([], bad(ids, I, "RectificationOrdered", #"{"notice_no":"N1","deadline":"2022-04-01","items":[\#(items)]}"#))
        },
        // The envelope.
        RuleCase(description: "a stream key containing SQL", field: "stream", reason: "is not <institution|operation|bulletin|reply>-<key>") { ids in
            ([], bad(ids, "institution-x'; DROP TABLE ledger.events; --", "InterviewHeld", #"{"reason":"x"}"#))
        },
        RuleCase(description: "an unknown stream category", field: "stream", reason: "is not <institution") { ids in
            ([], bad(ids, "school-A1", "InterviewHeld", #"{"reason":"x"}"#))
        },
        RuleCase(description: "an id that is not a UUID", field: "id", reason: "must be a UUID") { _ in
            ([], text(Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, id: "12345")))
        },
        RuleCase(description: "a missing actor", field: "actor", reason: "is required") { ids in
            ([], text(#"{"id":"\#(ids.bad)","stream":"institution-I1","type":"InterviewHeld","occurred_on":"2022-03-01","data":{"reason":"x"}}"#))
        },
        RuleCase(description: "an actor over 64 characters", field: "actor", reason: "at most 64") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, actor: String(repeating: "a", count: 65)))
        },
        RuleCase(description: "a future date", field: "occurred_on", reason: "is after today") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, on: "2030-01-01"))
        },
        RuleCase(description: "a date before 2000", field: "occurred_on", reason: "is before 2000-01-01") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, on: "1999-12-31"))
        },
        RuleCase(description: "a date that does not exist", field: "occurred_on", reason: "must be a date") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, on: "2021-02-30"))
        },
        RuleCase(description: "an unknown type", field: "type", reason: "is not an event type") { ids in
            ([], bad(ids, I, "InstitutionPraised", #"{}"#))
        },
        RuleCase(description: "a type from another category", field: "type", reason: "is not allowed in a stream of category institution") { ids in
            ([], bad(ids, I, "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":2}"#))
        },
        RuleCase(description: "an unknown envelope field", field: "priority", reason: "is not a field") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, extra: #","priority":1"#))
        },
        RuleCase(description: "an unknown data field", field: "data.colour", reason: "is not a field") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x","colour":"red"}"#))
        },
        RuleCase(description: "data that is not an object", field: "data", reason: "must be an object") { ids in
            ([], bad(ids, I, "InterviewHeld", #""reason""#))
        },
        RuleCase(description: "an expected_version the stream has moved past", field: "expected_version", reason: "holds 1 events, not 0", history: true) { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"x"}"#, extra: #","expected_version":0"#))
        },
        RuleCase(description: "an id reused with different content", field: "id", reason: "different content", history: true) { ids in
            ([Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, id: ids.first)], text(Events.line(I, "InterviewHeld", #"{"reason":"y"}"#, id: ids.first)))
        },
        // Registration and amendments.
        RuleCase(description: "a second registration", field: "type", reason: "must be the first event", history: true) { ids in
            ([], text(Events.registered("I1", id: ids.bad)))
        },
        RuleCase(description: "an event before registration", field: "stream", reason: "is not registered", history: true) { ids in
            ([], bad(ids, "institution-NEW", "InterviewHeld", #"{"reason":"x"}"#))
        },
        RuleCase(description: "a district that is not configured", field: "data.district", reason: "is not a configured district") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"玄武区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#))
        },
        RuleCase(description: "a non-academic institution without specialty", field: "data.specialty", reason: "is required") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"天宁区","category":"non_academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#))
        },
        RuleCase(description: "an unknown category", field: "data.category", reason: "must be one of academic, non_academic") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"天宁区","category":"tutoring","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#))
        },
        RuleCase(description: "empty stages", field: "data.stages", reason: "must not be empty") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"天宁区","category":"academic","stages":[],"mode":"offline","licensed":true,"for_profit":true}"#))
        },
        RuleCase(description: "an unknown stage", field: "data.stages[1]", reason: "must be one of") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"天宁区","category":"academic","stages":["compulsory","college"],"mode":"offline","licensed":true,"for_profit":true}"#))
        },
        RuleCase(description: "a boolean given as a string", field: "data.licensed", reason: "must be true or false") { ids in
            ([], bad(ids, "institution-NEW", "InstitutionRegistered", #"{"name":"n","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":"yes","for_profit":true}"#))
        },
        RuleCase(description: "a USCC with a wrong check digit", field: "data.uscc", reason: "check digit is 'Q', expected '3'") { ids in
            ([], bad(ids, I, "InstitutionAmended", #"{"uscc":"91320404A0M5KWMW6Q"}"#))
        },
        RuleCase(description: "a USCC whose organisation code check digit is wrong", field: "data.uscc", reason: "organisation code check digit is '7', expected '6'") { ids in
            let first17 = "91320404A0M5KWMW7"
            let code = first17 + String(USCC.checkCharacter(first17)!)
            return ([], bad(ids, I, "InstitutionAmended", #"{"uscc":"\#(code)"}"#))
        },
        RuleCase(description: "an amendment that changes nothing", field: "data", reason: "must change at least one of") { ids in
            ([], bad(ids, I, "InstitutionAmended", #"{}"#))
        },
        RuleCase(description: "a relocation to the same district", field: "data.district", reason: "already in 天宁区", history: true) { ids in
            ([], bad(ids, I, "InstitutionRelocated", #"{"district":"天宁区"}"#))
        },
        RuleCase(description: "converting a non-academic institution", field: "type", reason: "is not academic", history: true) { ids in
            ([Events.line(I, "ConvertedToNonAcademic", #"{"specialty":"arts"}"#)], bad(ids, I, "ConvertedToNonAcademic", #"{"specialty":"arts"}"#))
        },
        RuleCase(description: "营改非 of a non-profit institution", field: "type", reason: "is not for-profit", history: true) { ids in
            ([Events.line(I, "ConvertedToNonProfit", #"{}"#)], bad(ids, I, "ConvertedToNonProfit", #"{}"#))
        },
        // Enforcement.
        RuleCase(description: "inspecting under an unknown operation", field: "data.operation", reason: "operation-NOPE is not in the ledger", history: true) { ids in
            ([], bad(ids, I, "InstitutionInspected", #"{"operation":"NOPE","result":"compliant"}"#))
        },
        RuleCase(description: "a rectification deadline before the notice", field: "data.deadline", reason: "is before occurred_on", history: true) { ids in
            ([], bad(ids, I, "RectificationOrdered", #"{"notice_no":"N1","deadline":"2022-02-01","items":["x"]}"#))
        },
        RuleCase(description: "a rectification notice number used twice", field: "data.notice_no", reason: "already issued", history: true) { ids in
            let notice = #"{"notice_no":"N1","deadline":"2022-04-01","items":["x"]}"#
            return ([Events.line(I, "RectificationOrdered", notice)], bad(ids, I, "RectificationOrdered", notice))
        },
        RuleCase(description: "verifying a notice that was never issued", field: "data.notice_no", reason: "no rectification notice N9", history: true) { ids in
            ([], bad(ids, I, "RectificationVerified", #"{"notice_no":"N9","outcome":"completed"}"#))
        },
        RuleCase(description: "negative persons involved", field: "data.persons_involved", reason: "must be between 0") { ids in
            ([], bad(ids, I, "ViolationFound", #"{"case_no":"C1","kind":"other","persons_involved":-1}"#))
        },
        RuleCase(description: "an unknown violation kind", field: "data.kind", reason: "must be one of") { ids in
            ([], bad(ids, I, "ViolationFound", #"{"case_no":"C1","kind":"jaywalking","persons_involved":1}"#))
        },
        RuleCase(description: "a fractional amount", field: "data.fine_fen", reason: "fractional number 12.5") { ids in
            ([], bad(ids, I, "PenaltyImposed", #"{"decision_no":"D1","fine_fen":12.5,"confiscated_fen":0}"#))
        },
        RuleCase(description: "an amount given as a string", field: "data.fine_fen", reason: "must be a whole number, found '100'") { ids in
            ([], bad(ids, I, "PenaltyImposed", #"{"decision_no":"D1","fine_fen":"100","confiscated_fen":0}"#))
        },
        RuleCase(description: "a penalty of nothing", field: "data", reason: "both 0") { ids in
            ([], bad(ids, I, "PenaltyImposed", #"{"decision_no":"D1","fine_fen":0,"confiscated_fen":0}"#))
        },
        RuleCase(description: "an amount over 10^12 分", field: "data.confiscated_fen", reason: "between 0 and 1000000000000") { ids in
            ([], bad(ids, I, "PenaltyImposed", #"{"decision_no":"D1","fine_fen":1,"confiscated_fen":1000000000001}"#))
        },
        RuleCase(description: "a penalty decision number used twice", field: "data.decision_no", reason: "already recorded", history: true) { ids in
            let penalty = #"{"decision_no":"D1","fine_fen":100,"confiscated_fen":0}"#
            return ([Events.line(I, "PenaltyImposed", penalty)], bad(ids, I, "PenaltyImposed", penalty))
        },
        RuleCase(description: "revoking an unknown penalty", field: "data.decision_no", reason: "no penalty decision D9", history: true) { ids in
            ([], bad(ids, I, "PenaltyRevoked", #"{"decision_no":"D9","reason":"复议"}"#))
        },
        RuleCase(description: "revoking a penalty twice", field: "data.decision_no", reason: "already revoked", history: true) { ids in
            ([Events.line(I, "PenaltyImposed", #"{"decision_no":"D1","fine_fen":100,"confiscated_fen":0}"#),
              Events.line(I, "PenaltyRevoked", #"{"decision_no":"D1","reason":"复议"}"#)],
             bad(ids, I, "PenaltyRevoked", #"{"decision_no":"D1","reason":"诉讼"}"#))
        },
        RuleCase(description: "closing a closed institution", field: "type", reason: "already closed", history: true) { ids in
            ([Events.line(I, "InstitutionClosed", #"{"reason":"deregistered"}"#)], bad(ids, I, "InstitutionClosed", #"{"reason":"deregistered"}"#))
        },
        RuleCase(description: "an unknown closure reason", field: "data.reason", reason: "must be one of unlicensed_shutdown") { ids in
            ([], bad(ids, I, "InstitutionClosed", #"{"reason":"tired"}"#))
        },
        RuleCase(description: "reopening an open institution", field: "type", reason: "is not closed", history: true) { ids in
            ([], bad(ids, I, "InstitutionReopened", #"{"reason":"x"}"#))
        },
        RuleCase(description: "a blank reason", field: "data.reason", reason: "must not be empty") { ids in
            ([], bad(ids, I, "InterviewHeld", #"{"reason":"   "}"#))
        },
        RuleCase(description: "white-listing no courses", field: "data.courses", reason: "must not be empty") { ids in
            ([], bad(ids, I, "Whitelisted", #"{"list":"钟楼区课后服务白名单","courses":[]}"#))
        },
        RuleCase(description: "a course with an unknown specialty", field: "data.courses[0].specialty", reason: "must be one of") { ids in
            ([], bad(ids, I, "Whitelisted", #"{"list":"L","courses":[{"name":"机器人","specialty":"robots"}]}"#))
        },
        RuleCase(description: "delisting from a list the institution is not on", field: "data.list", reason: "is not on the list 'L'", history: true) { ids in
            ([], bad(ids, I, "Delisted", #"{"list":"L","reason":"x"}"#))
        },
        // Voids.
        RuleCase(description: "voiding another stream's event", field: "data.event_id", reason: "is not an earlier event of institution-I1", history: true) { ids in
            ([Events.registered("I2"), Events.line("institution-I2", "InterviewHeld", #"{"reason":"x"}"#, id: ids.first)],
             bad(ids, I, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"错录"}"#))
        },
        RuleCase(description: "voiding the registration", field: "data.event_id", reason: "is the registration", history: true) { ids in
            ([], bad(ids, "institution-I3", "EntryVoided", #"{"event_id":"\#(ids.registration)","reason":"错录"}"#))
        },
        RuleCase(description: "voiding a void", field: "data.event_id", reason: "voids cannot be voided", history: true) { ids in
            ([Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, id: ids.first),
              Events.line(I, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"错录"}"#, id: ids.second)],
             bad(ids, I, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"错录"}"#))
        },
        RuleCase(description: "voiding twice", field: "data.event_id", reason: "already voided", history: true) { ids in
            ([Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, id: ids.first),
              Events.line(I, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"错录"}"#)],
             bad(ids, I, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"错录"}"#))
        },
        RuleCase(description: "voiding something that is not an id", field: "data.event_id", reason: "must be an event id") { ids in
            ([], bad(ids, I, "EntryVoided", #"{"event_id":"yesterday's","reason":"错录"}"#))
        },
        // Operations and bulletins.
        RuleCase(description: "an operation without inspectors", field: "data.inspectors", reason: "between 1") { ids in
            ([], bad(ids, "operation-O2", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":0}"#))
        },
        RuleCase(description: "an operation conducted twice in one stream", field: "type", reason: "must be the first event", history: true) { ids in
            ([], bad(ids, "operation-O1", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":2}"#))
        },
        RuleCase(description: "a bulletin exposing an unknown institution", field: "data.exposed[1]", reason: "institution-GHOST is not in the ledger", history: true) { ids in
            ([], bad(ids, "bulletin-B1", "BulletinPublished", #"{"title":"通报","exposed":["I1","GHOST"]}"#))
        },
        // Working-day calendars (SPEC §8).
        RuleCase(description: "a calendar stream that names no year", field: "stream", reason: "calendar-<year>") { ids in
            ([], bad(ids, "calendar-next", "CalendarPublished", #"{"holidays":[],"workdays":[],"source":"通知"}"#))
        },
        RuleCase(description: "a holiday outside the stream's year", field: "data.holidays[1]", reason: "2023-10-01 is not in 2024") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":["2024-10-01","2023-10-01"],"workdays":[],"source":"通知"}"#))
        },
        RuleCase(description: "a 调休 workday on a weekday", field: "data.workdays[0]", reason: "2024-10-08 is a weekday") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":["2024-10-01"],"workdays":["2024-10-08"],"source":"通知"}"#))
        },
        RuleCase(description: "a day both a holiday and a workday", field: "data.workdays", reason: "2024-10-12 is also a holiday") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":["2024-10-12"],"workdays":["2024-10-12"],"source":"通知"}"#))
        },
        RuleCase(description: "a holiday listed twice", field: "data.holidays[1]", reason: "2024-10-01 is listed twice") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":["2024-10-01","2024-10-01"],"workdays":[],"source":"通知"}"#))
        },
        RuleCase(description: "a holiday that is not a date", field: "data.holidays[0]", reason: "must be a date") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":["10月1日"],"workdays":[],"source":"通知"}"#))
        },
        RuleCase(description: "a calendar without its source", field: "data.source", reason: "is required") { ids in
            ([], bad(ids, "calendar-2024", "CalendarPublished", #"{"holidays":[],"workdays":[]}"#))
        },
        RuleCase(description: "an enforcement event in a calendar stream", field: "type", reason: "not allowed in a stream of category calendar") { ids in
            ([], bad(ids, "calendar-2024", "InterviewHeld", #"{"reason":"x"}"#))
        },
        // Council proposals (SPEC §10).
        RuleCase(description: "a proposal without proposers", field: "data.proposers", reason: "must not be empty") { ids in
            ([], bad(ids, P, "ProposalReceived", proposal(proposers: "[]")))
        },
        RuleCase(description: "a proposal with an unknown role", field: "data.role", reason: "must be one of") { ids in
            ([], bad(ids, P, "ProposalReceived", proposal(role: "main")))
        },
        RuleCase(description: "a proposal of an unknown district", field: "data.district", reason: "is not a configured district") { ids in
            ([], bad(ids, P, "ProposalReceived", proposal(district: #""玄武区""#)))
        },
        RuleCase(description: "a proposal due on no date", field: "data.due_on", reason: "must be a date") { ids in
            ([], bad(ids, P, "ProposalReceived", proposal(extra: #","due_on":"soon""#)))
        },
        RuleCase(description: "a reply classified D", field: "data.classification", reason: "must be one of A, B, C") { ids in
            ([], bad(ids, P, "ReplySent", #"{"reply":"R1","classification":"D"}"#))
        },
        RuleCase(description: "feedback of an unknown satisfaction", field: "data.satisfaction", reason: "must be one of") { ids in
            ([], bad(ids, P, "ProposerFeedback", #"{"satisfaction":"happy"}"#))
        },
        RuleCase(description: "a contact by an unknown method", field: "data.method", reason: "must be one of") { ids in
            ([], bad(ids, P, "ProposerContacted", #"{"method":"wechat","summary":"x"}"#))
        },
        RuleCase(description: "a reply sent for a proposal never received", field: "stream", reason: "has not been received (ProposalReceived comes first)", history: true) { ids in
            ([], bad(ids, "proposal-NEVER", "ReplySent", #"{"reply":"R1","classification":"A"}"#))
        },
        RuleCase(description: "a second receipt of a proposal", field: "type", reason: "ProposalReceived must be the first event", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal())], bad(ids, P, "ProposalReceived", proposal()))
        },
        RuleCase(description: "a reply sent naming no recorded reply", field: "data.reply", reason: "reply-GHOST is not in the ledger", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal())], bad(ids, P, "ReplySent", #"{"reply":"GHOST","classification":"A"}"#))
        },
        RuleCase(description: "a reply sent naming another proposal's reply", field: "data.reply", reason: "reply-R2 was produced for proposal-P2, not for proposal-P1", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal()), reply("R2", for: #","proposal":"P2""#)],
             bad(ids, P, "ReplySent", #"{"reply":"R2","classification":"A"}"#))
        },
        RuleCase(description: "a reply sent naming a reply produced for no proposal", field: "data.reply", reason: "reply-R3 was produced for no proposal", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal()), reply("R3", for: "")],
             bad(ids, P, "ReplySent", #"{"reply":"R3","classification":"A"}"#))
        },
        RuleCase(description: "a reply sent before the proposal was received", field: "occurred_on", reason: "is before the ProposalReceived of 2022-03-01", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal()), replyRecord], bad(ids, P, "ReplySent", #"{"reply":"R1","classification":"A"}"#, on: "2022-02-28"))
        },
        RuleCase(description: "a second reply sent", field: "type", reason: "already sent on 2022-03-01", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal()), replyRecord, Events.line(P, "ReplySent", #"{"reply":"R1","classification":"A"}"#)],
             bad(ids, P, "ReplySent", #"{"reply":"R1","classification":"B"}"#))
        },
        RuleCase(description: "feedback before any reply", field: "type", reason: "ProposerFeedback needs a ReplySent", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal())], bad(ids, P, "ProposerFeedback", #"{"satisfaction":"satisfied"}"#))
        },
        RuleCase(description: "voiding a proposal's receipt", field: "data.event_id", reason: "the stream's first event; it cannot be voided", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal(), id: ids.first)], bad(ids, P, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"x"}"#))
        },
        RuleCase(description: "voiding a reply its feedback requires", field: "data.event_id", reason: "is required by the later ProposerFeedback", history: true) { ids in
            ([Events.line(P, "ProposalReceived", proposal()), replyRecord,
              Events.line(P, "ReplySent", #"{"reply":"R1","classification":"A"}"#, id: ids.second),
              Events.line(P, "ProposerFeedback", #"{"satisfaction":"satisfied"}"#)],
             bad(ids, P, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#))
        },
        // Random inspections (SPEC §11).
        RuleCase(description: "a plan with both a ratio and a count", field: "", reason: "give exactly one of ratio_percent and count") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(size: #""ratio_percent":10,"count":3"#)))
        },
        RuleCase(description: "a plan with one inspector", field: "data.inspectors", reason: "a draw needs at least 2") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(inspectors: #"["a","a"]"#)))
        },
        RuleCase(description: "a plan drawing one inspector a target", field: "data.per_target", reason: "found 1") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(perTarget: 1)))
        },
        RuleCase(description: "a plan drawing no share of the pool", field: "data.ratio_percent", reason: "found 0") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(size: #""ratio_percent":0"#)))
        },
        RuleCase(description: "a recusal of someone outside the plan", field: "data.recusals[0].inspector", reason: "zz is not one of the plan's inspectors") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(extra: #","recusals":[{"inspector":"zz","institution":"I1"}]"#)))
        },
        RuleCase(description: "a plan whose window closes before it opens", field: "data.window.to", reason: "is before window.from") { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(window: #"{"from":"2022-03-10","to":"2022-03-09"}"#)))
        },
        RuleCase(description: "a draw without targets", field: "data.targets", reason: "is required") { ids in
            ([], bad(ids, D, "DrawPerformed", #"{"beacon":"B","beacon_date":"2022-03-05"}"#))
        },
        RuleCase(description: "a plan whose window opens before it", field: "data.window.from", reason: "is before occurred_on 2022-03-01", history: true) { ids in
            ([], bad(ids, D, "DrawPlanned", drawPlan(window: #"{"from":"2022-02-20","to":"2022-04-30"}"#)))
        },
        RuleCase(description: "a draw without a plan", field: "stream", reason: "has not been planned (DrawPlanned comes first)", history: true) { ids in
            ([], bad(ids, D, "DrawPerformed", drawn(ids), on: "2022-03-05"))
        },
        RuleCase(description: "a draw with a beacon from before the plan", field: "data.beacon_date", reason: "is not after the plan of 2022-03-01", history: true) { ids in
            ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first)], bad(ids, D, "DrawPerformed", drawn(ids, beaconDate: "2022-03-01"), on: "2022-03-05"))
        },
        RuleCase(description: "a forged draw", field: "data.targets", reason: "the draw does not match the plan and beacon: target 1 is", history: true) { ids in
            ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first)], bad(ids, D, "DrawPerformed", drawn(ids, forged: true), on: "2022-03-05"))
        },
        RuleCase(description: "a second draw", field: "type", reason: "a plan is drawn once", history: true) { ids in
            ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first), Events.line(D, "DrawPerformed", drawn(ids), on: "2022-03-05")],
             bad(ids, D, "DrawPerformed", drawn(ids), on: "2022-03-06"))
        },
        RuleCase(description: "voiding a draw", field: "data.event_id", reason: "a draw is never voided", history: true) { ids in
            ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first), Events.line(D, "DrawPerformed", drawn(ids), id: ids.second, on: "2022-03-05")],
             bad(ids, D, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#, on: "2022-03-06"))
        },
        RuleCase(description: "results published before every target was inspected", field: "type", reason: "not inspected yet", history: true) { ids in
            ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first), Events.line(D, "DrawPerformed", drawn(ids), on: "2022-03-05")],
             bad(ids, D, "DrawResultsPublished", "{}", on: "2022-05-06"))
        },
        RuleCase(description: "an inspection by an inspector not drawn for it", field: "actor", reason: "was not drawn to inspect", history: true) { ids in
            let target = drawTargets(ids)[0]
            let stranger = ["a", "b", "c"].first { !target.inspectors.contains($0) }!
            return ([Events.line(D, "DrawPlanned", drawPlan(), id: ids.first), Events.line(D, "DrawPerformed", drawn(ids), on: "2022-03-05")],
                    bad(ids, "institution-\(target.institution)", "InstitutionInspected", #"{"operation":"O1","result":"compliant","draw":"D1"}"#, on: "2022-03-06", actor: stranger))
        },
        // The black list (SPEC §13).
        RuleCase(description: "a listing without its reason", field: "data.reason", reason: "is required") { ids in
            ([], bad(ids, I, "Blacklisted", "{}"))
        },
        RuleCase(description: "a listing until a day that is not a date", field: "data.until", reason: "must be a date") { ids in
            ([], bad(ids, I, "Blacklisted", #"{"reason":"x","until":"2022-02-30"}"#))
        },
        RuleCase(description: "a listing naming no stream key as its case", field: "data.case", reason: "is not a stream key") { ids in
            ([], bad(ids, I, "Blacklisted", #"{"reason":"x","case":"c/1"}"#))
        },
        RuleCase(description: "a listing ending before it starts", field: "data.until", reason: "is not after occurred_on 2022-03-01", history: true) { ids in
            ([], bad(ids, I, "Blacklisted", #"{"reason":"x","until":"2022-03-01"}"#))
        },
        RuleCase(description: "a listing naming an unknown case", field: "data.case", reason: "case-NOPE is not in the ledger", history: true) { ids in
            ([], bad(ids, I, "Blacklisted", #"{"reason":"x","case":"NOPE"}"#))
        },
        RuleCase(description: "a second listing while the first holds", field: "type", reason: "already on the black list (since 2022-02-01 until 2023-02-01)", history: true) { ids in
            ([Events.line(I, "Blacklisted", #"{"reason":"违规收费","until":"2023-02-01"}"#, on: "2022-02-01")], bad(ids, I, "Blacklisted", #"{"reason":"y"}"#))
        },
        RuleCase(description: "lifting a listing never made", field: "type", reason: "Unblacklisted needs a Blacklisted", history: true) { ids in
            ([], bad(ids, I, "Unblacklisted", #"{"reason":"信用修复"}"#))
        },
        RuleCase(description: "lifting a listing that ended by itself", field: "type", reason: "ended by itself on 2022-02-15", history: true) { ids in
            ([Events.line(I, "Blacklisted", #"{"reason":"x","until":"2022-02-15"}"#, on: "2022-02-01")], bad(ids, I, "Unblacklisted", #"{"reason":"信用修复"}"#))
        },
        RuleCase(description: "lifting a listing twice", field: "type", reason: "is not on the black list", history: true) { ids in
            ([Events.line(I, "Blacklisted", #"{"reason":"x"}"#, on: "2022-02-01"), Events.line(I, "Unblacklisted", #"{"reason":"y"}"#, on: "2022-02-20")],
             bad(ids, I, "Unblacklisted", #"{"reason":"z"}"#))
        },
        RuleCase(description: "voiding a listing its lifting requires", field: "data.event_id", reason: "is required by the later Unblacklisted", history: true) { ids in
            ([Events.line(I, "Blacklisted", #"{"reason":"x"}"#, id: ids.first, on: "2022-02-01"), Events.line(I, "Unblacklisted", #"{"reason":"y"}"#, on: "2022-02-20")],
             bad(ids, I, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"错录"}"#))
        },
        // Complaints (SPEC §12): what a line says by itself. No reason repeats a reporter's value.
        RuleCase(description: "a complaint from an unknown channel", field: "data.channel", reason: "must be one of") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(channel: "pigeon")))
        },
        RuleCase(description: "a complaint about neither an institution nor a venue", field: "", reason: "give exactly one of institution") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(about: "")))
        },
        RuleCase(description: "a complaint about both an institution and a venue", field: "", reason: "give exactly one of institution") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(about: #""institution":"I1","venue":{"name":"某点","address":"某路1号"},"#)))
        },
        RuleCase(description: "a venue without its address", field: "data.venue.address", reason: "is required") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(about: #""venue":{"name":"某点"},"#)))
        },
        RuleCase(description: "a complaint that does not say whether it is anonymous", field: "data.anonymous", reason: "is required") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(anonymous: nil)))
        },
        RuleCase(description: "an anonymous complaint with a reporter", field: "data.reporter", reason: "the complaint is anonymous") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(anonymous: true, reporter: Reporters.clear)))
        },
        RuleCase(description: "a reporter without a name", field: "data.reporter.name", reason: "is required") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(reporter: #"{"phone":"\#(Reporters.phone)"}"#)))
        },
        RuleCase(description: "a reporter's phone that is not one", field: "data.reporter.phone", reason: "is not a phone number") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(reporter: #"{"name":"\#(Reporters.name)","phone":"call 4711"}"#)))
        },
        RuleCase(description: "an ID number failing its check digit", field: "data.reporter.id_number", reason: "fails the GB 11643 check digit") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(reporter: #"{"name":"\#(Reporters.name)","id_number":"\#(Reporters.wrongIDNumber)"}"#)))
        },
        RuleCase(description: "an ID number of the wrong length", field: "data.reporter.id_number", reason: "must be 18 characters") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(reporter: #"{"name":"\#(Reporters.name)","id_number":"1101051949"}"#)))
        },
        RuleCase(description: "a summary repeating the reporter's phone", field: "data.summary", reason: "repeats the reporter's identity") { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(summary: "举报人电话 \(Reporters.phone),反映周末补课", reporter: Reporters.clear)))
        },
        RuleCase(description: "a verification of an unknown finding", field: "data.finding", reason: "must be one of") { ids in
            ([], bad(ids, K, "ComplaintVerified", #"{"finding":"maybe"}"#))
        },
        RuleCase(description: "a decline without its reason", field: "data.reason", reason: "is required") { ids in
            ([], bad(ids, K, "ComplaintDeclined", "{}"))
        },
        // Complaints: what the complaint and the streams it names decide.
        RuleCase(description: "a complaint's step before its receipt", field: "stream", reason: "has not been received (ComplaintReceived comes first)", history: true) { ids in
            ([], bad(ids, K, "ComplaintAccepted", "{}"))
        },
        RuleCase(description: "a second receipt", field: "type", reason: "must be the first event", history: true) { ids in
            ([received], bad(ids, K, "ComplaintReceived", complaint()))
        },
        RuleCase(description: "a complaint about an unknown institution", field: "data.institution", reason: "institution-NOPE is not in the ledger", history: true) { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(about: #""institution":"NOPE","#)))
        },
        RuleCase(description: "a reporter submitted already sealed", field: "data.reporter", reason: "give the reporter in clear", history: true) { ids in
            ([], bad(ids, K, "ComplaintReceived", complaint(reporter: #"{"ciphertext":"AAAA"}"#)))
        },
        RuleCase(description: "an acceptance dated before the receipt", field: "occurred_on", reason: "is before the ComplaintReceived of 2022-03-01", history: true) { ids in
            ([received], bad(ids, K, "ComplaintAccepted", "{}", on: "2022-02-28"))
        },
        RuleCase(description: "a second acceptance", field: "type", reason: "already accepted on 2022-03-01", history: true) { ids in
            ([received, step("ComplaintAccepted")], bad(ids, K, "ComplaintAccepted", "{}"))
        },
        RuleCase(description: "declining an accepted complaint", field: "type", reason: "already accepted on 2022-03-01", history: true) { ids in
            ([received, step("ComplaintAccepted")], bad(ids, K, "ComplaintDeclined", #"{"reason":"x"}"#))
        },
        RuleCase(description: "an extension before the acceptance", field: "type", reason: "ComplaintExtended needs a ComplaintAccepted", history: true) { ids in
            ([received], bad(ids, K, "ComplaintExtended", #"{"reason":"x"}"#))
        },
        RuleCase(description: "a second extension", field: "type", reason: "may be extended at most once", history: true) { ids in
            ([received, step("ComplaintAccepted"), step("ComplaintExtended", #"{"reason":"x"}"#)], bad(ids, K, "ComplaintExtended", #"{"reason":"y"}"#))
        },
        RuleCase(description: "a verification before the acceptance", field: "type", reason: "ComplaintVerified needs a ComplaintAccepted", history: true) { ids in
            ([received], bad(ids, K, "ComplaintVerified", #"{"finding":"substantiated"}"#))
        },
        RuleCase(description: "a second verification", field: "type", reason: "already verified on 2022-03-01", history: true) { ids in
            ([received, step("ComplaintAccepted"), step("ComplaintVerified", #"{"finding":"unsubstantiated"}"#)],
             bad(ids, K, "ComplaintVerified", #"{"finding":"substantiated"}"#))
        },
        RuleCase(description: "a verification by an operation that is no complaint check", field: "data.operation", reason: "is a daily_patrol operation", history: true) { ids in
            ([received, step("ComplaintAccepted")], bad(ids, K, "ComplaintVerified", #"{"finding":"substantiated","operation":"O1"}"#))
        },
        RuleCase(description: "a verification by an unknown operation", field: "data.operation", reason: "operation-NOPE is not in the ledger", history: true) { ids in
            ([received, step("ComplaintAccepted")], bad(ids, K, "ComplaintVerified", #"{"finding":"substantiated","operation":"NOPE"}"#))
        },
        RuleCase(description: "a verification naming a case not opened from it", field: "data.case", reason: "was not opened from this complaint", history: true) { ids in
            ([received, step("ComplaintAccepted"), caseLine("CaseOpened", opened())],
             bad(ids, K, "ComplaintVerified", #"{"finding":"substantiated","case":"C1"}"#))
        },
        RuleCase(description: "a case opened from an unknown complaint", field: "data.source_ref", reason: "complaint-NOPE is not in the ledger", history: true) { ids in
            ([], bad(ids, C, "CaseOpened", opened(source: "complaint", extra: #","source_ref":"NOPE""#)))
        },
        RuleCase(description: "an answer before a verification or a decline", field: "type", reason: "needs a ComplaintVerified or ComplaintDeclined", history: true) { ids in
            ([received, step("ComplaintAccepted")], bad(ids, K, "ComplaintAnswered", #"{"summary":"x"}"#))
        },
        RuleCase(description: "erasing the reporter of an anonymous complaint", field: "type", reason: "holds no reporter to erase", history: true) { ids in
            ([Events.line(K, "ComplaintReceived", complaint(anonymous: true))], bad(ids, K, "PersonalDataErased", #"{"reason":"x"}"#))
        },
        RuleCase(description: "a second erasure", field: "type", reason: "the reporter was already erased", history: true) { ids in
            ([received, step("PersonalDataErased", #"{"reason":"x"}"#)], bad(ids, K, "PersonalDataErased", #"{"reason":"y"}"#))
        },
        RuleCase(description: "a reading of the reporter submitted by a client", field: "type", reason: "is recorded by the ledger itself", history: true) { ids in
            ([received], bad(ids, K, "ReporterViewed", #"{"reason":"x"}"#))
        },
        RuleCase(description: "voiding a complaint's receipt", field: "data.event_id", reason: "the complaint's receipt", history: true) { ids in
            ([Events.line(K, "ComplaintReceived", complaint(reporter: Reporters.clear), id: ids.first)],
             bad(ids, K, "EntryVoided", #"{"event_id":"\#(ids.first)","reason":"x"}"#))
        },
        RuleCase(description: "voiding an erasure", field: "data.event_id", reason: "an erasure cannot be undone", history: true) { ids in
            ([received, step("PersonalDataErased", #"{"reason":"x"}"#, id: ids.second)], bad(ids, K, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#))
        },
        RuleCase(description: "voiding an acceptance its verification requires", field: "data.event_id", reason: "is required by the later ComplaintVerified", history: true) { ids in
            ([received, step("ComplaintAccepted", id: ids.second), step("ComplaintVerified", #"{"finding":"substantiated"}"#)],
             bad(ids, K, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#))
        },
        // Penalty cases (SPEC §9): what a line says by itself.
        RuleCase(description: "a case with one officer", field: "data.officers", reason: "needs at least 2 (Art 42)") { ids in
            ([], bad(ids, C, "CaseOpened", opened(officers: #"["张三","张三"]"#)))
        },
        RuleCase(description: "a violation after its discovery", field: "data.violation_on", reason: "is after discovered_on") { ids in
            ([], bad(ids, C, "CaseOpened", opened(violationOn: "2022-02-10")))
        },
        RuleCase(description: "a case of an unknown source", field: "data.source", reason: "must be one of") { ids in
            ([], bad(ids, C, "CaseOpened", opened(source: "rumour")))
        },
        RuleCase(description: "evidence whose hash is not SHA-256", field: "data.sha256", reason: "64 hexadecimal digits") { ids in
            ([], bad(ids, C, "EvidenceRecorded", #"{"kind":"documentary","description":"营业执照复印件","sha256":"abc"}"#))
        },
        RuleCase(description: "a notice proposing a fine without its amount", field: "data.fine_fen", reason: "is required when a fine is proposed") { ids in
            ([], bad(ids, C, "PenaltyNoticeServed", #"{"proposed":["fine"],"hearing_right":true}"#))
        },
        RuleCase(description: "a notice proposing an unknown penalty", field: "data.proposed[0]", reason: "must be one of") { ids in
            ([], bad(ids, C, "PenaltyNoticeServed", #"{"proposed":["flogging"],"hearing_right":false}"#))
        },
        RuleCase(description: "a penalty decision without penalties", field: "data.penalties", reason: "must not be empty") { ids in
            ([], bad(ids, C, "CaseDecided", #"{"decision_no":"N1","outcome":"penalty","penalties":[]}"#))
        },
        RuleCase(description: "penalties with a decision of no penalty", field: "data.penalties", reason: "only a penalty decision imposes penalties") { ids in
            ([], bad(ids, C, "CaseDecided", #"{"decision_no":"N1","outcome":"no_penalty_minor","penalties":["warning"]}"#))
        },
        RuleCase(description: "a changed decision without its number", field: "data.decision_no", reason: "is required") { ids in
            ([], bad(ids, C, "AppealDecided", #"{"outcome":"changed"}"#))
        },
        RuleCase(description: "a payment of nothing", field: "data.amount_fen", reason: "between 1") { ids in
            ([], bad(ids, C, "FinePaid", #"{"amount_fen":0}"#))
        },
        RuleCase(description: "a case's warning without a decision number", field: "data.decision_no", reason: "is required when the warning names a case") { ids in
            ([], bad(ids, I, "WarningIssued", #"{"reason":"x","case":"C1"}"#))
        },
        RuleCase(description: "a penalty naming no stream key as its case", field: "data.case", reason: "is not a stream key") { ids in
            ([], bad(ids, I, "PenaltyImposed", #"{"decision_no":"N1","fine_fen":100,"confiscated_fen":0,"case":"c/1"}"#))
        },
        // Penalty cases: what the case, its institution and the call decide.
        RuleCase(description: "a case event before the case is opened", field: "stream", reason: "has not been opened (CaseOpened comes first)", history: true) { ids in
            ([], bad(ids, C, "EvidenceRecorded", #"{"kind":"documentary","description":"x"}"#))
        },
        RuleCase(description: "a case of an institution not in the ledger", field: "data.institution", reason: "institution-GHOST is not in the ledger", history: true) { ids in
            ([], bad(ids, C, "CaseOpened", opened(institution: "GHOST")))
        },
        RuleCase(description: "a case opened past the two-year limit", field: "data.discovered_on", reason: "past the two-year limit", history: true) { ids in
            ([], bad(ids, C, "CaseOpened", opened(violationOn: "2019-12-31", discoveredOn: "2022-01-05")))
        },
        RuleCase(description: "a case discovered after it was opened", field: "data.discovered_on", reason: "is after occurred_on 2022-03-01", history: true) { ids in
            ([], bad(ids, C, "CaseOpened", opened(violationOn: "2022-02-01", discoveredOn: "2022-03-05")))
        },
        RuleCase(description: "a hearing asked for without the right to one", field: "type", reason: "gave no right to a hearing", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: false))], bad(ids, C, "HearingRequested", "{}"))
        },
        RuleCase(description: "a hearing asked for past its window", field: "occurred_on", reason: "2022-03-09 is past the hearing window, which closed on 2022-03-08", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: true))], bad(ids, C, "HearingRequested", "{}", on: "2022-03-09"))
        },
        RuleCase(description: "a hearing presided by the case's officer", field: "data.presiding", reason: "is one of the case's officers", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: true)), Events.line(C, "HearingRequested", "{}", on: "2022-03-01")],
             bad(ids, C, "HearingHeld", #"{"presiding":"张三","summary":"x"}"#))
        },
        RuleCase(description: "a penalty decided without a notice", field: "type", reason: "no penalty notice was served", history: true) { ids in
            ([caseLine("CaseOpened", opened())], bad(ids, C, "CaseDecided", decided()))
        },
        RuleCase(description: "a penalty decided before the hearing asked for", field: "type", reason: "a hearing was requested and has not been held (Art 62)", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: true)), Events.line(C, "HearingRequested", "{}", on: "2022-03-01")],
             bad(ids, C, "CaseDecided", decided()))
        },
        RuleCase(description: "a penalty the notice did not propose", field: "data.penalties", reason: "license_revoked was not proposed in the penalty notice (Art 45)", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: false))], bad(ids, C, "CaseDecided", decided(penalties: #"["fine","license_revoked"]"#)))
        },
        RuleCase(description: "a penalty decision without its PenaltyImposed", field: "data.penalties", reason: "needs its PenaltyImposed on institution-I1 in the same call", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: false))], bad(ids, C, "CaseDecided", decided()))
        },
        RuleCase(description: "a case decided twice", field: "type", reason: "the case is already decided (N1)", history: true) { ids in
            (decidedCase(), bad(ids, C, "CaseDecided", #"{"decision_no":"N2","outcome":"not_established"}"#))
        },
        RuleCase(description: "serving a decision of no penalty", field: "type", reason: "only a penalty decision is served", history: true) { ids in
            ([caseLine("CaseOpened", opened()), caseLine("CaseDecided", #"{"decision_no":"N1","outcome":"not_established"}"#)], bad(ids, C, "DecisionServed", #"{"method":"post"}"#))
        },
        RuleCase(description: "a payment before the decision is served", field: "type", reason: "FinePaid needs a DecisionServed", history: true) { ids in
            (decidedCase(), bad(ids, C, "FinePaid", #"{"amount_fen":100}"#))
        },
        RuleCase(description: "an appeal decided with none filed", field: "type", reason: "AppealDecided needs a ReconsiderationFiled or LitigationFiled", history: true) { ids in
            (decidedCase(), bad(ids, C, "AppealDecided", #"{"outcome":"upheld"}"#))
        },
        RuleCase(description: "voiding a decision", field: "data.event_id", reason: "a decision is changed by appeal, not voided", history: true) { ids in
            (decidedCase(decisionID: ids.second), bad(ids, C, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#))
        },
        RuleCase(description: "voiding the penalty that carries out a decision", field: "data.event_id", reason: "carries out the decision of case-C1", history: true) { ids in
            (decidedCase(penaltyID: ids.second), bad(ids, I, "EntryVoided", #"{"event_id":"\#(ids.second)","reason":"x"}"#))
        },
        RuleCase(description: "evidence after the case is closed", field: "type", reason: "the case is closed", history: true) { ids in
            (decidedCase() + [caseLine("CaseClosed", #"{"summary":"结案"}"#)], bad(ids, C, "EvidenceRecorded", #"{"kind":"documentary","description":"x"}"#))
        },
        RuleCase(description: "a penalty naming a case not decided", field: "data.decision_no", reason: "case-C1 has no decision N9", history: true) { ids in
            ([caseLine("CaseOpened", opened())], bad(ids, I, "PenaltyImposed", #"{"decision_no":"N9","fine_fen":100,"confiscated_fen":0,"case":"C1"}"#))
        },
        RuleCase(description: "a case's penalty revoked without an appeal", field: "data.case", reason: "is revoked by an AppealDecided revoked or changed on it in the same call", history: true) { ids in
            (decidedCase(), bad(ids, I, "PenaltyRevoked", #"{"decision_no":"N1","reason":"撤销","case":"C1"}"#))
        },
        RuleCase(description: "a case's event on another institution", field: "data.case", reason: "the case concerns institution-I1, not institution-I3", history: true) { ids in
            ([caseLine("CaseOpened", opened())], bad(ids, "institution-I3", "ViolationFound", #"{"case_no":"V1","kind":"other","persons_involved":1,"case":"C1"}"#))
        },
    ]
}

private let C = "case-C1"
private func opened(
    institution: String = "I1", source: String = "inspection", violationOn: String = "2022-01-15", discoveredOn: String = "2022-02-01",
    officers: String = #"["张三","李四"]"#, extra: String = ""
) -> String {
    #"{"institution":"\#(institution)","violation":"hidden_variant_academic","source":"\#(source)","discovered_on":"\#(discoveredOn)","violation_on":"\#(violationOn)","officers":\#(officers)\#(extra)}"#
}
private func notice(hearing: Bool) -> String { #"{"proposed":["fine","warning"],"fine_fen":500000,"hearing_right":\#(hearing)}"# }
private func decided(penalties: String = #"["fine"]"#) -> String { #"{"decision_no":"N1","outcome":"penalty","penalties":\#(penalties)}"# }
private func caseLine(_ type: String, _ data: String, id: String = Events.newID()) -> String { Events.line(C, type, data, id: id, on: "2022-03-01") }
/// Case C1 of institution I1 decided N1 (a fine), with its PenaltyImposed, all on 2022-03-01.
private func decidedCase(decisionID: String = Events.newID(), penaltyID: String = Events.newID()) -> [String] {
    [caseLine("CaseOpened", opened()), caseLine("PenaltyNoticeServed", notice(hearing: false)), caseLine("CaseDecided", decided(), id: decisionID),
     Events.line(I, "PenaltyImposed", #"{"decision_no":"N1","fine_fen":500000,"confiscated_fen":0,"case":"C1"}"#, id: penaltyID, on: "2022-03-01")]
}

private let P = "proposal-P1"
private func proposal(proposers: String = #"["王某"]"#, role: String = "lead", district: String = #""天宁区""#, extra: String = "") -> String {
    #"{"session":"市政协十四届三次会议","number":"0123","title":"关于规范校外培训的建议","proposers":\#(proposers),"role":"\#(role)","district":\#(district)\#(extra)}"#
}
/// A reply recorded as `reply-R1` for proposal P1, which a `ReplySent` names.
private let replyRecord = reply("R1", for: #","proposal":"P1""#)
/// A reply recorded as `reply-<key>`; `proposal` the JSON member naming its proposal, if any.
private func reply(_ key: String, for proposal: String) -> String {
    Events.line("reply-\(key)", "ReplyIssued", #"{"from":"2022-01-01","to":"2022-12-31","baseline":"2021-07-24","position":1,"digest":"\#(String(repeating: "a", count: 64))","text_sha256":"\#(String(repeating: "b", count: 64))","format":"text"\#(proposal)}"#)
}

private let K = "complaint-K1"
/// A made-up reporter: what no rejection, log or page may repeat.
enum Reporters {
    static let name = "孙丽华"
    static let phone = "13800001111"
    static let idNumber = "11010519491231002X"
    static let wrongIDNumber = "110105194912310021"
    static let clear = #"{"name":"\#(name)","phone":"\#(phone)","id_number":"\#(idNumber)"}"#
    static let values = [name, phone, idNumber, wrongIDNumber]
}
private func complaint(
    channel: String = "hotline_12345", about: String = #""venue":{"name":"某辅导点","address":"天宁区和平路1号"},"#,
    summary: String = "反映周末开展学科类培训", anonymous: Bool? = false, reporter: String? = nil
) -> String {
    let anonymity = anonymous.map { #","anonymous":\#($0)"# } ?? ""
    let person = reporter.map { #","reporter":\#($0)"# } ?? ""
    return #"{"channel":"\#(channel)","district":"天宁区",\#(about)"summary":"\#(summary)"\#(anonymity)\#(person)}"#
}
/// Complaint K1 received on 2022-03-01 with a reporter.
private let received = Events.line(K, "ComplaintReceived", complaint(reporter: Reporters.clear))
private func step(_ type: String, _ data: String = "{}", id: String = Events.newID()) -> String { Events.line(K, type, data, id: id) }

private let D = "draw-D1"
/// A 天宁区 plan of 2022-03-01 drawing one of I1 and I3 (both registered in the setup).
private func drawPlan(size: String = #""count":1"#, inspectors: String = #"["a","b","c"]"#, perTarget: Int = 2,
                      window: String = #"{"from":"2022-03-02","to":"2022-04-30"}"#, extra: String = "") -> String {
    #"{"district":"天宁区","matters":["办学资质"],\#(size),"inspectors":\#(inspectors),"per_target":\#(perTarget),"window":\#(window)\#(extra)}"#
}
/// The draw of that plan (recorded as `ids.first`) with beacon "B".
private func drawTargets(_ ids: CaseIDs, beacon: String = "B") -> [Draw.Target] {
    let plan = EventPayload.DrawPlan(district: "天宁区", matters: ["办学资质"], size: .count(1), inspectors: ["a", "b", "c"], perTarget: 2,
                                     windowFrom: CalendarDate("2022-03-02")!, windowTo: CalendarDate("2022-04-30")!)
    return (try? Draw.targets(plan, planID: UUID(text: ids.first)!, pool: ["I1", "I3"], beacon: beacon)) ?? []
}
/// A DrawPerformed with the targets of beacon "B" (forged: with the inspectors in another order).
private func drawn(_ ids: CaseIDs, beaconDate: String = "2022-03-04", forged: Bool = false) -> String {
    let beacon = "B"
    let targets = drawTargets(ids).map { target in
        let inspectors = forged ? target.inspectors.reversed() : target.inspectors
        return #"{"institution":"\#(target.institution)","inspectors":["\#(inspectors.joined(separator: "\",\""))"]}"#
    }
    return #"{"beacon":"\#(beacon)","beacon_date":"\#(beaconDate)","targets":[\#(targets.joined(separator: ","))]}"#
}

@Suite struct ValidationRuleTests {
    static let alone = RuleCase.all.filter { !$0.history }
    static let withHistory = RuleCase.all.filter(\.history)

    /// A line wrong by itself is refused by decoding alone, with no database: one line naming the field.
    @Test(arguments: alone)
    func aLineWrongByItselfIsRefusedWithOneClearLine(_ rule: RuleCase) throws {
        let configuration = LedgerConfiguration.changzhou
        let (setup, badBytes) = rule.build(CaseIDs())
        #expect(setup.isEmpty)
        guard case .invalid(let problems) = Envelope.decode(Submission(line: 42, bytes: badBytes), configuration: configuration, today: configuration.today) else {
            Issue.record("\(rule.description) was accepted")
            return
        }
        let line = problems.map(\.description).joined(separator: "; ")
        #expect(!Reporters.values.contains(where: line.contains), "a reason repeats a reporter's value: \(line)")
        #expect(line.contains(rule.field.isEmpty ? rule.reason : "\(rule.field): "), "\(line)")
        #expect(line.contains(rule.reason), "\(line)")
        #expect(!line.contains("\n"))
        Self.expectChinese(problems, rule)
    }

    /// Every reason of a rule has its code from the catalogue and its Chinese (issue 19).
    static func expectChinese(_ problems: [Problem], _ rule: RuleCase) {
        let codes = Set(Reason.catalogue.map(\.code))
        for problem in problems {
            #expect(codes.contains(problem.code), "\(rule.description): code \(problem.code) is not in the catalogue")
            let chinese = problem.text(.chinese)
            #expect(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(rule.description): \(chinese)")
            #expect(!Reporters.values.contains(where: chinese.contains), "a reason repeats a reporter's value: \(chinese)")
            #expect(!chinese.contains("\n"))
        }
    }

    /// The same lines through the appender, into one database: each refused as line 42 with the
    /// same reason, and nothing appended.
    @Test func aLineWrongByItselfAppendsNothing() throws {
        let ledger = try LedgerHarness("rule_alone")
        try ledger.append([Events.registered("I1"), Events.operation("O1")])
        let before = try ledger.count()
        for rule in Self.alone {
            let ids = CaseIDs()
            try expectRefused(rule, [Submission(line: 42, bytes: rule.build(ids).bad)], ids: ids, ledger, before: before)
        }
    }

    /// A line wrong for the stream it goes to, after the history it names.
    @Test(arguments: withHistory)
    func aLineWrongForItsStreamIsRefusedAndAppendsNothing(_ rule: RuleCase) throws {
        let ledger = try LedgerHarness("rule")
        let ids = CaseIDs()
        let (setup, badBytes) = rule.build(ids)
        // The working-day calendars published by today (2021–2025), for the rules that count working days.
        let calendars = try TestDatabase.shippedCalendars().filter { !$0.contains(#""stream":"calendar-2026""#) }
        try ledger.append(calendars + [Events.registered("I1"), Events.registered("I3", id: ids.registration), Events.operation("O1")] + setup)
        try expectRefused(rule, [Submission(line: 42, bytes: badBytes)], ids: ids, ledger, before: try ledger.count())
    }

    func expectRefused(_ rule: RuleCase, _ submissions: [Submission], ids: CaseIDs, _ ledger: LedgerHarness, before: Int) throws {
        let rejected = try #require(try ledger.rejection(submissions), "\(rule.description) was accepted")
        #expect(rejected.count == 1)
        let line = rejected.rejections.first?.description ?? ""
        #expect(!Reporters.values.contains(where: line.contains), "a reason repeats a reporter's value: \(line)")
        #expect(line.hasPrefix("line 42"))
        let expected = rule.field.isEmpty ? rule.reason : "\(rule.field): "
        #expect(line.contains(expected), "\(line)")
        #expect(line.contains(rule.reason), "\(line)")
        #expect(!line.contains("\n"))
        Self.expectChinese(rejected.rejections.flatMap(\.problems), rule)
        #expect(rejected.rejections.first?.text(.chinese).hasPrefix("第 42 行") == true)
        #expect(try ledger.count() == before)
        let stored = try ledger.database.connect().execute("SELECT count(*) AS n FROM ledger.events WHERE id::text = \(ids.bad)")
        #expect(stored[0]["n"] == "0")
    }

    @Test func anExpectedVersionConflictIsAConflictNotInvalidInput() throws {
        let ledger = try LedgerHarness("conflict")
        try ledger.append([Events.registered("I1")])
        let rejected = try #require(try ledger.rejection([Submission(text: Events.line(I, "InterviewHeld", #"{"reason":"x"}"#, extra: #","expected_version":0"#))]))
        #expect(rejected.isConflict)
        let invalid = try #require(try ledger.rejection([Submission(text: Events.line(I, "InterviewHeld", #"{"reason":""}"#))]))
        #expect(!invalid.isConflict)
    }
}
