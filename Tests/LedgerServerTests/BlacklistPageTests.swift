import EventStore
import Foundation
import HummingbirdTesting
import Ledger
import LedgerServer
import Testing

/// The black list through the institution's forms (SPEC §13): an `until` not after the listing is
/// refused beside its field; a listing shows on the institution's page; it is lifted once.
@Suite struct BlacklistPageTests {
    @Test func anInstitutionIsListedAndLiftedThroughItsForms() async throws {
        let harness = try await ServerHarness("blacklist_pages", today: CalendarDate("2026-11-30")!)
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let form = "/institutions/\(ServerHarness.tianning)/record"
            let early = try await client.send(.post, "\(form)?kind=blacklist", cookie: cookie, form: [
                ("id", UUID().lowercasedText), ("occurred_on", "2026-11-20"), ("reason", "违规收费,拒不整改"), ("until", "2026-11-20"),
            ])
            #expect(early.status == .unprocessableContent)
            #expect(early.text.contains("不晚于发生日期 2026-11-20"))
            let listed = try await client.send(.post, "\(form)?kind=blacklist", cookie: cookie, form: [
                ("id", UUID().lowercasedText), ("occurred_on", "2026-11-20"), ("reason", "违规收费,拒不整改"), ("until", "2027-11-20"),
            ])
            #expect(listed.status == .seeOther)
            let page = try await client.send(.get, "/institutions/\(ServerHarness.tianning)", cookie: cookie).text
            #expect(page.contains("列入黑名单(自2026-11-20起,至2027-11-20)"))
            let lifted = try await client.send(.post, "\(form)?kind=unblacklist", cookie: cookie, form: [
                ("id", UUID().lowercasedText), ("occurred_on", "2026-11-28"), ("reason", "已完成整改,信用修复"),
            ])
            #expect(lifted.status == .seeOther)
            #expect(!(try await client.send(.get, "/institutions/\(ServerHarness.tianning)", cookie: cookie).text.contains("列入黑名单(自")))
            let again = try await client.send(.post, "\(form)?kind=unblacklist", cookie: cookie, form: [
                ("id", UUID().lowercasedText), ("occurred_on", "2026-11-29"), ("reason", "x"),
            ])
            #expect(again.text.contains("该机构不在黑名单上"))
        }
    }
}
