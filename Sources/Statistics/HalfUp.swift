/// Decimal figures from integers with explicit half-up rounding, never through floating point.
public enum HalfUp {
    /// `numerator / denominator × 100` to two decimals, e.g. 446/465 → "95.91"; nil when the
    /// denominator is 0.
    public static func percent(_ numerator: Int64, of denominator: Int64) -> String? {
        guard denominator > 0 else { return nil }
        return hundredths(numerator * 10_000, denominator)
    }

    /// 分 as 万元 to two decimals: 64,880,000 分 → "64.88" (1 万元 = 1,000,000 分).
    public static func wanYuan(fen: Int64) -> String {
        hundredths(fen, 10_000)
    }

    /// `value / divisor` to two decimals, rounded half away from zero.
    static func hundredths(_ value: Int64, _ divisor: Int64) -> String {
        let negative = (value < 0) != (divisor < 0)
        let magnitude = value.magnitude, by = divisor.magnitude
        let rounded = (magnitude * 2 + by) / (by * 2)
        let whole = rounded / 100, fraction = rounded % 100
        let text = "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
        return negative && rounded > 0 ? "-" + text : text
    }
}
