import Statistics

/// One month-by-month series as SVG, drawn on the server (no script): bars for counts and
/// money, a line for a rate; the y axis from 0 to a round maximum with its unit at the top, the
/// months along the x axis (the first, the last and each January), each value in a `<title>`.
/// Labels are 20 units high in a 600-unit-wide drawing: about 11 px on a phone.
struct TrendChart {
    let title: String
    let unit: String
    let months: [String]
    let values: [Double?]
    let isRate: Bool

    static let width = 600, height = 270, left = 84, right = 14, top = 44, bottom = 50
    /// How far a year's label keeps from either end of the x axis, where "2021-07" stands.
    static let endLabelClearance = 115.0

    var svg: String {
        let plotWidth = Double(Self.width - Self.left - Self.right), plotHeight = Double(Self.height - Self.top - Self.bottom)
        let maximum = isRate ? 100 : Self.roundUp(values.compactMap { $0 }.max() ?? 0)
        let step = plotWidth / Double(max(months.count, 1))
        func x(_ index: Int) -> Double { Double(Self.left) + step * (Double(index) + 0.5) }
        func y(_ value: Double) -> Double { Double(Self.top) + plotHeight * (1 - (maximum > 0 ? value / maximum : 0)) }
        let baseY = Double(Self.top) + plotHeight
        var parts = [
            "<svg viewBox=\"0 0 \(Self.width) \(Self.height)\" width=\"100%\" role=\"img\" aria-label=\"\(Self.escaped(title))\" xmlns=\"http://www.w3.org/2000/svg\">",
            "<text x=\"0\" y=\"26\" font-size=\"24\" font-weight=\"bold\" fill=\"#1d2733\">\(Self.escaped(title))</text>",
            "<text x=\"\(Self.width - Self.right)\" y=\"26\" font-size=\"20\" fill=\"#5f6b77\" text-anchor=\"end\">单位:\(Self.escaped(unit))</text>",
        ]
        // The y axis: 0, half and the maximum, with light grid lines.
        for fraction in [0.0, 0.5, 1.0] {
            let value = maximum * fraction, lineY = Self.format(y(value))
            parts.append("<line x1=\"\(Self.left)\" y1=\"\(lineY)\" x2=\"\(Self.width - Self.right)\" y2=\"\(lineY)\" stroke=\"#d9dee3\" stroke-width=\"1\"/>")
            parts.append("<text x=\"\(Self.left - 6)\" y=\"\(Self.format(y(value) + 7))\" font-size=\"20\" fill=\"#5f6b77\" text-anchor=\"end\">\(Self.number(value, rate: isRate))</text>")
        }
        if isRate {
            let points = values.enumerated().compactMap { index, value in value.map { "\(Self.format(x(index))),\(Self.format(y($0)))" } }
            parts.append("<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#8b1a1a\" stroke-width=\"3\"/>")
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                parts.append("<circle cx=\"\(Self.format(x(index)))\" cy=\"\(Self.format(y(value)))\" r=\"3\" fill=\"#8b1a1a\"><title>\(months[index]) \(Self.number(value, rate: true))</title></circle>")
            }
        } else {
            let barWidth = max(step * 0.7, 1)
            for (index, value) in values.enumerated() {
                let top = y(value ?? 0)
                parts.append("<rect x=\"\(Self.format(x(index) - barWidth / 2))\" y=\"\(Self.format(top))\" width=\"\(Self.format(barWidth))\" height=\"\(Self.format(baseY - top))\" fill=\"#2f5d8a\"><title>\(months[index]) \(Self.number(value ?? 0, rate: false))</title></rect>")
            }
        }
        // The x axis: the first and last month, and each January between them by its year.
        parts.append("<line x1=\"\(Self.left)\" y1=\"\(Self.format(baseY))\" x2=\"\(Self.width - Self.right)\" y2=\"\(Self.format(baseY))\" stroke=\"#5f6b77\" stroke-width=\"1\"/>")
        for (index, month) in months.enumerated() {
            let label: String
            // A year's label stays clear of the first and last months' (7 characters of 20-unit type each).
            let clear = x(index) - Double(Self.left) >= Self.endLabelClearance && Double(Self.width - Self.right) - x(index) >= Self.endLabelClearance
            if index == 0 || index == months.count - 1 { label = month } else if month.hasSuffix("-01"), clear { label = String(month.prefix(4)) } else { continue }
            let anchor = index == 0 ? "start" : index == months.count - 1 ? "end" : "middle"
            let labelX = index == 0 ? Double(Self.left) : index == months.count - 1 ? Double(Self.width - Self.right) : x(index)
            parts.append("<text x=\"\(Self.format(labelX))\" y=\"\(Self.format(baseY + 30))\" font-size=\"20\" fill=\"#5f6b77\" text-anchor=\"\(anchor)\">\(month == label ? label : label + "年")</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// The trends of `series`: operations, 检查机构家次, violations, fines in 万元, and the
    /// compression rate at each month's end.
    static func charts(_ series: MonthlySeries) -> [TrendChart] {
        let months = series.months.map(\.label)
        func chart(_ title: String, _ unit: String, rate: Bool = false, _ value: (MonthlySeries.Month) -> Double?) -> TrendChart {
            TrendChart(title: title, unit: unit, months: months, values: series.months.map(value), isRate: rate)
        }
        return [
            chart("开展检查", "次") { Double($0.operations) },
            chart("检查机构", "家次") { Double($0.institutionInspections) },
            chart("查处违规行为", "起") { Double($0.violations) },
            chart("罚没款金额", "万元") { Double($0.finesFen) / 1_000_000 },
            chart("压减率(月末)", "%", rate: true) { $0.compression.ratePercent.flatMap(Double.init) },
        ]
    }

    /// A round maximum for the axis: 1, 2 or 5 times a power of ten, at least the largest value.
    static func roundUp(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }

    static func number(_ value: Double, rate: Bool) -> String {
        if rate { return "\(format(value))%" }
        return value == value.rounded() ? "\(Int64(value))" : format(value)
    }

    /// Two decimals at most, without trailing zeros: SVG coordinates and axis labels.
    static func format(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        let whole = Int64(hundredths / 100), fraction = Int64(abs(hundredths).truncatingRemainder(dividingBy: 100))
        let sign = hundredths < 0 && whole == 0 ? "-" : ""
        if fraction == 0 { return "\(sign)\(whole)" }
        return fraction % 10 == 0 ? "\(sign)\(whole).\(fraction / 10)" : "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func escaped(_ text: String) -> String { CompressionChart.escaped(text) }
}
