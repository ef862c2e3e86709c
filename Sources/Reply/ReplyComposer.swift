import EventStore
import Statistics

/// Writes the enforcement section of a council reply (委员提案答复) from the figures of SPEC §4,
/// in the register of a real reply.
///
/// Rules (SPEC §5): money in 万元 and percentages with two decimals, rounded half-up from integers;
/// the districts at 100% joined with 、 (the clause is left out when there are none, and for a
/// single district); "全覆盖" only when the three coverage counts all equal the remaining
/// institutions, otherwise the three percentages; "全市" becomes the district's name.
/// A clause whose figure is zero is left out rather than printed with a zero (no bulletins in the
/// period: no "发布通报0期"); the compression sentence is left out when the baseline is empty, the
/// coverage clause when no member institution remains; a period with no enforcement at all says so.
public enum ReplyComposer {
    /// The paragraphs of the reply's body.
    public static func paragraphs(_ s: Statistics) -> [String] {
        [governance(s), enforcement(s)]
    }

    static func scope(_ s: Statistics) -> String { s.request.district ?? "全市" }

    /// 2021-07-24 → 2021年7月24日.
    static func chinese(_ date: CalendarDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

    static func governance(_ s: Statistics) -> String {
        let since = s.request.baseline == StatisticsRequest.policyStart ? "自“双减”政策实施以来" : "自\(chinese(s.request.baseline))以来"
        var sentence = "\(since),校外培训机构得到规范治理。"
        var clauses: [String] = []
        let compression = s.compression
        if compression.baseline > 0, let rate = compression.ratePercent {
            clauses.append("\(scope(s))\(compression.baseline)家线下义务教育阶段学科类校外培训机构压减了\(compression.compressed)家,压减率为\(rate)%")
            let complete = compression.byDistrict.filter { $0.baseline > 0 && $0.compressed == $0.baseline }.map(\.district)
            if s.request.district == nil, !complete.isEmpty {
                clauses.append("其中\(complete.joined(separator: "、"))压减率为100%")
            }
        }
        let coverage = s.coverage
        if coverage.remaining > 0 {
            let counts = [coverage.nonProfit, coverage.fundCustody, coverage.guidancePrice]
            if counts.allSatisfy({ $0 == coverage.remaining }) {
                clauses.append("学科类培训机构“营改非”、资金监管、政府指导价实现“全覆盖”")
            } else {
                let percents = counts.map { "\(HalfUp.percent($0, of: coverage.remaining) ?? "0.00")%" }
                clauses.append("学科类培训机构“营改非”、资金监管、政府指导价覆盖率分别为\(percents.joined(separator: "、"))")
            }
        }
        if !clauses.isEmpty { sentence += clauses.joined(separator: ",") + "。" }
        return sentence
    }

    static func enforcement(_ s: Statistics) -> String {
        let period = "\(chinese(s.request.from))至\(chinese(s.request.to))"
        let present = Statistics.inReply.compactMap { figure -> String? in
            guard let clause = figure.reply?.clause, (figure.integer(s) ?? 0) > 0 else { return nil }
            return clause(s)
        }
        guard !present.isEmpty else {
            return "据统计,\(period),\(scope(s))未记录执法检查和查处情况。"
        }
        return "据统计,\(period),\(scope(s))累计" + present.joined(separator: ",") + "。"
    }
}
