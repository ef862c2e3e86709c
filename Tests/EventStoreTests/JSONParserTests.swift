import EventStore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesTheValuesTheLedgerStores() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2,true,null,"常州\n"],"b":{"c":12.50},"d":"\u00e9\ud83d\ude00"}"#)
        #expect(value["a"] == .array([.integer(1), .integer(-2), .bool(true), .null, .string("常州\n")]))
        #expect(value["b"]?["c"] == .number("12.50"))
        #expect(value["d"] == .string("é😀"))
    }

    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", "duplicate key"),
        ("{\"a\":\"x\\u0000y\"}", "NUL"),
        ("{\"a\":\"\\ud800\"}", "surrogate"),
        ("{\"a\":1} x", "after the JSON value"),
        ("{\"a\":99999999999999999999}", "out of range"),
        ("{\"a\":01}", "expected ',' or '}'"),
        ("{\"a\":\"\t\"}", "control character"),
        ("{\"a\":", "end of input"),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nesting"),
    ])
    func rejects(_ text: String, _ reason: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test func rejectsInvalidUTF8AndRawNul() {
        let overlong: [UInt8] = Array("{\"a\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8)
        let truncated: [UInt8] = Array("{\"a\":\"".utf8) + [0xE5, 0xB8] + Array("\"}".utf8)
        let nul: [UInt8] = Array("{\"a\":\"".utf8) + [0x00] + Array("\"}".utf8)
        for bytes in [overlong, truncated] {
            #expect { try JSONParser.parse(bytes) } throws: { String(describing: $0).contains("invalid UTF-8") }
        }
        #expect { try JSONParser.parse(nul) } throws: { String(describing: $0).contains("NUL") }
    }

    @Test func canonicalTextSortsKeysAndEscapesMinimally() throws {
        let value = try JSONParser.parse(#"{ "b" : 1, "a" : [ "x\"y", "\u0001" ], "é": "常州" }"#)
        #expect(value.canonicalText == #"{"a":["x\"y","\u0001"],"b":1,"é":"常州"}"#)
        #expect(try JSONParser.parse(value.canonicalText) == value)
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesOnlyRealDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2021-13-01") == nil)
        #expect(CalendarDate("2021-7-24") == nil)
        #expect(CalendarDate("2021-07-24T00:00") == nil)
        #expect(CalendarDate("2021-07-24")?.description == "2021-07-24")
    }

    @Test func dayNumbersRoundTrip() {
        for day in stride(from: -1000, through: 30_000, by: 37) {
            #expect(CalendarDate(dayNumber: day).dayNumber == day)
        }
        #expect(CalendarDate("1970-01-01")?.dayNumber == 0)
        #expect(CalendarDate("2021-07-24")?.adding(days: 8).description == "2021-08-01")
    }
}
