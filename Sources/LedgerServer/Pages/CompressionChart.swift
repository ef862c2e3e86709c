import Statistics

/// The compression rate by district as a horizontal bar chart, in SVG, drawn on the server.
/// Rates are read from their two-decimal text, so a bar is exactly as long as the figure says.
struct CompressionChart {
    let compression: Statistics.Compression

    init(_ compression: Statistics.Compression) {
        self.compression = compression
    }

    static let labelWidth = 90, barWidth = 400, rowHeight = 34, width = 600

    var svg: String {
        let rows = compression.byDistrict
        guard !rows.isEmpty else { return "<p class=\"muted\">基准日无在册机构,无压减率可画。</p>" }
        let height = rows.count * Self.rowHeight + 10
        var parts = [
            "<svg viewBox=\"0 0 \(Self.width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"各区压减率\" xmlns=\"http://www.w3.org/2000/svg\">"
        ]
        for (index, row) in rows.enumerated() {
            let y = index * Self.rowHeight + 5
            let hundredths = row.ratePercent.flatMap(Self.hundredths) ?? 0
            let length = hundredths * Self.barWidth / 10_000
            let rate = row.ratePercent.map { "\($0)%" } ?? "—"
            let district = Self.escaped(row.district)
            parts.append("<text x=\"0\" y=\"\(y + 20)\" font-size=\"15\" fill=\"#1d2733\">\(district)</text>")
            parts.append("<rect x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(Self.barWidth)\" height=\"22\" fill=\"#eef1f4\" rx=\"3\"/>")
            parts.append("<rect x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"22\" fill=\"#8b1a1a\" rx=\"3\"><title>\(district) \(rate)(\(row.compressed)/\(row.baseline))</title></rect>")
            parts.append("<text x=\"\(Self.labelWidth + Self.barWidth + 8)\" y=\"\(y + 20)\" font-size=\"14\" fill=\"#1d2733\">\(rate) <tspan fill=\"#5f6b77\" font-size=\"12\">\(row.compressed)/\(row.baseline)</tspan></text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// `95.91` → 9591.
    static func hundredths(_ percent: String) -> Int? {
        let parts = percent.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = Int(parts[0]) else { return nil }
        let fraction = parts.count > 1 ? String(parts[1].prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
        return whole * 100 + (Int(fraction) ?? 0)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
