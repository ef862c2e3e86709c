/// Writes the reply as a Word document (OOXML) in the national format for official documents,
/// GB/T 9704-2012 《党政机关公文格式》: A4; margins top 37 mm, left 28 mm, so the type area is
/// 156 × 225 mm; 22 lines of 28 characters (the document grid); the title in 方正小标宋简体 二号
/// (22 pt), centred; the body in 仿宋_GB2312 三号 (16 pt), each paragraph indented two characters;
/// page numbers at the foot in 宋体 四号 as "— 1 —", odd pages right and even pages left, one
/// character in from the edge of the type area. 签发人 heads the page when given; 经办人 and 联系电话
/// follow the body as its note (附注). The provenance follows on a page of its own.
///
/// Fonts are named as offices have them; each names the common font to use where it is missing
/// (`w:altName`), and a reader without either still opens the document with its own fallback.
enum DocxWriter {
    /// GB/T 9704's page, in twentieths of a point (1 mm = 1440 / 25.4).
    enum Page {
        static let width = 11906, height = 16838
        static let top = 2098, bottom = 1984, left = 1588, right = 1474
        /// 225 mm / 22 lines.
        static let linePitch = 579
        /// 156 mm / 28 characters = 15.79 pt a character: the 16 pt body set 0.25 pt tighter
        /// (in twentieths of a point). A character grid (`linesAndChars`) would say the same to
        /// Word, but LibreOffice gives each 16 pt character two cells of a 15.79 pt grid.
        static let tighten = -5
        /// The page number sits 7 mm below the type area: 35 − 7 = 28 mm from the page's foot.
        static let footer = 1587
        static let header = 851
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func paragraph(_ text: String, style: String) -> String {
        #"<w:p><w:pPr><w:pStyle w:val="\#(style)"/></w:pPr><w:r><w:t xml:space="preserve">\#(escape(text))</w:t></w:r></w:p>"#
    }

    static let pageBreak = #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#

    /// The document: `title` (the proposal's heading, if any), the body paragraphs, the note with
    /// the people to contact, then the provenance on a new page.
    static func document(
        title: String?, paragraphs: [String], signature: Reply.Signature?, provenanceHeading: String, provenance: [String],
        figures: [(String, String)]
    ) -> [UInt8] {
        var body: [String] = []
        if let signer = signature?.signer {
            body.append(#"<w:p><w:pPr><w:pStyle w:val="Signer"/></w:pPr><w:r><w:t xml:space="preserve">签发人:</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="楷体_GB2312" w:hAnsi="楷体_GB2312" w:eastAsia="楷体_GB2312"/></w:rPr><w:t xml:space="preserve">\#(escape(signer))</w:t></w:r></w:p>"#)
        }
        if let title {
            body.append(paragraph(title, style: "Title"))
            body.append(paragraph("", style: "Body"))
        }
        body += paragraphs.map { paragraph($0, style: "Body") }
        if let note = signature?.note {
            body.append(paragraph(note, style: "Body"))
        }
        body.append(pageBreak)
        body.append(paragraph(provenanceHeading, style: "Heading"))
        body += provenance.map { paragraph($0, style: "Note") }
        for (label, sql) in figures {
            body.append(paragraph(label, style: "Note"))
            body.append(paragraph(sql, style: "Code"))
        }
        let section = """
            <w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>\
            <w:pgSz w:w="\(Page.width)" w:h="\(Page.height)"/>\
            <w:pgMar w:top="\(Page.top)" w:right="\(Page.right)" w:bottom="\(Page.bottom)" w:left="\(Page.left)" w:header="\(Page.header)" w:footer="\(Page.footer)" w:gutter="0"/>\
            <w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="\(Page.linePitch)"/></w:sectPr>
            """
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(Self.main)" xmlns:r="\(Self.relationships)"><w:body>\(body.joined())\(section)</w:body></w:document>
            """
        let zip = package([
            ("word/document.xml", document), ("word/styles.xml", styles), ("word/settings.xml", settings),
            ("word/fontTable.xml", fontTable), ("word/footer1.xml", footer(odd: true)), ("word/footer2.xml", footer(odd: false)),
        ])
        return zip
    }

    static let main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A page number as GB/T 9704 writes it: 宋体 四号, "— 1 —", on odd pages at the right and on
    /// even pages at the left, one character (14 pt) in from the type area's edge.
    static func footer(odd: Bool) -> String {
        let place = odd ? #"<w:jc w:val="right"/><w:ind w:right="280"/>"# : #"<w:jc w:val="left"/><w:ind w:left="280"/>"#
        let font = #"<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>"#
        func run(_ text: String) -> String { #"<w:r>\#(font)<w:t xml:space="preserve">\#(text)</w:t></w:r>"# }
        let number = #"<w:r>\#(font)<w:fldChar w:fldCharType="begin"/></w:r><w:r>\#(font)<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>\#(font)<w:fldChar w:fldCharType="separate"/></w:r>\#(run("1"))<w:r>\#(font)<w:fldChar w:fldCharType="end"/></w:r>"#
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="\(main)" xmlns:r="\(relationships)"><w:p><w:pPr><w:pStyle w:val="Footer"/>\(place)</w:pPr>\(run("— "))\(number)\(run(" —"))</w:p></w:ftr>
            """
    }

    /// Even and odd pages have their own footers.
    static let settings = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:settings xmlns:w="\(main)"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/></w:settings>
        """

    /// The fonts, each with the common name a reader substitutes where it is missing.
    static let fontTable: String = {
        let fonts = [
            ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "roman"), ("仿宋_GB2312", "仿宋", "modern"), ("楷体_GB2312", "楷体", "modern"),
            ("黑体", "SimHei", "modern"), ("宋体", "SimSun", "auto"), ("Times New Roman", "Times New Roman", "roman"),
            ("Courier New", "Courier New", "modern"),
        ]
        let entries = fonts.map { name, alternative, family in
            #"<w:font w:name="\#(name)"><w:altName w:val="\#(alternative)"/><w:charset w:val="86"/><w:family w:val="\#(family)"/></w:font>"#
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:fonts xmlns:w="\(main)">\(entries.joined())</w:fonts>
            """
    }()

    static let styles: String = {
        func style(_ id: String, eastAsia: String, ascii: String = "Times New Roman", size: Int, indent: Bool = false, centred: Bool = false,
                   right: Bool = false, bold: Bool = false, exact: Bool = true, after: Int = 0, tighten: Int = 0,
                   wrapAnywhere: Bool = false) -> String {
            let indentation = indent ? #"<w:ind w:firstLineChars="200" w:firstLine="640"/>"# : ""
            let alignment = centred ? #"<w:jc w:val="center"/>"# : right ? #"<w:jc w:val="right"/>"# : #"<w:jc w:val="both"/>"#
            // The body lines sit on the 22-line grid; the notes and SQL after it are smaller.
            let spacing = exact ? #"<w:spacing w:before="0" w:after="\#(after)" w:line="\#(Page.linePitch)" w:lineRule="exact"/>"#
                : #"<w:spacing w:before="0" w:after="\#(after)" w:line="300" w:lineRule="auto"/><w:snapToGrid w:val="0"/>"#
            // SQL and digests have long words: let them break anywhere rather than run past the type area.
            // and no punctuation hangs past the type area's edge.
            let wrapping = (wrapAnywhere ? #"<w:wordWrap w:val="0"/>"# : "") + #"<w:overflowPunct w:val="0"/>"#
            return #"<w:style w:type="paragraph" w:customStyle="1" w:styleId="\#(id)"><w:name w:val="\#(id)"/><w:pPr>\#(spacing)\#(wrapping)\#(indentation)\#(alignment)</w:pPr><w:rPr><w:rFonts w:ascii="\#(ascii)" w:hAnsi="\#(ascii)" w:eastAsia="\#(eastAsia)" w:cs="\#(ascii)"/>\#(bold ? "<w:b/>" : "")\#(tighten != 0 ? #"<w:spacing w:val="\#(tighten)"/>"# : "")<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:style>"#
        }
        let defaults = #"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>"#
        let normal = #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#
        let footer = #"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:pPr><w:snapToGrid w:val="0"/></w:pPr><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:styles xmlns:w="\(main)">\(defaults)\(normal)\(footer)\
            \(style("Title", eastAsia: "方正小标宋简体", size: 44, centred: true))\
            \(style("Body", eastAsia: "仿宋_GB2312", size: 32, indent: true, tighten: Page.tighten))\
            \(style("Signer", eastAsia: "仿宋_GB2312", size: 32, right: true, tighten: Page.tighten))\
            \(style("Heading", eastAsia: "黑体", size: 32))\
            \(style("Note", eastAsia: "仿宋_GB2312", size: 24, exact: false, after: 60, wrapAnywhere: true))\
            \(style("Code", eastAsia: "宋体", ascii: "Courier New", size: 16, exact: false, after: 120, wrapAnywhere: true))</w:styles>
            """
    }()

    /// The OOXML package of `parts` (word/…), with its content types and relationships.
    static func package(_ parts: [(String, String)]) -> [UInt8] {
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
            <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
            <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
            <Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
            <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
            <Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>
            """
        let packageRelationships = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="word/document.xml"/></Relationships>
            """
        let documentRelationships = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rIdStyles" Type="\(relationships)/styles" Target="styles.xml"/>\
            <Relationship Id="rIdSettings" Type="\(relationships)/settings" Target="settings.xml"/>\
            <Relationship Id="rIdFonts" Type="\(relationships)/fontTable" Target="fontTable.xml"/>\
            <Relationship Id="rIdFooterOdd" Type="\(relationships)/footer" Target="footer1.xml"/>\
            <Relationship Id="rIdFooterEven" Type="\(relationships)/footer" Target="footer2.xml"/></Relationships>
            """
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array(contentTypes.utf8))
        zip.add("_rels/.rels", Array(packageRelationships.utf8))
        zip.add("word/_rels/document.xml.rels", Array(documentRelationships.utf8))
        for (name, text) in parts { zip.add(name, Array(text.utf8)) }
        return zip.finished()
    }
}
