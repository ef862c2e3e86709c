import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerServer
import Postgres
import Testing

/// The pages, in-process: sign-in, the inspector's form (errors next to the fields, what was typed
/// kept), the timeline, the dashboard, the reply page; refusals as pages.
@Suite struct PageTests {
    @Test func pagesRedirectToSignInAndSignInSetsAStrictCookie() async throws {
        let harness = try await ServerHarness("pages_sign_in")
        try await harness.run { client in
            let anonymous = try await client.send(.get, "/dashboard")
            #expect(anonymous.status == .found)
            #expect(anonymous.headers[.location]?.hasPrefix("/login") == true)
            let login = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", ServerHarness.password)])
            #expect(login.status == .seeOther)
            let cookie = login.headers[.setCookie] ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let wrong = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", "wrong")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("用户名或密码错误"))
            #expect(wrong.text.contains(#"value="analyst""#))
        }
    }

    @Test func anInspectorRecordsAnInspectionThroughTheFormAndSeesItOnTheTimelineAndDashboard() async throws {
        let harness = try await ServerHarness("pages_record")
        let before = try harness.eventCount()
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let dashboardBefore = try await client.send(.get, "/dashboard", cookie: cookie)
            #expect(dashboardBefore.status == .ok)
            #expect(dashboardBefore.text.contains("<svg"))
            #expect(Self.figure("检查机构(家次)", in: dashboardBefore.text) == "0")

            let form = try await client.send(.get, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie)
            #expect(form.status == .ok)
            #expect(form.text.contains(ServerHarness.tianningOperation))
            let id = UUID().uuidString.lowercased()
            let fields = [("id", id), ("occurred_on", "2022-03-05"), ("operation", ServerHarness.tianningOperation),
                          ("result", "issues_found"), ("notes", "消防通道堵塞")]
            let saved = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie, form: fields)
            #expect(saved.status == .seeOther)
            let location = saved.headers[.location] ?? ""
            #expect(location == "/institutions/\(ServerHarness.tianning)?recorded=\(id)")

            let plain = try await client.send(.get, "/institutions/\(ServerHarness.tianning)", cookie: cookie)
            #expect(!plain.text.contains("已记录"))
            #expect(!plain.text.contains("被 "))
            let timeline = try await client.send(.get, location, cookie: cookie)
            #expect(timeline.text.contains("已记录"))
            #expect(timeline.text.contains("消防通道堵塞"))
            #expect(timeline.text.contains("tn-inspector"))
            #expect(timeline.text.contains("✓ 完整"))
            // When it was recorded, in Beijing time (the ledger keeps UTC).
            let beijing = try harness.database.connect().execute("""
                SELECT to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS t FROM ledger.events WHERE id = \(id)::uuid
                """)[0]["t"] ?? "?"
            #expect(timeline.text.contains("记录于 \(beijing) 北京时间"))

            let dashboard = try await client.send(.get, "/dashboard", cookie: cookie)
            #expect(Self.figure("检查机构(家次)", in: dashboard.text) == "1")

            // Submitting the same form twice records it once.
            let again = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie, form: fields)
            #expect(again.status == .seeOther)
        }
        #expect(try harness.eventCount() == before + 1)
    }

    /// The dashboard's trends, drawn on the server (no script), with the same months as
    /// `/api/stats?by=month`, and its Excel download.
    @Test func theDashboardDrawsTheMonthlyTrendsAndOffersExcel() async throws {
        let harness = try await ServerHarness("pages_trends")
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let page = try await client.send(.get, "/dashboard?from=2022-01-01&to=2022-06-30", cookie: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("逐月趋势"))
            for title in ["开展检查", "检查机构", "查处违规行为", "罚没款金额", "压减率(月末)"] {
                #expect(page.text.contains("aria-label=\"\(title)\""), "\(title)")
            }
            #expect(page.text.contains(">2022-01<") && page.text.contains(">2022-06<"))
            #expect(!page.text.contains("<script"))
            let token = try await client.token("tn-inspector")
            let series = try await client.send(.get, "/api/stats?from=2022-01-01&to=2022-06-30&by=month", token: token)
            #expect(series.status == .ok)
            #expect(String(buffer: series.body).components(separatedBy: "\"month\":").count - 1 == 6)
            let csv = try await client.send(.get, "/api/stats?from=2022-01-01&to=2022-06-30&by=month&format=csv", token: token)
            #expect(String(buffer: csv.body).split(separator: "\n").count == 7)
            #expect(try await client.send(.get, "/api/stats?by=week", token: token).status == .badRequest)

            let excel = try await client.send(.get, "/dashboard.xlsx?from=2022-01-01&to=2022-06-30", cookie: cookie)
            #expect(excel.status == .ok)
            #expect(excel.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(excel.body.readableBytes > 1_000)
            #expect(excel.body.getBytes(at: 0, length: 2) == Array("PK".utf8))
        }
    }

    @Test func theFormShowsEachErrorNextToItsFieldAndKeepsWhatWasTyped() async throws {
        let harness = try await ServerHarness("pages_form_errors")
        let before = try harness.eventCount()
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let penalty = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=penalty", cookie: cookie, form: [
                ("id", UUID().uuidString.lowercased()), ("occurred_on", "2022-03-05"), ("decision_no", "天教罚〔2022〕9号"),
                ("fine", "12.345"), ("confiscated", "0"),
            ])
            #expect(penalty.status == .unprocessableContent)
            #expect(penalty.text.contains(#"id="fine-error""#))
            #expect(penalty.text.contains("天教罚〔2022〕9号"))
            #expect(penalty.text.contains(#"value="12.345""#))
            #expect(!penalty.text.contains(#"id="decision_no-error""#))
            #expect(!penalty.text.contains(#"id="confiscated-error""#))

            // The form's own problems and the event's are shown together.
            let both = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie, form: [
                ("id", UUID().uuidString.lowercased()), ("occurred_on", "2999-01-01"), ("operation", ServerHarness.tianningOperation),
                ("notes", "消防通道堵塞"),
            ])
            #expect(both.status == .unprocessableContent)
            #expect(both.text.contains(#"id="result-error""#))
            #expect(both.text.contains(#"id="occurred_on-error""#))
            #expect(both.text.contains("消防通道堵塞"))

            // A problem found by the ledger's rules lands on its field too.
            let notice = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=notice", cookie: cookie, form: [
                ("id", UUID().uuidString.lowercased()), ("occurred_on", "2022-03-05"), ("notice_no", "N-1"),
                ("deadline", "2022-03-01"), ("items", "整改一\n整改二"),
            ])
            #expect(notice.status == .unprocessableContent)
            #expect(notice.text.contains(#"id="deadline-error""#))
            #expect(notice.text.contains("整改一\n整改二"))

            let future = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie, form: [
                ("id", UUID().uuidString.lowercased()), ("occurred_on", "2999-01-01"), ("operation", ServerHarness.tianningOperation),
                ("result", "compliant"),
            ])
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains(#"id="occurred_on-error""#))
            // In Chinese, as the labels are (issue 19).
            #expect(future.text.contains("2999-01-01 晚于今天"), "\(future.text)")
            #expect(!future.text.contains("is after today"))
            #expect(notice.text.contains("2022-03-01 早于发生日期"), "\(notice.text)")
        }
        #expect(try harness.eventCount() == before)
    }

    @Test func theInspectionFormCanOpenANewOperationWithTheInspection() async throws {
        let harness = try await ServerHarness("pages_new_operation")
        let before = try harness.eventCount()
        try await harness.run { client in
            let cookie = try await client.cookie("tn-inspector")
            let saved = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: cookie, form: [
                ("id", UUID().uuidString.lowercased()), ("operation_id", UUID().uuidString.lowercased()), ("occurred_on", "2022-04-01"),
                ("operation", "new"), ("new_operation_kind", "random_check"), ("new_operation_inspectors", "4"), ("result", "compliant"),
            ])
            #expect(saved.status == .seeOther)
            let dashboard = try await client.send(.get, "/dashboard?from=2022-04-01&to=2022-04-01", cookie: cookie)
            #expect(Self.figure("开展检查(次)", in: dashboard.text) == "1")
            #expect(Self.figure("出动检查人员(人次)", in: dashboard.text) == "4")
        }
        #expect(try harness.eventCount() == before + 2)
    }

    @Test func refusalsArePagesAndCrossSiteFormsAreRefused() async throws {
        let harness = try await ServerHarness("pages_refusals")
        let before = try harness.eventCount()
        try await harness.run { client in
            let inspector = try await client.cookie("tn-inspector")
            let otherDistrict = try await client.send(.get, "/institutions/\(ServerHarness.zhonglou)/record?kind=penalty", cookie: inspector)
            #expect(otherDistrict.status == .forbidden)
            #expect(otherDistrict.text.contains("无权访问"))
            let otherTimeline = try await client.send(.get, "/institutions/\(ServerHarness.zhonglou)", cookie: inspector)
            #expect(otherTimeline.status == .forbidden)
            let badKind = try await client.send(.get, "/institutions/\(ServerHarness.tianning)/record?kind=party", cookie: inspector)
            #expect(badKind.status == .badRequest)
            var crossSite = HTTPFields()
            crossSite[.origin] = "https://evil.example"
            let forged = try await client.send(.post, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: inspector,
                form: [("occurred_on", "2022-03-05"), ("operation", ServerHarness.tianningOperation), ("result", "compliant")], headers: crossSite)
            #expect(forged.status == .forbidden)
            let analyst = try await client.cookie("analyst")
            let analystForm = try await client.send(.get, "/institutions/\(ServerHarness.tianning)/record?kind=inspection", cookie: analyst)
            #expect(analystForm.status == .forbidden)
        }
        #expect(try harness.eventCount() == before)
    }

    @Test func theReplyPageShowsTheReplyWithADownload() async throws {
        let harness = try await ServerHarness("pages_reply")
        try await harness.run { client in
            let cookie = try await client.cookie("analyst")
            let page = try await client.send(.get, "/reply?from=2022-01-01&to=2022-12-31", cookie: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("自“双减”政策实施以来"))
            #expect(page.text.contains(#"<button class="primary" type="submit" name="format" value="docx">"#))
            #expect(page.text.contains(#"<input id="from" name="from" type="date" value="2022-01-01">"#))
            let download = try await client.send(.post, "/api/reply", cookie: cookie, form: [("from", "2022-01-01"), ("to", "2022-12-31"), ("format", "docx")])
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(Array(download.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            let dashboard = try await client.send(.get, "/dashboard", cookie: cookie)
            #expect(dashboard.text.contains("钟楼区"))
            #expect(dashboard.text.contains(#"<option value="钟楼区">钟楼区</option>"#))
        }
    }

    @Test func anAdminAddsAndDisablesUsersOnThePage() async throws {
        let harness = try await ServerHarness("pages_users")
        try await harness.run { client in
            let cookie = try await client.cookie("admin")
            let page = try await client.send(.get, "/users", cookie: cookie)
            #expect(page.text.contains("tn-inspector"))
            let bad = try await client.send(.post, "/users", cookie: cookie, form: [("name", "new-one"), ("password", "short"), ("role", "analyst")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"value="new-one""#))
            let added = try await client.send(.post, "/users", cookie: cookie, form: [("name", "new-one"), ("password", "long-enough"), ("role", "analyst")])
            #expect(added.status == .seeOther)
            let disabled = try await client.send(.post, "/users/new-one/disable", cookie: cookie)
            #expect(disabled.status == .seeOther)
            let list = try await client.send(.get, "/users", cookie: cookie)
            #expect(list.text.contains("已停用"))
        }
    }

    /// The value cell after a figure's label in the dashboard table.
    static func figure(_ label: String, in html: String) -> String? {
        guard let range = html.range(of: "<th scope=\"row\">\(label)</th><td class=\"num\">") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "<" })
    }
}
