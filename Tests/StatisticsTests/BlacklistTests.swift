import EventStore
import Foundation
import Ledger
import Statistics
import TestSupport
import Testing

/// The black list's figures (SPEC §13): a listing holds from its day until its `until` or its
/// lifting, whichever comes first, in the institution's district on the day it was listed.
@Suite struct BlacklistTests {
    @Test func listingsAreCountedFromTheirDayToTheirEnd() throws {
        let ledger = try TestLedger("blacklist", today: CalendarDate("2026-11-30")!)
        let lifted = UUID().lowercasedText
        try ledger.append([
            History.member("B1", on: "2022-01-01"), History.member("B2", on: "2022-01-01"), History.member("B3", district: "钟楼区", on: "2022-01-01"),
            // B1: listed for a year, ending by itself; B2: listed, lifted; B3: listed and still on it.
            History.event("B1", "Blacklisted", #"{"reason":"违规收费","until":"2025-03-01"}"#, on: "2024-03-01"),
            History.event("B2", "Blacklisted", #"{"reason":"虚假宣传"}"#, on: "2024-05-10"),
            History.event("B2", "Unblacklisted", #"{"reason":"信用修复"}"#, id: lifted, on: "2025-01-15"),
            History.event("B3", "Blacklisted", #"{"reason":"无证办学"}"#, on: "2024-12-01"),
            // A late relocation does not move a listing: it counts where B3 was when it was listed.
            History.event("B3", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2025-06-01"),
        ])
        // listed on T / added in the period / ended in the period
        try expectFigure("blacklist", in: ledger, [
            ("2024-01-01", "2024-12-31", nil, "3/3/0"),
            ("2025-01-01", "2025-12-31", nil, "1/0/2"),
            ("2025-01-01", "2025-02-28", "天宁区", "1/0/1"),
            ("2024-01-01", "2026-11-30", "钟楼区", "1/1/0"),
        ])
    }
}
