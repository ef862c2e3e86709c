import Accounts
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Ledger
import LedgerServer
import Postgres
import Testing

/// What an outside attack test of the service found (issue 12), each shown closed: forged
/// records, district scope on the event's date, the open redirect, undecoded path parameters,
/// dates beyond the figures, sign-in limits, a GET that wrote, session hygiene, 405.
@Suite struct OutsideAttackTests {
    static let reply = #"{"from":"2022-01-01","to":"2022-12-31","baseline":"2021-07-24","position":1,"digest":"\#(String(repeating: "a", count: 64))","text_sha256":"\#(String(repeating: "b", count: 64))","format":"text"}"#

    @Test func noInspectorForgesAReplyRecord() async throws {
        let harness = try await ServerHarness("attack_reply")
        let before = try harness.eventCount()
        try await harness.run { client in
            for name in ["tn-inspector", "city-inspector"] {
                let token = try await client.token(name)
                let forged = try await client.send(.post, "/api/events", token: token,
                    json: ServerHarness.line("reply-forged-\(name)", "ReplyIssued", Self.reply))
                #expect(forged.status == .forbidden, "\(name): \(forged.text)")
                #expect(forged.text.contains("reply streams are written by the ledger itself"))
            }
        }
        #expect(try harness.eventCount() == before)
    }

    /// The 天宁区 institution was in 钟楼区 before 2021: a back-dated event then is 钟楼区's.
    @Test func aBackDatedEventIsRecordedByTheDistrictItCountsIn() async throws {
        let harness = try await ServerHarness("attack_backdated")
        let moved = "MV-0001"
        _ = try await harness.services.pool.write { connection in
            try Appender(configuration: .changzhou).append([
                ServerHarness.line("institution-\(moved)", "InstitutionRegistered", #"{"name":"迁入学堂","district":"钟楼区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#, on: "2020-01-01", actor: "seed"),
                ServerHarness.line("institution-\(moved)", "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2021-01-01", actor: "seed"),
            ].map { Submission(text: $0) }, on: connection)
        }
        let before = try harness.eventCount()
        let violation: @Sendable () -> String = { ServerHarness.line("institution-\(moved)", "ViolationFound", #"{"case_no":"V-9","kind":"other","persons_involved":1}"#, on: "2020-06-01") }
        try await harness.run { client in
            let tianning = try await client.send(.post, "/api/events", token: try await client.token("tn-inspector"), json: violation())
            #expect(tianning.status == .forbidden, "\(tianning.text)")
            #expect(tianning.text.contains("钟楼区 on 2020-06-01"))
            #expect(try harness.eventCount() == before)
            let zhonglou = try await client.send(.post, "/api/events", token: try await client.token("zl-inspector"), json: violation())
            #expect(zhonglou.status == .created, "\(zhonglou.text)")
        }
    }

    @Test func signingInNeverRedirectsToAnotherSite() async throws {
        let harness = try await ServerHarness("attack_redirect")
        try await harness.run { client in
            for next in ["/\\evil.example", "/\t/evil.example", "//evil.example", "/\n/evil.example", "https://evil.example/", "/ /evil.example"] {
                let response = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", ServerHarness.password), ("next", next)])
                #expect(response.status == .seeOther || response.status == .found, "\(next.debugDescription) → \(response.status)")
                #expect(response.headers[.location] == "/dashboard", "\(next.debugDescription) → \(response.headers[.location] ?? "none")")
                let page = try await client.send(.get, "/login?next=" + ServerHarness.Client.encoded(next))
                #expect(!page.text.contains("evil.example"), "\(next.debugDescription) is carried by the form")
            }
            let local = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", ServerHarness.password), ("next", "/reply?from=2022-01-01")])
            #expect(local.headers[.location] == "/reply?from=2022-01-01")
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let harness = try await ServerHarness("attack_path")
        try await harness.run { client in
            let admin = try await client.token("admin")
            let added = try await client.send(.post, "/api/users", token: admin, json: #"{"name":"张三","password":"long enough","role":"analyst"}"#)
            #expect(added.status == .created, "\(added.text)")
            let disabled = try await client.send(.post, "/api/users/%E5%BC%A0%E4%B8%89/disable", token: admin)
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(disabled.json["name"] == .string("张三"))
            #expect(disabled.json["disabled"] == .bool(true))
            let page = try await client.send(.post, "/users/%E5%BC%A0%E4%B8%89/disable", cookie: try await client.cookie("admin"))
            #expect(page.status == .seeOther || page.status == .found, "\(page.status) \(page.text.prefix(300))")

            let history = try await client.send(.get, "/api/streams/institution-TN%2D0001/history", token: try await client.token("auditor"))
            #expect(history.status == .ok, "\(history.text.prefix(300))")
            let bad = try await client.send(.get, "/api/streams/institution-%FF/history", token: try await client.token("auditor"))
            #expect(bad.status == .badRequest)
        }
    }

    @Test func datesBeyondTheFiguresAreRefusedWithAReason() async throws {
        let harness = try await ServerHarness("attack_dates")
        try await harness.run { client in
            let analyst = try await client.token("analyst")
            for uri in ["/api/stats?to=9999-12-31", "/api/reply?to=9999-12-31", "/api/stats?from=0001-01-01&to=2022-01-01",
                        "/api/stats?baseline=9999-12-31"] {
                let response = try await client.send(.get, uri, token: analyst)
                #expect(response.status == .badRequest, "\(uri) → \(response.status)")
                #expect(response.text.contains("where the ledger can have no figures"), "\(uri): \(response.text)")
            }
            let page = try await client.send(.get, "/dashboard?to=9999-12-31", cookie: try await client.cookie("analyst"))
            #expect(page.status == .badRequest)
        }
    }

    @Test func failedSignInsOfAnAccountAreLimited() async throws {
        var limits = ServerHarness.limits
        limits.accountFailures = 3
        let harness = try await ServerHarness("attack_account_limit", limits: limits)
        try await harness.run { client in
            for _ in 1...3 {
                let wrong = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"wrong password"}"#)
                #expect(wrong.status == .unauthorized)
            }
            // Now even the right password waits: the attacker cannot tell.
            let limited = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"\#(ServerHarness.password)"}"#)
            #expect(limited.status == .tooManyRequests)
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...15 * 60).contains(retryAfter))
            #expect(limited.json["error"] == .string("too_many_requests"))
            // The form says so in Chinese, with the same header.
            let form = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", ServerHarness.password)])
            #expect(form.status == .tooManyRequests)
            #expect(form.text.contains("登录尝试过于频繁"))
            #expect(form.headers[.retryAfter] != nil)
            // Other accounts are not affected.
            _ = try await client.token("auditor")
        }
    }

    @Test func signInsFromOneAddressAreLimited() async throws {
        var limits = ServerLimits()
        limits.addressAttempts = 4
        // A window no loaded machine outlasts: unknown names are checked against a cost-12 decoy.
        limits.addressWindow = .seconds(3_600)
        limits.behindProxy = true
        let harness = try await ServerHarness("attack_address_limit", limits: limits)
        try await harness.run { client in
            let from = { (address: String) -> HTTPFields in [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9, \(address)"] }
            for n in 1...4 {
                let response = try await client.send(.post, "/api/session", json: #"{"name":"guess-\#(n)","password":"x"}"#, headers: from("198.51.100.7"))
                #expect(response.status == .unauthorized)
            }
            let limited = try await client.send(.post, "/api/session", json: #"{"name":"auditor","password":"\#(ServerHarness.password)"}"#, headers: from("198.51.100.7"))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // The proxy's last address is the client; what the client wrote before it is not.
            let other = try await client.send(.post, "/api/session", json: #"{"name":"auditor","password":"\#(ServerHarness.password)"}"#, headers: from("198.51.100.8"))
            #expect(other.status == .created)
        }
    }

    @Test func lookingAtAReplyRecordsNothingAndPostingOneRecordsIt() async throws {
        let harness = try await ServerHarness("attack_reply_get")
        let database = harness.database
        let replies: @Sendable () throws -> Int = { try database.connect().execute("SELECT count(*) AS n FROM ledger.events WHERE type = 'ReplyIssued'")[0].decode("n") as Int }
        try await harness.run { client in
            let analyst = try await client.token("analyst")
            for uri in ["/api/reply?from=2022-01-01&to=2022-12-31", "/api/reply?from=2022-01-02&to=2022-12-31&format=docx"] {
                let response = try await client.send(.get, uri, token: analyst)
                #expect(response.status == .ok)
                #expect(response.headers[.init("X-Ledger-Reply")!] == nil)
            }
            let page = try await client.send(.get, "/reply?from=2022-01-03&to=2022-12-31", cookie: try await client.cookie("analyst"))
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<form method="post" action="/api/reply">"#))
            #expect(try replies() == 0)

            let posted = try await client.send(.post, "/api/reply?from=2022-01-01&to=2022-12-31", token: analyst)
            #expect(posted.status == .ok)
            let record = try #require(posted.headers[.init("X-Ledger-Reply")!])
            #expect(record.hasPrefix("reply-"))
            #expect(try replies() == 1)
            // The page's download: a form post, recorded once more as a Word document.
            let download = try await client.send(.post, "/api/reply", token: analyst,
                form: [("from", "2022-01-01"), ("to", "2022-12-31"), ("format", "docx")])
            #expect(download.headers[.contentDisposition]?.contains("reply-") == true)
            #expect(Array(download.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            let json = try await client.send(.post, "/api/reply", token: analyst, json: #"{"from":"2022-01-01","to":"2022-12-31","format":"markdown"}"#)
            #expect(json.status == .ok)
            #expect(try replies() == 3)
        }
    }

    @Test func passwordsOver72BytesAreRefusedWhenSet() async throws {
        let harness = try await ServerHarness("attack_long_password")
        try await harness.run { client in
            let admin = try await client.token("admin")
            let long = String(repeating: "密", count: 25)  // 75 bytes
            let response = try await client.send(.post, "/api/users", token: admin, json: #"{"name":"long","password":"\#(long)","role":"analyst"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("at most 72 bytes"))
        }
    }

    @Test func theSessionCookieIsSecureBehindHTTPS() async throws {
        var limits = ServerHarness.limits
        limits.behindProxy = true
        let harness = try await ServerHarness("attack_secure_cookie", limits: limits)
        try await harness.run { client in
            let form = [("name", "analyst"), ("password", ServerHarness.password)]
            let https = try await client.send(.post, "/login", form: form, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(https.headers[.setCookie]?.contains("Secure") == true, "\(https.headers[.setCookie] ?? "")")
            let http = try await client.send(.post, "/login", form: form)
            #expect(http.headers[.setCookie]?.contains("Secure") == false)
        }
        // Not behind a proxy, the header is anybody's to send: it is ignored.
        let direct = try await ServerHarness("attack_insecure_cookie")
        try await direct.run { client in
            let response = try await client.send(.post, "/login", form: [("name", "analyst"), ("password", ServerHarness.password)],
                                                 headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(response.headers[.setCookie]?.contains("Secure") == false)
        }
    }

    @Test func expiredSessionsArePurgedAndEachUserHoldsAFew() async throws {
        let harness = try await ServerHarness("attack_sessions")
        try harness.database.connectAdmin().execute("""
            INSERT INTO accounts.sessions (token_sha256, user_name, created_at, expires_at)
            VALUES (sha256('expired'), 'auditor', now() - interval '2 days', now() - interval '1 day')
            """)
        let adminURL = harness.database.adminURL
        let sessions: @Sendable (String) throws -> Int = { name in
            try Connection(adminURL).execute("SELECT count(*) AS n FROM accounts.sessions WHERE user_name = \(name)")[0].decode("n")
        }
        try await harness.run { client in
            let first = try await client.token("analyst")
            #expect(try sessions("auditor") == 0)
            for _ in 1...AccountStore.maximumSessionsPerUser { _ = try await client.token("analyst") }
            #expect(try sessions("analyst") == AccountStore.maximumSessionsPerUser)
            let oldest = try await client.send(.get, "/api/session", token: first)
            #expect(oldest.status == .unauthorized)
        }
    }

    @Test func aMethodAPathDoesNotTakeIs405() async throws {
        let harness = try await ServerHarness("attack_methods")
        try await harness.run { client in
            for (method, uri) in [(HTTPRequest.Method.trace, "/api/stats"), (.delete, "/api/events"), (.put, "/api/users/analyst/disable")] {
                let response = try await client.send(method, uri)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] != nil)
            }
            let allow = try await client.send(.trace, "/api/session").headers[.allow] ?? ""
            #expect(Set(allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) == ["GET", "POST", "DELETE"])
        }
    }

    /// What Schemathesis found where the document and the server disagreed.
    @Test func theServerDoesWhatTheDocumentSays() async throws {
        let harness = try await ServerHarness("attack_document")
        try await harness.run { client in
            let analyst = try await client.token("analyst")
            // A parameter given blank is refused, not taken as absent.
            for uri in ["/api/stats?to=", "/api/stats?at_position=", "/api/reply?district="] {
                let response = try await client.send(.get, uri, token: analyst)
                #expect(response.status == .badRequest, "\(uri) → \(response.status)")
                #expect(response.text.contains("is empty"))
            }
            // Well-formed JSON beyond the ledger's limits is a 422, not a 400.
            let big = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"x","extra":123456789012345678901234567890}"#)
            #expect(big.status == .unprocessableContent, "\(big.status)")
            // Closed objects: an unknown field or a field of the wrong type is refused, not ignored.
            let unknown = try await client.send(.post, "/api/session", json: #"{"name":"analyst","password":"x","remember":true}"#)
            #expect(unknown.status == .badRequest)
            let admin = try await client.token("admin")
            let typed = try await client.send(.post, "/api/users", token: admin, json: #"{"name":"typed","password":"long enough","role":"auditor","district":1.5}"#)
            #expect(typed.status == .badRequest, "\(typed.text)")
            let twice = try await client.send(.post, "/api/reply?to=1955-04-31", token: analyst, json: #"{"to":"2022-12-31"}"#)
            #expect(twice.status == .badRequest)
            let extra = try await client.send(.post, "/api/reply", token: analyst, form: [("to", "2022-12-31"), ("note", "x")])
            #expect(extra.status == .badRequest)
            // Sign-out takes no credentials; QUERY is a method too.
            #expect(try await client.send(.delete, "/api/session").status == .noContent)
            let query = try await client.send(HTTPRequest.Method("QUERY")!, "/api/stats", token: analyst)
            #expect(query.status == .methodNotAllowed)
            // The document's districts are the configured ones.
            let document = try await client.send(.get, "/api/openapi.json").json
            #expect(document["components"]?["schemas"]?["District"]?["enum"] == .array(["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "经开区"].map(JSON.string)))
        }
    }
}
