import EventStore
import Ledger
import Postgres
import Projections

/// Computes SPEC §4 from the read models (never from the log), in the caller's transaction.
public struct StatisticsQuery: Sendable {
    public var configuration: LedgerConfiguration

    public init(configuration: LedgerConfiguration) {
        self.configuration = configuration
    }

    /// The figures for `request` from the generations given (all at `position`).
    public func compute(
        _ request: StatisticsRequest, generations: [String: ProjectionEngine.Generation], position: Int64,
        _ connection: Connection
    ) throws -> Statistics {
        guard let institutions = generations["institutions"]?.schema, let operations = generations["operations"]?.schema,
              let bulletins = generations["bulletins"]?.schema else {
            throw PostgresError(kind: .client, message: "a read model is missing")
        }
        let context = Context(
            request: request, i: "\(identifier: institutions)", o: "\(identifier: operations)", b: "\(identifier: bulletins)")
        var statistics = Statistics(request: request, position: position)
        try countOperations(context, into: &statistics, connection)
        try countInstitutionEvents(context, into: &statistics, connection)
        try countBulletins(context, into: &statistics, connection)
        try compression(context, into: &statistics, connection)
        try coverage(context, into: &statistics, connection)
        try whitelists(context, into: &statistics, connection)
        return statistics
    }

    /// The request's values and the schemas of the three read models.
    struct Context {
        var request: StatisticsRequest
        var i: SQL, o: SQL, b: SQL
        var from: String { request.from.description }
        var to: String { request.to.description }
        /// `column` is the requested district (always true for the whole city).
        func inDistrict(_ column: SQL) -> SQL {
            "(\(request.district)::text IS NULL OR \(column) = \(request.district))"
        }
        var toDate: SQL { "\(to)::date" }
        /// The state interval of table alias `alias` (a literal of ours) holds the day `day`.
        func on(_ alias: String, _ day: SQL) -> SQL {
            "\(unsafeRaw: alias).valid_from <= \(day) AND (\(unsafeRaw: alias).valid_to IS NULL OR \(day) < \(unsafeRaw: alias).valid_to)"
        }
    }

    private func countOperations(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT count(*) AS n, coalesce(sum(inspectors), 0) AS people FROM \(c.o).operations
             WHERE NOT voided AND occurred_on BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0]
        s.operations = try row.decode("n")
        s.inspectorPersonTimes = try row.decode("people")
    }

    private func countInstitutionEvents(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT count(*) FILTER (WHERE type = 'InstitutionInspected') AS inspections,
                   count(*) FILTER (WHERE type = 'InterviewHeld') AS interviews,
                   count(*) FILTER (WHERE type = 'RectificationOrdered') AS notices,
                   count(*) FILTER (WHERE type = 'RectificationOrdered' AND deadline < \(c.to)::date AND NOT EXISTS (
                       SELECT 1 FROM \(c.i).institution_events v
                        WHERE v.stream = e.stream AND v.type = 'RectificationVerified' AND v.key = e.key
                          AND v.detail = 'completed' AND v.occurred_on <= \(c.to)::date)) AS overdue,
                   count(*) FILTER (WHERE type = 'ViolationFound') AS violations,
                   coalesce(sum(amount) FILTER (WHERE type = 'ViolationFound'), 0) AS persons,
                   count(*) FILTER (WHERE type = 'WarningIssued') AS warnings,
                   count(DISTINCT stream) FILTER (WHERE type = 'InstitutionClosed' AND key = 'unlicensed_shutdown') AS unlicensed,
                   coalesce(sum(amount) FILTER (WHERE type = 'PenaltyImposed' AND NOT EXISTS (
                       SELECT 1 FROM \(c.i).institution_events r
                        WHERE r.stream = e.stream AND r.type = 'PenaltyRevoked' AND r.key = e.key)), 0) AS fines
              FROM \(c.i).institution_events e
             WHERE occurred_on BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0]
        s.institutionInspections = try row.decode("inspections")
        s.interviews = try row.decode("interviews")
        s.rectificationNotices = try row.decode("notices")
        s.rectificationsOverdue = try row.decode("overdue")
        s.violations = try row.decode("violations")
        s.violatingPersons = try row.decode("persons")
        s.warnings = try row.decode("warnings")
        s.unlicensedClosed = try row.decode("unlicensed")
        s.finesFen = try row.decode("fines")
    }

    /// Bulletins of the district (or all); exposed institutions named in any bulletin of the
    /// period, attributed to the district on the bulletin's date.
    private func countBulletins(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT (SELECT count(*) FROM \(c.b).bulletins
                     WHERE NOT voided AND occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND \(c.inDistrict("district"))) AS bulletins,
                   (SELECT count(DISTINCT x.institution)
                      FROM \(c.b).bulletins b JOIN \(c.b).bulletin_exposures x USING (stream)
                      LEFT JOIN \(c.i).institution_states st ON st.stream = x.institution AND \(c.on("st", "b.occurred_on"))
                     WHERE NOT b.voided AND b.occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND \(c.inDistrict("st.district"))) AS exposed
            """)[0]
        s.bulletins = try row.decode("bulletins")
        s.exposedInstitutions = try row.decode("exposed")
    }

    /// Members on the baseline day (district as on that day) and how many are no longer members on T.
    private func compression(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let baseline: SQL = "\(c.request.baseline.description)::date"
        let rows = try connection.execute("""
            SELECT b.district, count(*) AS baseline, count(*) FILTER (WHERE t.stream IS NULL) AS compressed
              FROM \(c.i).institution_states b
              LEFT JOIN \(c.i).institution_states t ON t.stream = b.stream AND t.member AND \(c.on("t", c.toDate))
             WHERE b.member AND \(c.on("b", baseline)) AND \(c.inDistrict("b.district"))
             GROUP BY b.district
            """)
        var byDistrict: [Statistics.DistrictCompression] = try rows.map {
            .init(district: $0["district"] ?? "", baseline: try $0.decode("baseline"), compressed: try $0.decode("compressed"))
        }
        let order = configuration.districts
        byDistrict.sort { (order.firstIndex(of: $0.district) ?? order.count, $0.district) < (order.firstIndex(of: $1.district) ?? order.count, $1.district) }
        s.compression = .init(
            baseline: byDistrict.reduce(0) { $0 + $1.baseline }, compressed: byDistrict.reduce(0) { $0 + $1.compressed },
            byDistrict: byDistrict.filter { $0.baseline > 0 })
    }

    private func coverage(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT count(*) AS remaining,
                   count(*) FILTER (WHERE for_profit IS FALSE) AS non_profit,
                   count(*) FILTER (WHERE fund_custody) AS fund_custody,
                   count(*) FILTER (WHERE guidance_price) AS guidance_price
              FROM \(c.i).institution_states t
             WHERE t.member AND \(c.on("t", c.toDate)) AND \(c.inDistrict("t.district"))
            """)[0]
        s.coverage = .init(
            remaining: try row.decode("remaining"), nonProfit: try row.decode("non_profit"),
            fundCustody: try row.decode("fund_custody"), guidancePrice: try row.decode("guidance_price"))
    }

    /// Per list: institutions on it on T, not closed, in the district on T, and their courses.
    private func whitelists(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let rows = try connection.execute("""
            WITH listed AS (
                SELECT l.list, l.stream, l.courses
                  FROM \(c.i).list_states l
                  JOIN \(c.i).institution_states t ON t.stream = l.stream AND \(c.on("t", c.toDate))
                 WHERE l.listed AND \(c.on("l", c.toDate)) AND t.registered AND NOT t.closed AND \(c.inDistrict("t.district"))
            )
            SELECT list, count(DISTINCT stream) AS institutions, count(course) AS courses,
                   count(*) FILTER (WHERE course ->> 'specialty' = 'science') AS science,
                   count(*) FILTER (WHERE course ->> 'specialty' = 'arts') AS arts,
                   count(*) FILTER (WHERE course ->> 'specialty' = 'sports') AS sports,
                   count(*) FILTER (WHERE course ->> 'specialty' = 'general') AS general
              FROM listed LEFT JOIN LATERAL jsonb_array_elements(listed.courses) AS course ON true
             GROUP BY list ORDER BY list
            """)
        s.whitelists = try rows.map {
            .init(list: $0["list"] ?? "", institutions: try $0.decode("institutions"), courses: try $0.decode("courses"),
                  science: try $0.decode("science"), arts: try $0.decode("arts"), sports: try $0.decode("sports"),
                  general: try $0.decode("general"))
        }
    }
}
