import Foundation
import Ledger
import Testing

/// The one catalogue of reasons (issue 19): every reason the ledger gives has a stable code and
/// both texts, and the catalogue holds one of each that `Reason.swift` makes.
@Suite struct ReasonCatalogueTests {
    static func hasChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    @Test func everyReasonHasACodeAndBothTexts() {
        for reason in Reason.catalogue {
            #expect(reason.code.range(of: #"^[a-z0-9_]+(\.[a-z0-9_]+)+$"#, options: .regularExpression) != nil, "code \(reason.code)")
            #expect(!reason.english.isEmpty && !reason.english.contains("\n"), "\(reason.code)")
            #expect(Self.hasChinese(reason.chinese) && !reason.chinese.contains("\n"), "\(reason.code): \(reason.chinese)")
            #expect(reason.english != reason.chinese, "\(reason.code)")
        }
    }

    /// Each code written in `Reason.swift` (the only place a reason can be made) is in the
    /// catalogue, so a new rule cannot ship without being walked.
    @Test func theCatalogueHoldsEveryCodeTheFileMakes() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Ledger/Reason.swift")
        let source = try String(contentsOf: file, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"Reason\("([a-z0-9_]+(?:\.[a-z0-9_]+)+)""#)
        let written = Set(pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).compactMap {
            Range($0.range(at: 1), in: source).map { String(source[$0]) }
        })
        #expect(written.count > 100)
        let walked = Set(Reason.catalogue.map(\.code))
        #expect(written.subtracting(walked).isEmpty, "codes missing from Reason.catalogue: \(written.subtracting(walked).sorted())")
    }

    @Test func theLanguageFollowsTheRequestAndTheLocale() {
        #expect(Language.preferred(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .chinese)
        #expect(Language.preferred(acceptLanguage: "en-US,en;q=0.9,zh;q=0.5") == .english)
        #expect(Language.preferred(acceptLanguage: "fr-FR") == .english)
        #expect(Language.preferred(acceptLanguage: nil) == .english)
        #expect(Language.preferred(acceptLanguage: "en;q=0.2, zh-Hans") == .chinese)
        #expect(Language.ofLocale(["LANG": "zh_CN.UTF-8"]) == .chinese)
        #expect(Language.ofLocale(["LANG": "zh_CN.UTF-8", "LC_ALL": "C"]) == .english)
        #expect(Language.ofLocale([:]) == .english)
    }

    @Test func aRejectionReadsInEitherLanguage() {
        let today = CalendarDateForTests.today
        let problem = Problem("occurred_on", .afterToday(CalendarDateForTests.later, today: today))
        let rejection = Rejection(line: 3, id: "x", problems: [problem])
        #expect(rejection.text(.english) == "line 3 (id x): occurred_on: 2999-01-01 is after today (2026-11-30)")
        #expect(rejection.text(.chinese) == "第 3 行(id x):occurred_on:2999-01-01 晚于今天(2026-11-30)")
        #expect(problem.code == "date.after_today")
    }
}

import EventStore

enum CalendarDateForTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 30)!
    static let later = CalendarDate(year: 2999, month: 1, day: 1)!
}
