import EventStore
import Ledger
import Postgres
import Projections

/// The trends of a period (issue 19): for each month, the operations, 检查机构家次, violations and
/// fines of that month, and the compression rate on its last day; each month is clipped to the
/// period, so its figures are exactly what `ledger stats` gives for those days. Summed from the
/// rollups per month in a few statements, never from the log.
public struct MonthlySeries: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        /// The month's first and last day within the period.
        public var from: CalendarDate
        public var to: CalendarDate
        public var operations: Int64 = 0
        public var institutionInspections: Int64 = 0
        public var violations: Int64 = 0
        public var finesFen: Int64 = 0
        /// Against the request's baseline, on `to`.
        public var compression = Statistics.Compression(baseline: 0, compressed: 0, byDistrict: [])

        /// `2024-03`.
        public var label: String { String(from.description.prefix(7)) }
    }

    public var request: StatisticsRequest
    public var position: Int64
    public var months: [Month]

    /// The months of `request`'s period, each clipped to it.
    static func months(of request: StatisticsRequest) -> [Month] {
        var months: [Month] = []
        var start = request.from
        while start <= request.to {
            let next = start.firstOfNextMonth
            months.append(Month(from: start, to: min(next.adding(days: -1), request.to)))
            start = next
        }
        return months
    }
}

extension StatisticsQuery {
    /// The monthly series for `request` from the read models at `position`.
    public func series(
        _ request: StatisticsRequest, generations: [String: ProjectionEngine.Generation], position: Int64, _ connection: Connection
    ) throws -> MonthlySeries {
        guard let institutions = generations["institutions"]?.schema, let operations = generations["operations"]?.schema,
              let bulletins = generations["bulletins"]?.schema else {
            throw LedgerError("a read model is missing")
        }
        let c = Context(request: request, i: "\(identifier: institutions)", o: "\(identifier: operations)", b: "\(identifier: bulletins)")
        var months = MonthlySeries.months(of: request)
        let index = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1.label, $0) })
        func month(_ row: Row) -> Int? { row["month"].flatMap { index[String($0.prefix(7))] } }

        for row in try connection.execute("""
            SELECT date_trunc('month', day)::date::text AS month, sum(operations) AS n FROM \(c.o).operation_daily
             WHERE day BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district")) GROUP BY 1
            """) {
            if let m = month(row) { months[m].operations = try row.decode("n") }
        }
        for row in try connection.execute("""
            SELECT date_trunc('month', day)::date::text AS month,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .institutionInspected)), 0) AS inspections,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .violationFound)), 0) AS violations,
                   coalesce(sum(amount) FILTER (WHERE type = \(type: .penaltyImposed)), 0) AS fines
              FROM \(c.i).institution_daily
             WHERE type IN (\(type: .institutionInspected), \(type: .violationFound), \(type: .penaltyImposed))
               AND day BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
             GROUP BY 1
            """) {
            guard let m = month(row) else { continue }
            months[m].institutionInspections = try row.decode("inspections")
            months[m].violations = try row.decode("violations")
            months[m].finesFen = try row.decode("fines")
        }
        try compressionAtMonthEnds(c, &months, connection)
        return MonthlySeries(request: request, position: position, months: months)
    }

    /// The compression rate on each month's last day: for the policy baseline, the members on
    /// the baseline day once and the baseline's members gone, summed per month and carried on;
    /// for another baseline, the figure itself on each month's last day.
    private func compressionAtMonthEnds(_ c: Context, _ months: inout [MonthlySeries.Month], _ connection: Connection) throws {
        guard c.request.baseline == InstitutionsProjection.policyBaseline else {
            for index in months.indices {
                var request = c.request
                request.to = months[index].to
                var statistics = Statistics(request: request, position: 0)
                try compression(Context(request: request, i: c.i, o: c.o, b: c.b), into: &statistics, connection)
                months[index].compression = statistics.compression
            }
            return
        }
        let baseline: SQL = "\(c.request.baseline.description)::date"
        var members: [String: Int64] = [:]
        for row in try connection.execute("""
            SELECT district, sum(members) AS baseline FROM \(c.i).member_changes
             WHERE day <= \(baseline) AND \(c.inDistrict("district")) GROUP BY district
            """) {
            members[row["district"] ?? "", default: 0] += try row.decode("baseline")
        }
        // What left before the period counts in its first month: the rate is cumulative.
        var gone: [(month: String, district: String, compressed: Int64)] = []
        for row in try connection.execute("""
            SELECT greatest(date_trunc('month', day)::date, \(c.from)::date)::text AS month, district, sum(compressed) AS compressed
              FROM \(c.i).baseline_changes
             WHERE day <= \(c.toDate) AND \(c.inDistrict("district")) GROUP BY 1, 2
            """) {
            gone.append((String((row["month"] ?? "").prefix(7)), row["district"] ?? "", try row.decode("compressed")))
        }
        gone.sort { $0.month < $1.month }
        var compressed: [String: Int64] = [:]
        var next = gone.startIndex
        for index in months.indices {
            while next < gone.endIndex, gone[next].month <= months[index].label {
                compressed[gone[next].district, default: 0] += gone[next].compressed
                next += 1
            }
            months[index].compression = Statistics.Compression(districts: members.filter { $0.value > 0 }.map {
                Statistics.DistrictCompression(district: $0.key, baseline: $0.value, compressed: compressed[$0.key] ?? 0)
            }, order: configuration.districts)
        }
    }
}

extension MonthlySeries {
    /// The columns of the JSON rows and the CSV, in order.
    public static let columns = [
        "month", "from", "to", "operations", "institution_inspections", "violations", "fines_fen", "fines_wan_yuan",
        "compression_rate_percent",
    ]

    /// One month's values, in ``columns`` order.
    func values(_ month: Month) -> [Ordered] {
        [
            .string(month.label), .string(month.from.description), .string(month.to.description),
            .integer(month.operations), .integer(month.institutionInspections), .integer(month.violations),
            .integer(month.finesFen), .decimal(HalfUp.wanYuan(fen: month.finesFen)),
            month.compression.ratePercent.map(Ordered.decimal) ?? .null,
        ]
    }

    /// `{"from", "to", "district", "baseline", "position", "months": [{…}]}`.
    public var jsonText: String {
        Ordered.object([
            ("from", .string(request.from.description)), ("to", .string(request.to.description)),
            ("district", request.district.map(Ordered.string) ?? .null), ("baseline", .string(request.baseline.description)),
            ("position", .integer(position)),
            ("months", .array(months.map { .object(Array(zip(Self.columns, values($0)))) })),
        ]).pretty(indent: 0)
    }

    /// A header line and a line per month.
    public var csvText: String {
        let district = request.district ?? ""
        var lines = [(["district"] + Self.columns).joined(separator: ",")]
        for month in months {
            let cells = values(month).map { value -> String in
                switch value {
                case .string(let text), .decimal(let text): text
                case .integer(let n): "\(n)"
                default: ""
                }
            }
            lines.append(([district] + cells).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Aligned columns with Chinese headers, for people.
    public var tableText: String {
        let headers = ["月份", "开展检查", "检查机构", "违规行为", "罚没款(万元)", "压减率"]
        var rows = [headers]
        for month in months {
            rows.append([
                month.label, "\(month.operations)", "\(month.institutionInspections)", "\(month.violations)",
                HalfUp.wanYuan(fen: month.finesFen), month.compression.ratePercent.map { "\($0)%" } ?? "—",
            ])
        }
        let title = "\(request.district ?? "全市") \(request.from) 至 \(request.to) 逐月(账本位置 \(position))"
        return ([title] + rows.map { $0.joined(separator: "\t") }).joined(separator: "\n")
    }
}
