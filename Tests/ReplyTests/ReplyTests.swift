import EventStore
import Foundation
import HistoryGenerator
import Ledger
import Postgres
import Reply
import Statistics
import TestSupport
import Testing

typealias ReplyHarness = TestLedger

extension TestLedger {
    var service: ReplyService { ReplyService(configuration: .changzhou) }

    func reply(_ from: String = "2021-07-24", _ to: String = "2024-06-30", district: String? = nil, at position: Int64? = nil) throws -> Reply {
        let request = StatisticsRequest(from: CalendarDate(from)!, to: CalendarDate(to)!, district: district)
        return try service.produce(request, atPosition: position, database.connect())
    }
}

func line(_ stream: String, _ type: String, _ data: String, on date: String) -> String {
    #"{"id":"\#(UUID().uuidString.lowercased())","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(date)","actor":"t","data":\#(data)}"#
}

func member(_ key: String, district: String = "天宁区") -> String {
    line("institution-\(key)", "InstitutionRegistered",
         #"{"name":"n","district":"\#(district)","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#,
         on: "2020-01-01")
}

@Suite struct ReplyTests {
    @Test func theFixtureReplyStatesEveryPublishedFigure() throws {
        let ledger = try ReplyHarness("fixturereply")
        try ledger.importFixture()
        let text = try ledger.reply().text
        for figure in ["465家", "446家", "95.91%", "天宁区、经开区", "全覆盖", "3778人次", "352次", "9459家次", "31次",
                       "52份", "113起", "190人", "36家", "69期", "111家", "64.88万元"] {
            #expect(text.contains(figure), "the reply lacks \(figure)")
        }
        #expect(text.hasPrefix("自“双减”政策实施以来,校外培训机构得到规范治理。全市465家线下义务教育阶段学科类校外培训机构压减了446家,压减率为95.91%,其中天宁区、经开区压减率为100%,学科类培训机构“营改非”、资金监管、政府指导价实现“全覆盖”。"))
        #expect(text.contains("账本位置(position):12511"))
    }

    /// Each figure of a reply names the key of `ledger stats --format json` it states, once:
    /// what `reply --diff` pairs by, so a label can change without dropping a figure.
    @Test func everyFigureIsKeyedByItsStatisticsKey() throws {
        let ledger = try ReplyHarness("figure_keys")
        try ledger.importFixture()
        let reply = try ledger.reply(district: nil, at: nil)
        let json = try JSONParser.parse(Array(reply.statistics.jsonText.utf8))
        #expect(Set(reply.figures.map(\.key)).count == reply.figures.count)
        for figure in reply.figures {
            let value = figure.key.split(separator: ".").reduce(Optional(json)) { $0?[String($1)] }
            #expect(value != nil, "\(figure.key) (\(figure.label)) is not a key of the statistics")
            #expect(!figure.types.isEmpty)
        }
    }

    /// Every figure with a provenance query (those a reply shows, and the others of the table:
    /// overdue notices, warnings) is re-derived by it from the log, at the head and earlier.
    @Test func everyFigureIsReDerivedByItsProvenanceQueryOnTheLog() throws {
        let ledger = try ReplyHarness("provenance")
        try ledger.importFixture()
        try ledger.append([line("operation-AFTER", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":7}"#, on: "2023-05-05")])
        let connection = try ledger.database.connect()
        var checked: Set<String> = []
        for district in [nil, "天宁区"] {
            // At an earlier position too: the queries read the log as it stood then.
            for position in [nil, Int64(12_511)] {
                let statistics = try ledger.reply(district: district, at: position).statistics
                let (keys, disagreements) = try statistics.rederived(connection)
                checked.formUnion(keys)
                #expect(disagreements.isEmpty, "\(district ?? "全市") at \(position.map(String.init) ?? "head"): \(disagreements)")
            }
        }
        #expect(checked.isSuperset(of: ["rectifications_overdue", "warnings", "fines_fen", "coverage"]))
    }

    /// The counts come from monthly and daily rollups; periods on and off month boundaries, within
    /// one month and across years, must give what the log gives.
    @Test func rollupsAgreeWithTheLogForPeriodsOnAndOffMonthBoundaries() throws {
        let ledger = try ReplyHarness("periods")
        try ledger.importFixture()
        let connection = try ledger.database.connect()
        let periods = [
            ("2022-01-01", "2022-12-31"), ("2022-02-01", "2022-02-28"), ("2023-03-15", "2023-03-20"),
            ("2021-07-24", "2022-08-01"), ("2022-05-31", "2022-07-01"), ("2024-02-29", "2024-02-29"),
        ]
        let counted: Set<String> = ["operations", "inspector_person_times", "institution_inspections", "interviews", "rectification_notices", "violations", "violating_persons"]
        for (from, to) in periods {
            for district in [nil, "天宁区"] {
                let reply = try ledger.reply(from, to, district: district)
                let checked = reply.figures.filter { counted.contains($0.key) }
                #expect(checked.count >= 5, "the reply names the counted figures")
                for figure in checked {
                    let derived = try connection.execute(SQL(stringLiteral: figure.sql)).map { $0.values.compactMap { $0 }.joined() }
                    #expect(derived == [figure.value], "\(figure.label) for \(from)–\(to) in \(district ?? "全市")")
                }
            }
        }
    }

    @Test func aReplyAtAPositionIsReproducedByteForByteAfterMoreEvents() throws {
        let ledger = try ReplyHarness("reproduce")
        try ledger.importFixture()
        let original = try ledger.reply()
        try ledger.service.record(original, format: .text, actor: "clerk", ledger.database.connect())
        try ledger.append([
            line("operation-LATE", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":7}"#, on: "2023-05-05"),
            member("NEWONE"),
        ])
        let again = try ledger.reply(at: original.statistics.position)
        #expect(again.text == original.text)
        #expect(again.rendered(.markdown) == original.rendered(.markdown))
        #expect(again.rendered(.docx) == original.rendered(.docx))
        #expect(try ledger.reply().text != original.text)
    }

    @Test func roundingEdgesAndPhrasingRules() throws {
        let ledger = try ReplyHarness("phrasing")
        // Three members in 天宁区, two closed: 66.67%. Exactly half a 分 of 万元: 5,000 分 → 0.01万元.
        try ledger.append([
            member("A"), member("B"), member("C"),
            line("institution-A", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2022-02-01"),
            line("institution-B", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2022-02-01"),
            line("institution-C", "PenaltyImposed", #"{"decision_no":"D1","fine_fen":5000,"confiscated_fen":0}"#, on: "2022-03-01"),
            line("institution-C", "FundCustodyEnrolled", #"{"bank":"x"}"#, on: "2022-03-01"),
        ])
        let city = try ledger.reply("2022-01-01", "2022-12-31").paragraphs.joined(separator: "\n")
        #expect(city.contains("全市3家线下义务教育阶段学科类校外培训机构压减了2家,压减率为66.67%"))
        #expect(!city.contains("压减率为100%"), "no district is at 100%")
        #expect(city.contains("覆盖率分别为0.00%、100.00%、0.00%"))
        #expect(!city.contains("全覆盖"))
        #expect(city.contains("罚没款金额0.01万元"))
        #expect(!city.contains("发布通报"), "a figure of zero is left out")
        #expect(!city.contains("开展检查"))

        let district = try ledger.reply("2022-01-01", "2022-12-31", district: "天宁区").paragraphs.joined(separator: "\n")
        #expect(district.contains("天宁区3家线下"))
        #expect(district.contains("天宁区累计"))
        #expect(!district.contains("全市"))

        // A district with no baseline, and a period with no events.
        let empty = try ledger.reply("2022-01-01", "2022-12-31", district: "溧阳市").paragraphs.joined(separator: "\n")
        #expect(!empty.contains("压减了"))
        #expect(empty.contains("溧阳市未记录执法检查和查处情况"))
        let quiet = try ledger.reply("2023-01-01", "2023-06-30").paragraphs.joined(separator: "\n")
        #expect(quiet.contains("2023年1月1日至2023年6月30日,全市未记录执法检查和查处情况"))
    }

    /// The Word reply follows GB/T 9704-2012 (issue 19): A4, margins top 37 mm and left 28 mm, a
    /// type area of 156 × 225 mm holding 22 lines of 28 characters, the title in 方正小标宋简体 二号,
    /// the body in 仿宋_GB2312 三号, "— 1 —" at the foot (odd pages right, even left), the fonts
    /// named with what to use where they are missing, 签发人 at the head and the contacts as its note.
    @Test func theWordDocumentFollowsTheNationalFormatForOfficialDocuments() throws {
        let ledger = try ReplyHarness("docx")
        try ledger.importFixture()
        var reply = try ledger.reply()
        reply.proposal = Reply.Proposal(key: "P1", session: "市政协十四届三次会议", number: "0042", title: "关于加强校外培训监管的建议")
        reply.signature = Reply.Signature(signer: "王建国", handler: "李明", phone: "0519-85588888")
        let bytes = reply.rendered(.docx)
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docx-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("reply.docx")
        try Data(bytes).write(to: file)
        // Python's zipfile checks every CRC; it ships with the machine's Python.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", #"""
            import re, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
            names = set(z.namelist())
            assert {'[Content_Types].xml', 'word/document.xml', 'word/styles.xml', '_rels/.rels', 'word/settings.xml',
                    'word/fontTable.xml', 'word/footer1.xml', 'word/footer2.xml'} <= names, names
            doc = z.read('word/document.xml').decode()
            assert '95.91%' in doc and '64.88万元' in doc
            page = dict(re.findall(r'w:(w|h)="(\d+)"', re.search(r'<w:pgSz [^>]*>', doc).group(0)))
            margins = dict(re.findall(r'w:(\w+)="(\d+)"', re.search(r'<w:pgMar [^>]*>', doc).group(0)))
            mm = lambda twips: int(twips) / 1440 * 25.4
            assert (round(mm(page['w'])), round(mm(page['h']))) == (210, 297), page
            assert round(mm(margins['top'])) == 37 and round(mm(margins['left'])) == 28, margins
            width = mm(int(page['w']) - int(margins['left']) - int(margins['right']))
            height = mm(int(page['h']) - int(margins['top']) - int(margins['bottom']))
            assert abs(width - 156) < 0.2 and abs(height - 225) < 0.2, (width, height)
            grid = dict(re.findall(r'w:(\w+)="(-?\d+|\w+)"', re.search(r'<w:docGrid [^>]*>', doc).group(0)))
            assert grid['type'] == 'lines'
            assert int((int(page['h']) - int(margins['top']) - int(margins['bottom'])) / int(grid['linePitch'])) == 22, grid
            assert '签发人:' in doc and '王建国' in doc and '(经办人:李明;联系电话:0519-85588888)' in doc
            assert doc.index('王建国') < doc.index('关于市政协十四届三次会议第0042号提案') < doc.index('95.91%')
            styles = z.read('word/styles.xml').decode()
            def style(name):
                return re.search(r'w:styleId="%s".*?</w:style>' % name, styles).group(0)
            assert 'w:eastAsia="方正小标宋简体"' in style('Title') and '<w:sz w:val="44"/>' in style('Title')
            assert '<w:jc w:val="center"/>' in style('Title')
            assert 'w:eastAsia="仿宋_GB2312"' in style('Body') and '<w:sz w:val="32"/>' in style('Body')
            assert 'w:firstLineChars="200"' in style('Body')
            # 16 pt characters set tighter so that 28 fill the 156 mm line.
            pitch = 16 + int(re.search(r'<w:spacing w:val="(-?\d+)"/>', style('Body')).group(1)) / 20
            assert int(((int(page['w']) - int(margins['left']) - int(margins['right'])) / 20) // pitch) == 28, pitch
            assert '<w:evenAndOddHeaders/>' in z.read('word/settings.xml').decode()
            for part, side in (('word/footer1.xml', 'right'), ('word/footer2.xml', 'left')):
                footer = z.read(part).decode()
                text = ''.join(re.findall(r'<w:t[^>]*>([^<]*)</w:t>', footer))
                assert text == '— 1 —' and ' PAGE ' in footer and '<w:jc w:val="%s"/>' % side in footer, footer
            fonts = z.read('word/fontTable.xml').decode()
            assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="[^"]+"/>', fonts)
            assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)
            rels = z.read('word/_rels/document.xml.rels').decode()
            assert 'footer1.xml' in rels and 'footer2.xml' in rels
            """#, file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A generated history's proposals are answered through the reply service: each reply headed
    /// by its proposal and named by its ReplySent; the same answers given again record nothing.
    @Test func aGeneratedHistorysProposalsAreAnsweredWithTheirOwnReplies() throws {
        let ledger = try ReplyHarness("answers", today: CalendarDate("2026-11-30")!)
        try ledger.append(try TestDatabase.shippedCalendars())
        var generator = HistoryGenerator(options: .init(seed: 11, institutions: 240))
        var lines: [String] = []
        try generator.generate { lines.append($0) }
        try ledger.append(lines)
        let answers = generator.answers
        #expect(answers.count >= 8)
        #expect(try answers.map { try ProposalAnswer(line: $0.line) } == answers)
        let connection = try ledger.database.connect()
        let records = try answers.compactMap { try ledger.service.answer($0, connection) }
        #expect(records.count == answers.count)
        #expect(zip(records, answers).allSatisfy { $0.issued.proposal == $1.proposal })
        #expect(try answers.compactMap { try ledger.service.answer($0, connection) }.isEmpty)
        let sent = try connection.execute("SELECT count(*) AS n FROM ledger.events WHERE type = 'ReplySent'")[0].decode("n") as Int64
        #expect(sent == Int64(answers.count))
        // Every answer is to a proposal the history received.
        #expect(answers.allSatisfy { answer in
            lines.contains { $0.contains(#""stream":"proposal-\#(answer.proposal)""#) && $0.contains("ProposalReceived") }
        })
    }

    @Test func repliesAreRecordedListedAndCompared() throws {
        let ledger = try ReplyHarness("records")
        try ledger.importFixture()
        let connection = try ledger.database.connect()
        let first = try ledger.service.record(try ledger.reply(), format: .text, actor: "clerk", connection)
        // The same reply recorded again the same day by the same person is the same record.
        let retry = try ledger.service.record(try ledger.reply(at: 12_511), format: .text, actor: "clerk", connection)
        #expect(retry.key == first.key)
        let revocation = try connection.execute("""
            SELECT stream, data ->> 'decision_no' AS decision FROM ledger.events p
             WHERE type = 'PenaltyImposed' AND occurred_on BETWEEN '2021-07-24' AND '2024-06-30'
               AND NOT EXISTS (SELECT 1 FROM ledger.events r WHERE r.type = 'PenaltyRevoked' AND r.stream = p.stream
                                  AND r.data ->> 'decision_no' = p.data ->> 'decision_no')
             ORDER BY position LIMIT 1
            """)[0]
        try ledger.append([
            line("operation-LATE", "OperationConducted", #"{"district":"天宁区","kind":"daily_patrol","inspectors":7}"#, on: "2023-05-05"),
            line(revocation["stream"]!, "PenaltyRevoked", #"{"decision_no":"\#(revocation["decision"]!)","reason":"复议撤销"}"#, on: "2024-01-05"),
        ])
        let second = try ledger.service.record(try ledger.reply(), format: .markdown, actor: "clerk", connection)
        let records = try ledger.service.list(connection)
        #expect(records.map(\.key) == [first.key, second.key])
        #expect(records[0].issued.position == 12_511)
        #expect(records[0].issued.textSHA256.count == 64)

        let (_, _, changes) = try ledger.service.diff(first.key, second.key, connection)
        let figures = Dictionary(uniqueKeysWithValues: changes.map { ($0.figure, $0) })
        #expect(figures["开展检查(次)"]?.before == "352")
        #expect(figures["开展检查(次)"]?.after == "353")
        #expect(figures["出动检查人员(人次)"]?.after == "3785")
        #expect(figures["开展检查(次)"]?.events.first?.contains("operation-LATE OperationConducted") == true)
        #expect(figures["罚没款金额(分)"]?.events.contains { $0.contains("PenaltyRevoked") } == true)
        #expect(figures["检查机构(家次)"] == nil)

        // A city reply and a district reply have different figure lists; figures pair by name.
        let district = try ledger.service.record(try ledger.reply(district: "天宁区"), format: .text, actor: "clerk", connection)
        let (_, _, across) = try ledger.service.diff(second.key, district.key, connection)
        let byName = Dictionary(uniqueKeysWithValues: across.map { ($0.figure, $0) })
        #expect(byName["开展检查(次)"]?.before == "353")
        #expect(byName["压减基数(家)"]?.before == "465")
        #expect(byName["各区压减(基数/已压减)"]?.after == "—", "a figure the district reply lacks")
    }
}
