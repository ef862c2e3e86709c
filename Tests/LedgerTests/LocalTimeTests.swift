import EventStore
import Foundation
import Ledger
import Testing

/// Times as staff read them: `recorded_at` is kept in UTC, shown in the bureau's time zone.
@Suite struct LocalTimeTests {
    @Test func recordedAtIsShownInBeijingTimeByDefault() {
        let beijing = LedgerConfiguration.fromEnvironment([:])
        #expect(beijing.localTime("2026-11-30T05:14:24.414398Z") == "2026-11-30 13:14:24 北京时间")
        // Past 16:00 UTC it is the next day in Beijing, and the next year on New Year's Eve.
        #expect(beijing.localTime("2026-12-31T17:00:00.000001Z") == "2027-01-01 01:00:00 北京时间")
        #expect(beijing.localDay("2026-11-30T16:00:00.000000Z") == "2026-12-01")
    }

    @Test func theZoneFollowsLedgerTimezone() {
        let tokyo = LedgerConfiguration.fromEnvironment(["LEDGER_TIMEZONE": "Asia/Tokyo"])
        #expect(tokyo.localTime("2026-11-30T05:14:24.414398Z") == "2026-11-30 14:14:24 Asia/Tokyo")
        let berlin = LedgerConfiguration.fromEnvironment(["LEDGER_TIMEZONE": "Europe/Berlin"])
        #expect(berlin.localTime("2026-07-01T05:00:00.000000Z") == "2026-07-01 07:00:00 Europe/Berlin")
    }

    @Test func aTextThatDoesNotReadIsShownAsGiven() {
        let beijing = LedgerConfiguration.changzhou
        #expect(beijing.localTime("yesterday") == "yesterday")
        #expect(beijing.localTime("2026-11-30 05:14:24") == "2026-11-30 05:14:24")
    }
}
