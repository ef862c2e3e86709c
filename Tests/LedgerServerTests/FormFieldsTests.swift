@testable import LedgerServer
import Testing

@Suite struct FormFieldsTests {
    @Test func encodedTextDecodesBackExactly() {
        for text in ["天宁区 2024", "a+b=c&d", "\n\t%", "/dashboard?from=2021-07-24&district=钟楼区", "\u{1}\u{F}"] {
            let query = FormFields.queryString([("x", text)])
            #expect(FormFields(query)["x"] == text, "\(text) → \(query)")
        }
        #expect(FormFields.percentEncoded("\u{1}") == "%01")
        #expect(FormFields("a=%E5%A4%A9+1&a=2&b")["a"] == "天 1")
        // Bytes that are not UTF-8 read as an empty value (a blank field), never as mojibake.
        #expect(FormFields("bad=%E5%A4")["bad"] == "")
    }
}
