import Statistics

/// A council reply's enforcement section: its paragraphs, the figures behind them, and where the
/// ledger stood. Rendering it is deterministic: the same ledger position gives the same bytes.
public struct Reply: Sendable, Equatable {
    public var statistics: Statistics
    /// The chain digest at `statistics.position`.
    public var digest: String
    public var paragraphs: [String]
    public var figures: [Provenance.Figure]
    /// The proposal the reply answers, which heads it (SPEC §10); nil for a reply of figures alone.
    public var proposal: Proposal?

    /// A council proposal a reply answers: its stream key and what heads the reply.
    public struct Proposal: Sendable, Equatable {
        public var key: String
        public var session: String
        public var number: String
        public var title: String

        public init(key: String, session: String, number: String, title: String) {
            self.key = key
            self.session = session
            self.number = number
            self.title = title
        }

        /// 关于市政协十四届三次会议第0123号提案《…》的答复
        public var heading: String { "关于\(session)第\(number)号提案《\(title)》的答复" }
    }

    /// Who signed the reply and whom to contact (签发人, 经办人, 联系电话): the Word document
    /// shows them (GB/T 9704's 签发人 and 附注); the figures and their provenance do not depend on them.
    public var signature: Signature?

    public struct Signature: Sendable, Equatable {
        public var signer: String?
        public var handler: String?
        public var phone: String?

        public init(signer: String? = nil, handler: String? = nil, phone: String? = nil) {
            self.signer = signer
            self.handler = handler
            self.phone = phone
        }

        /// (经办人:李明;联系电话:0519-85588888), or nil when neither is given.
        var note: String? {
            let parts = [handler.map { "经办人:\($0)" }, phone.map { "联系电话:\($0)" }].compactMap { $0 }
            return parts.isEmpty ? nil : "(\(parts.joined(separator: ";")))"
        }
    }

    public init(statistics: Statistics, digest: String, proposal: Proposal? = nil) {
        self.statistics = statistics
        self.digest = digest
        self.proposal = proposal
        paragraphs = ReplyComposer.paragraphs(statistics)
        figures = Provenance.figures(statistics)
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, docx
    }

    var request: StatisticsRequest { statistics.request }

    /// The command that reproduces this reply byte for byte.
    public var reproduceCommand: String {
        var command = "ledger reply --from \(request.from) --to \(request.to)"
        if let proposal { command += " --proposal \(proposal.key)" } else if let district = request.district { command += " --district \(district)" }
        if request.baseline != StatisticsRequest.policyStart { command += " --baseline \(request.baseline)" }
        return command + " --at-position \(statistics.position)"
    }

    /// The provenance lines, shared by every format.
    public var provenanceLines: [String] {
        let position = statistics.position
        return [
            "参数:统计期间 \(request.from) 至 \(request.to);范围 \(request.district ?? "全市");压减基数日 \(request.baseline)",
            "账本位置(position):\(position)",
            "链摘要(digest):\(digest)(可用 ledger digest --at-position \(position) 核对)",
            "重现:\(reproduceCommand)",
            "以下每项均可在 ledger.events 上用 SQL 复算,只计 position ≤ \(position) 且当时未被作废的事件(ledger.live_events(\(position)))。",
        ]
    }

    /// The heading and the paragraphs, each followed by an empty line.
    var body: [String] {
        (proposal.map { [$0.heading, ""] } ?? []) + paragraphs.flatMap { [$0, ""] }
    }

    /// Plain text: the paragraphs, then the provenance block.
    public var text: String {
        var lines = body
        lines.append("——")
        lines.append("数据来源与复核")
        lines += provenanceLines
        for figure in figures {
            lines.append("· \(figure.label):\(figure.value)")
            lines.append("  \(figure.sql)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown: the paragraphs, then the provenance as a section with one SQL block per figure.
    public var markdown: String {
        var lines = (proposal.map { ["# \($0.heading)", ""] } ?? []) + paragraphs.flatMap { [$0, ""] }
        lines.append("## 数据来源与复核")
        lines.append("")
        lines += provenanceLines.map { "- \($0)" }
        lines.append("")
        for figure in figures {
            lines.append("**\(figure.label)**:\(figure.value)")
            lines.append("")
            lines.append("```sql")
            lines.append(figure.sql)
            lines.append("```")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// A Word document (OOXML) of the same content, in the format of GB/T 9704-2012.
    public var docx: [UInt8] {
        DocxWriter.document(
            title: proposal?.heading, paragraphs: paragraphs, signature: signature,
            provenanceHeading: "数据来源与复核",
            provenance: provenanceLines,
            figures: figures.map { ("\($0.label):\($0.value)", $0.sql) })
    }

    public func rendered(_ format: Format) -> [UInt8] {
        switch format {
        case .text: Array(text.utf8)
        case .markdown: Array(markdown.utf8)
        case .docx: docx
        }
    }
}
