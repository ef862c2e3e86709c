import EventStore
import Foundation
import Ledger
import Postgres
import Projections
import Statistics
import TestSupport
import Testing

/// A ledger with read models, on a fresh database.
typealias StatisticsHarness = TestLedger

extension TestLedger {
    var service: StatisticsService { StatisticsService(engine: ProjectionEngine(batchSize: 1_000), configuration: .changzhou) }

    func stats(_ from: String = "2021-07-24", _ to: String = "2024-06-30", district: String? = nil,
               baseline: String = "2021-07-24", at position: Int64? = nil) throws -> Statistics {
        let request = StatisticsRequest(
            from: CalendarDate(from)!, to: CalendarDate(to)!, district: district, baseline: CalendarDate(baseline)!)
        return try service.statistics(request, atPosition: position, database.connect())
    }
}

/// Checks figure `key` for each (from, to, district) against its expected plain text ("1/0/2"),
/// from the read models and re-derived by its provenance SQL from the log.
func expectFigure(_ key: String, in ledger: TestLedger, _ cases: [(String, String, String?, String)]) throws {
    let service = StatisticsService(configuration: .changzhou)
    let connection = try ledger.database.connect()
    let figure = try #require(Statistics.figures.first { $0.key == key })
    for (from, to, district, expected) in cases {
        let request = StatisticsRequest(from: CalendarDate(from)!, to: CalendarDate(to)!, district: district)
        let statistics = try service.statistics(request, connection)
        #expect(figure.plainText(statistics) == expected, "\(key) \(from)…\(to) \(district ?? "全市")")
        let sql = try #require(figure.provenance?(ProvenanceScope(request: request, position: statistics.position)))
        let derived = try connection.execute(SQL(stringLiteral: sql)).map { $0.values.compactMap { $0 }.joined() }
        #expect(derived == [expected], "provenance of \(key) \(from)…\(to) \(district ?? "全市")")
    }
}

/// Lines for small hand-made histories.
enum History {
    static func line(_ stream: String, _ type: String, _ data: String, id: String = UUID().uuidString.lowercased(), on date: String) -> String {
        #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(date)","actor":"t","data":\#(data)}"#
    }

    /// An academic, offline, compulsory, for-profit institution: a member from `date`.
    static func member(_ key: String, district: String = "天宁区", on date: String = "2020-01-01", licensed: Bool = true) -> String {
        line("institution-\(key)", "InstitutionRegistered",
             #"{"name":"n","district":"\#(district)","category":"academic","stages":["compulsory"],"mode":"offline","licensed":\#(licensed),"for_profit":true}"#,
             on: date)
    }

    static func event(_ key: String, _ type: String, _ data: String = "{}", id: String = UUID().uuidString.lowercased(), on date: String) -> String {
        line("institution-\(key)", type, data, id: id, on: date)
    }

    static func operation(_ key: String, district: String = "天宁区", inspectors: Int = 3, id: String = UUID().uuidString.lowercased(), on date: String) -> String {
        line("operation-\(key)", "OperationConducted", #"{"district":"\#(district)","kind":"daily_patrol","inspectors":\#(inspectors)}"#, id: id, on: date)
    }

    static func inspection(_ key: String, operation: String, id: String = UUID().uuidString.lowercased(), on date: String) -> String {
        event(key, "InstitutionInspected", #"{"operation":"\#(operation)","result":"compliant"}"#, id: id, on: date)
    }

    static func void(_ stream: String, _ target: String, on date: String) -> String {
        line(stream, "EntryVoided", #"{"event_id":"\#(target)","reason":"更正"}"#, on: date)
    }

    static func newID() -> String { UUID().uuidString.lowercased() }
}
