import EventStore
import Foundation
import HTTPTypes
import HistoryGenerator
import HummingbirdTesting
import LedgerServer
import Testing
import TestSupport

/// Hostile bodies to POST /api/events: mutated and random. Never a 5xx; the ledger grows only
/// with a 201, and by what the answer says was appended.
@Suite struct APIFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LEDGER_FUZZ_ITERATIONS"] ?? "").map { $0 / 5 } ?? 600

    @Test func hostileBodiesGetA4xxOrAreAppendedWhole() async throws {
        let harness = try await ServerHarness("api_fuzz")
        let good = [
            ServerHarness.inspection(), ServerHarness.inspection(),
            ServerHarness.line("institution-\(ServerHarness.tianning)", "PenaltyImposed", #"{"decision_no":"D-1","fine_fen":100000,"confiscated_fen":0}"#),
            ServerHarness.line("institution-\(ServerHarness.tianning)", "RectificationOrdered", #"{"notice_no":"N-1","deadline":"2022-04-01","items":["整改"]}"#),
            ServerHarness.line("institution-TN-NEW", "InstitutionRegistered", #"{"name":"新机构","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#),
        ]
        var mutator = Mutator(seed: 99, lines: good)
        var random = SplitMix64(seed: 5)
        let bodies = (0..<Self.iterations).map { iteration -> String in
            switch iteration % 10 {
            case 0: String(decoding: (0..<random.int(0...200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, as: UTF8.self)
            case 1, 2: "[" + (0..<random.int(1...3)).map { _ in mutator.next() }.joined(separator: ",") + "]"
            default: mutator.next()
            }
        }
        try await harness.run { client in
            let token = try await client.token("tn-inspector")
            var count = try harness.eventCount()
            var created = 0
            for body in bodies {
                let response = try await client.send(.post, "/api/events", token: token, json: body)
                #expect(response.status.code < 500, "\(response.status) for \(body.prefix(200)): \(response.text.prefix(200))")
                #expect(response.json["message"] != nil || response.status == .created || response.status == .ok)
                let now = try harness.eventCount()
                if response.status == .created {
                    created += 1
                    guard case .integer(let appended)? = response.json["appended"] else { Issue.record("no count"); continue }
                    #expect(now == count + Int(appended))
                } else {
                    #expect(now == count, "\(response.status) changed the ledger for \(body.prefix(200))")
                }
                count = now
            }
            #expect(try EventStore().verify(harness.database.connect()).breaks.isEmpty)
            #expect(created < Self.iterations / 2)
        }
    }
}
