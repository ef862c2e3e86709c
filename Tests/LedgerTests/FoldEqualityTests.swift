import EventStore
import Foundation
import Ledger
import Postgres
import TestSupport
import Testing

/// The fold of an institution is written twice, in Swift (``StreamState``: the rules, the
/// authority, history and the pages) and in SQL (`ledger.institution_on`: the figures' provenance
/// and the projection's rows). On real and generated histories, with late entries, voids,
/// relocations and reopened closures, both give every institution the same state on every day
/// asked: registered, district, closed, for-profit and member. A draw's pool is folded twice too
/// (`DrawPool.members`, for the generator; `ledger.draw_pool`, for the ledger): both give every
/// plan below the same pool on every day asked.
@Suite struct FoldEqualityTests {
    static let days: [CalendarDate] = (2019...2025).flatMap { year in
        [1, 4, 7, 10].compactMap { CalendarDate(year: year, month: $0, day: 1) }
    } + [CalendarDate(year: 2021, month: 7, day: 24)!, CalendarDate(year: 2024, month: 6, day: 30)!]

    /// (stream, day) → the state as `registered|district|closed|for_profit|member`.
    static func swiftStates(_ connection: Connection, days: [CalendarDate]) throws -> [String: String] {
        let streams = try connection.execute("SELECT DISTINCT stream FROM ledger.events WHERE stream LIKE 'institution-%'")
            .compactMap { $0["stream"] }
        let events = Dictionary(grouping: try EventStore().events(inStreams: streams, connection), by: \.stream)
        var states: [String: String] = [:]
        for (stream, events) in events {
            let state = try StreamState(name: try #require(StreamName(stream)), events: events, configuration: .changzhou)
            for day in days {
                let facts = state.facts(on: day)
                // The authority's one-pass district is the full fold's.
                if facts.opened { #expect(state.district(on: day) == facts.district, "\(stream) on \(day)") }
                states["\(stream) \(day)"] = [
                    "\(facts.opened)", facts.opened ? facts.district ?? "-" : "-", "\(facts.closed)",
                    facts.opened ? "\(facts.forProfit)" : "-", "\(facts.isMember)",
                ].joined(separator: "|")
            }
        }
        return states
    }

    static func sqlStates(_ connection: Connection, days: [CalendarDate]) throws -> [String: String] {
        let days = days.map(\.description)
        let rows = try connection.execute("""
            SELECT s.stream, d.day::text AS day, t.registered, coalesce(t.district, '-') AS district, t.closed,
                   coalesce(t.for_profit::text, '-') AS for_profit, t.member
              FROM (SELECT DISTINCT stream FROM ledger.events WHERE stream LIKE 'institution-%') s
             CROSS JOIN unnest(\(TextArray(days))::date[]) AS d (day)
             CROSS JOIN LATERAL ledger.institution_on(s.stream, d.day, (SELECT max(position) FROM ledger.events)) t
            """)
        var states: [String: String] = [:]
        for row in rows {
            let registered = row["registered"] == "t"
            states["\(row["stream"] ?? "") \(row["day"] ?? "")"] = [
                "\(registered)", registered ? row["district"] ?? "-" : "-", "\(row["closed"] == "t")",
                registered ? row["for_profit"] ?? "-" : "-",
                "\(row["member"] == "t")",
            ].joined(separator: "|")
        }
        return states
    }

    func expectEqualFolds(_ ledger: LedgerHarness, days: [CalendarDate] = Self.days, atLeast: Int = 1_000) throws {
        let connection = try ledger.database.connect()
        let swift = try Self.swiftStates(connection, days: days), sql = try Self.sqlStates(connection, days: days)
        #expect(swift.count == sql.count)
        #expect(swift.count >= atLeast)
        let different = swift.keys.sorted().filter { swift[$0] != sql[$0] }
        #expect(different.isEmpty, "\(different.count) differ, e.g. \(different.prefix(5).map { "\($0): swift \(swift[$0] ?? "none"), sql \(sql[$0] ?? "none")" })")
        try expectEqualPools(connection, days: days)
    }

    /// Plans of every filter: the whole city, a district, each category, licensed or not, a
    /// specialty, and a district with filters.
    static let plans: [EventPayload.DrawPlan] = {
        let filters: [(String?, EventPayload.DrawPlan.Filter)] = [
            (nil, .init()), ("新北区", .init()), ("天宁区", .init(licensed: true)), (nil, .init(category: .academic)),
            (nil, .init(category: .nonAcademic)), (nil, .init(licensed: false)), (nil, .init(specialty: .arts)),
            ("武进区", .init(category: .nonAcademic, licensed: true, specialty: .sports)),
        ]
        let day = CalendarDate(year: 2030, month: 1, day: 1)!
        return filters.map { district, filter in
            .init(district: district, matters: ["办学资质"], filter: filter, size: .count(1), inspectors: ["a", "b"], perTarget: 1,
                  windowFrom: day, windowTo: day)
        }
    }()

    /// Each plan's pool on each day, as the ledger stands, from both folds.
    func expectEqualPools(_ connection: Connection, days: [CalendarDate]) throws {
        let streams = try connection.execute("SELECT DISTINCT stream FROM ledger.events WHERE stream LIKE 'institution-%'")
            .compactMap { $0["stream"] }
        let states = try Dictionary(grouping: try EventStore().events(inStreams: streams, connection), by: \.stream).map { stream, events in
            try StreamState(name: try #require(StreamName(stream)), events: events, configuration: .changzhou)
        }
        let next: Int64 = try connection.execute("SELECT coalesce(max(position), 0) + 1 AS p FROM ledger.events")[0].decode("p")
        var members = 0
        for plan in Self.plans {
            for day in days {
                let swift = DrawPool.members(plan, on: day, streams: states)
                let sql = try DrawPool.read(plan, on: day, planPosition: next, connection)
                #expect(swift == sql, "\(plan.district ?? "city") \(plan.filter) on \(day): \(Set(swift).symmetricDifference(sql).sorted().prefix(5))")
                members += swift.count
            }
        }
        #expect(members > 0)
    }

    @Test func theFixtureFoldsTheSameInSwiftAndSQL() throws {
        let ledger = try LedgerHarness("fold_fixture")
        let lines = try String(contentsOf: TestDatabase.fixture("changzhou-2021-2024.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try ledger.append(lines)
        try expectEqualFolds(ledger)
    }

    @Test(arguments: [3 as UInt64, 17])
    func aGeneratedHistoryFoldsTheSameInSwiftAndSQL(seed: UInt64) throws {
        let lines = try generatedHistory(seed: seed, events: 8_000)
        let ledger = try LedgerHarness("fold_generated")
        try ledger.append(lines)
        try expectEqualFolds(ledger)
    }

    /// State changes recorded out of date order, each a place where folding as appended and
    /// folding by date part: both folds must read them by date, on every day around them.
    @Test func lateStateChangesFoldTheSameInSwiftAndSQL() throws {
        let ledger = try LedgerHarness("fold_late")
        let relocation = Events.newID()
        let I = "institution-I1", J = "institution-J1", K = "institution-K1"
        try ledger.append([
            Events.registered("I1", district: "新北区", on: "2023-01-01"),
            Events.line(I, "InstitutionRelocated", #"{"district":"天宁区"}"#, on: "2023-06-01"),
            Events.line(I, "InstitutionRelocated", #"{"district":"新北区"}"#, on: "2023-03-01"),
            Events.line(I, "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2023-09-01"),
            Events.line(I, "InstitutionReopened", #"{"reason":"复核"}"#, on: "2023-10-01"),
            Events.line(I, "InstitutionClosed", #"{"reason":"ceased_operation"}"#, on: "2023-08-01"),
            Events.line(I, "InstitutionAmended", #"{"for_profit":false,"mode":"online"}"#, on: "2023-07-01"),
            Events.line(I, "InstitutionAmended", #"{"for_profit":true,"mode":"offline"}"#, on: "2023-05-01"),
            Events.registered("J1", district: "钟楼区", on: "2022-01-01"),
            Events.line(J, "InstitutionRelocated", #"{"district":"武进区"}"#, id: relocation, on: "2022-06-01"),
            Events.line(J, "InstitutionRelocated", #"{"district":"经开区"}"#, on: "2022-03-01"),
            Events.line(J, "EntryVoided", #"{"event_id":"\#(relocation)","reason":"错录"}"#, on: "2022-07-01"),
            Events.line(J, "ConvertedToNonAcademic", #"{"specialty":"arts"}"#, on: "2022-02-01"),
            Events.registered("K1", district: "溧阳市", on: "2022-05-01"),
            Events.line(K, "InstitutionClosed", #"{"reason":"unlicensed_shutdown"}"#, on: "2022-04-01"),
            Events.line(K, "InstitutionAmended", #"{"stages":["high_school"]}"#, on: "2022-04-15"),
            Events.line(K, "InstitutionAmended", #"{"licensed":false}"#, on: "2022-06-01"),
            Events.line(K, "InstitutionAmended", #"{"licensed":true}"#, on: "2022-03-01"),
            // Converted on a day before its (academic) registration: the registration wins.
            Events.registered("L1", district: "天宁区", on: "2023-03-01"),
            Events.line("institution-L1", "ConvertedToNonAcademic", #"{"specialty":"arts"}"#, on: "2023-02-01"),
        ])
        var days: [CalendarDate] = []
        for text in ["2021-12-31", "2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01", "2022-04-15", "2022-05-01",
                     "2022-06-01", "2022-07-01", "2023-01-01", "2023-03-01", "2023-05-01", "2023-06-01", "2023-07-01",
                     "2023-08-01", "2023-09-01", "2023-10-01", "2024-01-01"] {
            let day = try #require(CalendarDate(text))
            days += [day.adding(days: -1), day]
        }
        days = Array(Set(days)).sorted()
        try expectEqualFolds(ledger, days: days, atLeast: 3 * days.count)
    }
}
