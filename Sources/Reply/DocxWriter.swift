/// Writes a small Word document (OOXML): body paragraphs in a Chinese serif font, then the
/// provenance in a smaller one and the SQL in a monospace one.
enum DocxWriter {
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

    static func document(paragraphs: [String], provenanceHeading: String, provenance: [String], figures: [(String, String)]) -> [UInt8] {
        var body = paragraphs.map { paragraph($0, style: "Body") }
        body.append(paragraph(provenanceHeading, style: "Heading"))
        body += provenance.map { paragraph($0, style: "Note") }
        for (label, sql) in figures {
            body.append(paragraph(label, style: "Note"))
            body.append(paragraph(sql, style: "Code"))
        }
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body.joined())<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>
            """
        func style(_ id: String, font: String, eastAsia: String, size: Int, indent: Bool = false, bold: Bool = false) -> String {
            let indentation = indent ? #"<w:ind w:firstLineChars="200" w:firstLine="640"/>"# : ""
            return #"<w:style w:type="paragraph" w:styleId="\#(id)"><w:name w:val="\#(id)"/><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/>\#(indentation)</w:pPr><w:rPr><w:rFonts w:ascii="\#(font)" w:hAnsi="\#(font)" w:eastAsia="\#(eastAsia)" w:cs="\#(font)"/>\#(bold ? "<w:b/>" : "")<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:style>"#
        }
        let styles = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimSun" w:cs="Times New Roman"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>\(style("Body", font: "Times New Roman", eastAsia: "FangSong", size: 32, indent: true))\(style("Heading", font: "Times New Roman", eastAsia: "SimHei", size: 28, bold: true))\(style("Note", font: "Times New Roman", eastAsia: "SimSun", size: 21))\(style("Code", font: "Courier New", eastAsia: "SimSun", size: 16))</w:styles>
            """
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>
            """
        let packageRelationships = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
            """
        let documentRelationships = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array(contentTypes.utf8))
        zip.add("_rels/.rels", Array(packageRelationships.utf8))
        zip.add("word/document.xml", Array(document.utf8))
        zip.add("word/_rels/document.xml.rels", Array(documentRelationships.utf8))
        zip.add("word/styles.xml", Array(styles.utf8))
        return zip.finished()
    }
}
