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
            throw LedgerError("a read model is missing")
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
        if let obligations = generations["obligations"]?.schema {
            let calendar = try WorkingCalendar.published(atPosition: position, configuration: configuration, connection)
            try proposals(context, obligations: "\(identifier: obligations)", calendar: calendar, into: &statistics, connection)
            try cases(context, obligations: "\(identifier: obligations)", calendar: calendar, into: &statistics, connection)
            try randomChecks(context, obligations: "\(identifier: obligations)", calendar: calendar, into: &statistics, connection)
            try complaints(context, obligations: "\(identifier: obligations)", calendar: calendar, into: &statistics, connection)
            try blacklist(context, obligations: "\(identifier: obligations)", into: &statistics, connection)
        }
        return statistics
    }

    /// The request's values and the schemas of the three read models.
    struct Context {
        var request: StatisticsRequest
        var i: SQL, o: SQL, b: SQL
        var from: String { request.from.description }
        var to: String { request.to.description }
        /// `column` is the requested district; nothing to test for the whole city. Two statement
        /// shapes rather than `$1 IS NULL OR …`, so each prepared plan uses its indexes.
        func inDistrict(_ column: SQL) -> SQL {
            guard let district = request.district else { return "true" }
            return "\(column) = \(district)"
        }
        var toDate: SQL { "\(to)::date" }
        /// The state interval of table alias `alias` (a literal of ours) holds the day `day`.
        func on(_ alias: String, _ day: SQL) -> SQL {
            "\(unsafeRaw: alias).valid_from <= \(day) AND (\(unsafeRaw: alias).valid_to IS NULL OR \(day) < \(unsafeRaw: alias).valid_to)"
        }
    }

    private func countOperations(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT coalesce(sum(operations), 0) AS n, coalesce(sum(inspectors), 0) AS people FROM \(c.o).operation_daily
             WHERE day BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0]
        s.operations = try row.decode("n")
        s.inspectorPersonTimes = try row.decode("people")
    }

    /// The counts from the rollups; what needs each event (overdue notices, distinct closures,
    /// penalties net of revocations) from the few events of those types, each notice and penalty
    /// carrying the day it was settled (completed, revoked).
    private func countInstitutionEvents(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        // Whole months from the monthly rollup, the days before and after them from the daily one
        // (each edge its own range, so a prepared plan's index scan reads only those days).
        let firstMonth = c.request.from.day == 1 ? c.request.from : c.request.from.firstOfNextMonth
        let endMonth = c.request.to.next.day == 1 ? c.request.to.next : c.request.to.firstOfMonth
        let counted: SQL = """
            type IN (\(type: .institutionInspected), \(type: .interviewHeld), \(type: .rectificationOrdered), \(type: .violationFound),
                     \(type: .warningIssued), \(type: .penaltyImposed), \(Self.unlicensedClosures))
            """
        let rollup: SQL = firstMonth < endMonth ? """
            SELECT type, events, amount FROM \(c.i).institution_monthly
             WHERE \(counted) AND month >= \(firstMonth.description)::date AND month < \(endMonth.description)::date
               AND \(c.inDistrict("district"))
            UNION ALL
            SELECT type, events, amount FROM \(c.i).institution_daily
             WHERE \(counted) AND day >= \(c.from)::date AND day < \(firstMonth.description)::date AND \(c.inDistrict("district"))
            UNION ALL
            SELECT type, events, amount FROM \(c.i).institution_daily
             WHERE \(counted) AND day >= \(endMonth.description)::date AND day <= \(c.to)::date AND \(c.inDistrict("district"))
            """ : """
            SELECT type, events, amount FROM \(c.i).institution_daily
             WHERE \(counted) AND day BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """
        let daily = try connection.execute("""
            SELECT coalesce(sum(events) FILTER (WHERE type = \(type: .institutionInspected)), 0) AS inspections,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .interviewHeld)), 0) AS interviews,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .rectificationOrdered)), 0) AS notices,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .violationFound)), 0) AS violations,
                   coalesce(sum(amount) FILTER (WHERE type = \(type: .violationFound)), 0) AS persons,
                   coalesce(sum(events) FILTER (WHERE type = \(type: .warningIssued)), 0) AS warnings,
                   coalesce(sum(events) FILTER (WHERE type = \(Self.unlicensedClosures)), 0) AS unlicensed_closures,
                   coalesce(sum(amount) FILTER (WHERE type = \(type: .penaltyImposed)), 0) AS fines
              FROM (\(rollup)) r
            """)[0]
        s.institutionInspections = try daily.decode("inspections")
        s.interviews = try daily.decode("interviews")
        s.rectificationNotices = try daily.decode("notices")
        s.violations = try daily.decode("violations")
        s.violatingPersons = try daily.decode("persons")
        s.warnings = try daily.decode("warnings")
        s.finesFen = try daily.decode("fines")
        // Institutions, not closures: less the closures of an institution closed before in the
        // period (rare), and the notices one by one (each one's deadline and settling day).
        let repeated: SQL = c.request.district == nil ? "previous_on" : "previous_in_district_on"
        let row = try connection.execute("""
            SELECT (SELECT count(*) FROM \(c.i).institution_events
                     WHERE type = \(type: .rectificationOrdered) AND occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND deadline < \(c.to)::date AND (settled_on IS NULL OR settled_on > \(c.to)::date)
                       AND \(c.inDistrict("district"))) AS overdue,
                   (SELECT count(*) FROM \(c.i).institution_events
                     WHERE previous_on IS NOT NULL AND occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND \(repeated) >= \(c.from)::date AND \(c.inDistrict("district"))) AS repeated
            """)[0]
        s.rectificationsOverdue = try row.decode("overdue")
        s.unlicensedClosed = try daily.decode("unlicensed_closures") - (try row.decode("repeated") as Int64)
    }

    /// The rollups' type for closures of unlicensed institutions (Rollups/roll_institution_events.sql).
    static let unlicensedClosures: SQL = "\(EventType.institutionClosed.rawValue + ":unlicensed_shutdown")"

    /// Bulletins of the district (or all); exposed institutions named in any bulletin of the
    /// period, attributed to the district on the bulletin's date.
    private func countBulletins(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        // The district an exposure counts in is the institution's on the bulletin's day: looked
        // up only when a district is asked for (the city counts every exposed institution once).
        let district: SQL = c.request.district == nil ? "" : "JOIN \(c.i).institution_states st ON st.stream = x.institution AND \(c.on("st", "b.occurred_on"))"
        let row = try connection.execute("""
            SELECT (SELECT count(*) FROM \(c.b).bulletins
                     WHERE NOT voided AND occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND \(c.inDistrict("district"))) AS bulletins,
                   (SELECT count(DISTINCT x.institution)
                      FROM \(c.b).bulletins b JOIN \(c.b).bulletin_exposures x USING (stream)
                      \(district)
                     WHERE NOT b.voided AND b.occurred_on BETWEEN \(c.from)::date AND \(c.to)::date
                       AND \(c.inDistrict("st.district"))) AS exposed
            """)[0]
        s.bulletins = try row.decode("bulletins")
        s.exposedInstitutions = try row.decode("exposed")
    }

    /// Members on the baseline day (district as on that day) and how many are no longer members
    /// on T: from the rollups for the policy baseline, from the intervals for any other.
    func compression(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let baseline: SQL = "\(c.request.baseline.description)::date"
        let rows: Rows
        if c.request.baseline == InstitutionsProjection.policyBaseline {
            rows = try connection.execute("""
                WITH members AS (
                    SELECT district, sum(members) AS baseline FROM \(c.i).member_changes
                     WHERE day <= \(baseline) AND \(c.inDistrict("district")) GROUP BY district
                ), gone AS (
                    SELECT district, sum(compressed) AS compressed FROM \(c.i).baseline_changes
                     WHERE day <= \(c.toDate) AND \(c.inDistrict("district")) GROUP BY district
                )
                SELECT district, members.baseline, coalesce(gone.compressed, 0) AS compressed
                  FROM members LEFT JOIN gone USING (district)
                 WHERE members.baseline > 0
                """)
        } else {
            rows = try connection.execute("""
                SELECT b.district, count(*) AS baseline, count(*) FILTER (WHERE t.stream IS NULL) AS compressed
                  FROM \(c.i).institution_states b
                  LEFT JOIN \(c.i).institution_states t ON t.stream = b.stream AND t.member AND \(c.on("t", c.toDate))
                 WHERE b.member AND \(c.on("b", baseline)) AND \(c.inDistrict("b.district"))
                 GROUP BY b.district
                """)
        }
        s.compression = Statistics.Compression(districts: try rows.map {
            .init(district: $0["district"] ?? "", baseline: try $0.decode("baseline"), compressed: try $0.decode("compressed"))
        }, order: configuration.districts)
    }

    /// Members on T and how many of them are non-profit, in fund custody, at guidance prices.
    private func coverage(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT coalesce(sum(members), 0) AS remaining, coalesce(sum(non_profit), 0) AS non_profit,
                   coalesce(sum(fund_custody), 0) AS fund_custody, coalesce(sum(guidance_price), 0) AS guidance_price
              FROM \(c.i).member_changes
             WHERE day <= \(c.toDate) AND \(c.inDistrict("district"))
            """)[0]
        s.coverage = .init(
            remaining: try row.decode("remaining"), nonProfit: try row.decode("non_profit"),
            fundCustody: try row.decode("fund_custody"), guidancePrice: try row.decode("guidance_price"))
    }

    /// Obligations of one kind in the district: how many were created in the period, discharged
    /// in it (and of those, on or before their due day on the calendar at this position), and are
    /// open on T past their due day.
    struct ObligationCounts {
        var created: Int64 = 0, discharged: Int64 = 0, dischargedOnTime: Int64 = 0, openOverdue: Int64 = 0
    }

    private func counts(
        of kind: Obligation.Kind, _ c: Context, obligations: SQL, calendar: WorkingCalendar, _ connection: Connection
    ) throws -> ObligationCounts {
        // Due days given in the data (a notice's deadline, a draw's window) are summed from their
        // rollup; those on the calendar are computed here, with the calendar at this position.
        let from = c.request.from.description, to = c.request.to.description
        let given = try connection.execute("""
            SELECT coalesce(sum(created) FILTER (WHERE day >= \(from)::date), 0) AS created,
                   coalesce(sum(discharged) FILTER (WHERE day >= \(from)::date), 0) AS discharged,
                   coalesce(sum(discharged_on_time) FILTER (WHERE day >= \(from)::date), 0) AS on_time,
                   coalesce(sum(opened_overdue) FILTER (WHERE day < \(to)::date), 0) - coalesce(sum(closed_overdue), 0) AS open_overdue
              FROM \(obligations).obligation_daily
             WHERE kind = \(kind.rawValue) AND day <= \(c.toDate) AND \(c.inDistrict("district"))
            """)[0]
        var counts = ObligationCounts(
            created: try given.decode("created"), discharged: try given.decode("discharged"),
            dischargedOnTime: try given.decode("on_time"), openOverdue: try given.decode("open_overdue"))
        let rows = try connection.execute("""
            SELECT created_on::text AS created_on, due_on::text AS due_on, due_months, due_days, due_working_days,
                   due_base::text AS due_base, discharged_on::text AS discharged_on
              FROM \(obligations).obligations
             WHERE kind = \(kind.rawValue) AND created_on <= \(c.toDate) AND \(c.inDistrict("district")) AND due_on IS NULL
            """)
        let period = c.request.from...c.request.to
        for row in rows {
            guard let created = row["created_on"].flatMap(CalendarDate.init) else { continue }
            let due = try Deadlines.due(row, created: created, calendar).day
            let discharged = row["discharged_on"].flatMap(CalendarDate.init)
            if period.contains(created) { counts.created += 1 }
            if let discharged, period.contains(discharged) {
                counts.discharged += 1
                if let due, discharged <= due { counts.dischargedOnTime += 1 }
            }
            if discharged.map({ $0 > c.request.to }) ?? true, let due, due < c.request.to { counts.openOverdue += 1 }
        }
        return counts
    }

    /// Proposals received and answered in the period (on time: by their due day), open past it on
    /// T, and the feedback in the period.
    private func proposals(_ c: Context, obligations: SQL, calendar: WorkingCalendar, into s: inout Statistics, _ connection: Connection) throws {
        let replies = try counts(of: .proposalReply, c, obligations: obligations, calendar: calendar, connection)
        s.proposals.received = replies.created
        s.proposals.answered = replies.discharged
        s.proposals.answeredOnTime = replies.dischargedOnTime
        s.proposals.openOverdue = replies.openOverdue
        let feedback = try connection.execute("""
            SELECT satisfaction, count(*) AS n FROM \(obligations).proposal_feedback
             WHERE occurred_on BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
             GROUP BY satisfaction
            """)
        for row in feedback {
            let n: Int64 = try row.decode("n")
            switch row["satisfaction"].flatMap(Satisfaction.init(rawValue:)) {
            case .satisfied?: s.proposals.satisfied = n
            case .basicallySatisfied?: s.proposals.basicallySatisfied = n
            case .unsatisfied?: s.proposals.unsatisfied = n
            case nil: break
            }
        }
    }

    /// Cases opened, decided (within the limit: by the decision's due day), open past it on T
    /// (each case's `decision` obligation), and closed.
    private func cases(_ c: Context, obligations: SQL, calendar: WorkingCalendar, into s: inout Statistics, _ connection: Connection) throws {
        let decisions = try counts(of: .decision, c, obligations: obligations, calendar: calendar, connection)
        s.cases.opened = decisions.created
        s.cases.decided = decisions.discharged
        s.cases.decidedWithinLimit = decisions.dischargedOnTime
        s.cases.openOverdue = decisions.openOverdue
        s.cases.closed = try connection.execute("""
            SELECT count(*) AS n FROM \(obligations).case_closures
             WHERE closed_on BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0].decode("n")
    }

    /// Plans, draws and their targets, first inspections (with issues), and results published
    /// on time (SPEC §11), in the plan's district.
    private func randomChecks(_ c: Context, obligations: SQL, calendar: WorkingCalendar, into s: inout Statistics, _ connection: Connection) throws {
        let targets = try counts(of: .drawInspection, c, obligations: obligations, calendar: calendar, connection)
        let publications = try counts(of: .drawPublication, c, obligations: obligations, calendar: calendar, connection)
        s.randomChecks.drawn = publications.created
        s.randomChecks.targets = targets.created
        s.randomChecks.publishedOnTime = publications.dischargedOnTime
        s.randomChecks.planned = try connection.execute("""
            SELECT count(*) AS n FROM \(obligations).draws
             WHERE planned_on BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0].decode("n")
        let inspected = try connection.execute("""
            SELECT coalesce(sum(inspected), 0) AS n, coalesce(sum(issues_found), 0) AS issues FROM \(obligations).draw_inspection_daily
             WHERE day BETWEEN \(c.from)::date AND \(c.to)::date AND \(c.inDistrict("district"))
            """)[0]
        s.randomChecks.inspected = try inspected.decode("n")
        s.randomChecks.issuesFound = try inspected.decode("issues")
    }

    /// Complaints received (by channel), accepted, declined and found substantiated in the period,
    /// reporters answered on time, and complaints with a step open past its due day on T (each
    /// has at most one step open at a time), in the complaint's district (SPEC §12).
    private func complaints(_ c: Context, obligations: SQL, calendar: WorkingCalendar, into s: inout Statistics, _ connection: Connection) throws {
        let acceptance = try counts(of: .complaintAcceptance, c, obligations: obligations, calendar: calendar, connection)
        let verification = try counts(of: .complaintVerification, c, obligations: obligations, calendar: calendar, connection)
        let answer = try counts(of: .complaintAnswer, c, obligations: obligations, calendar: calendar, connection)
        s.complaints.received = acceptance.created
        s.complaints.answeredOnTime = answer.dischargedOnTime
        s.complaints.openOverdue = acceptance.openOverdue + verification.openOverdue + answer.openOverdue
        let inPeriod = { (column: String) -> SQL in "\(unsafeRaw: column) BETWEEN \(c.from)::date AND \(c.to)::date" }
        let row = try connection.execute("""
            SELECT count(*) FILTER (WHERE \(inPeriod("accepted_on"))) AS accepted,
                   count(*) FILTER (WHERE \(inPeriod("declined_on"))) AS declined,
                   count(*) FILTER (WHERE \(inPeriod("verified_on")) AND finding = 'substantiated') AS substantiated
              FROM \(obligations).complaints WHERE \(c.inDistrict("district"))
            """)[0]
        s.complaints.accepted = try row.decode("accepted")
        s.complaints.declined = try row.decode("declined")
        s.complaints.substantiated = try row.decode("substantiated")
        for row in try connection.execute("""
            SELECT channel, count(*) AS n FROM \(obligations).complaints
             WHERE \(inPeriod("received_on")) AND \(c.inDistrict("district")) GROUP BY channel
            """) {
            if let channel = row["channel"].flatMap(ComplaintChannel.init(rawValue:)) { s.complaints.byChannel[channel] = try row.decode("n") }
        }
    }

    /// Listings on the black list on T, made in the period, and ended in it (SPEC §13).
    private func blacklist(_ c: Context, obligations: SQL, into s: inout Statistics, _ connection: Connection) throws {
        let row = try connection.execute("""
            SELECT count(*) FILTER (WHERE listed_on <= \(c.toDate) AND (ends_on IS NULL OR ends_on > \(c.toDate))) AS listed,
                   count(*) FILTER (WHERE listed_on BETWEEN \(c.from)::date AND \(c.to)::date) AS added,
                   count(*) FILTER (WHERE ends_on BETWEEN \(c.from)::date AND \(c.to)::date) AS removed
              FROM \(obligations).blacklistings WHERE \(c.inDistrict("district"))
            """)[0]
        s.blacklist = .init(listed: try row.decode("listed"), addedInPeriod: try row.decode("added"), removedInPeriod: try row.decode("removed"))
    }

    /// Per list: institutions on it on T, registered and not closed, in the district on T, and
    /// their courses (from the list rollup).
    private func whitelists(_ c: Context, into s: inout Statistics, _ connection: Connection) throws {
        let rows = try connection.execute("""
            SELECT list, sum(institutions) AS institutions, sum(courses) AS courses, sum(science) AS science,
                   sum(arts) AS arts, sum(sports) AS sports, sum(general) AS general
              FROM \(c.i).list_changes
             WHERE day <= \(c.toDate) AND \(c.inDistrict("district"))
             GROUP BY list
            HAVING sum(institutions) > 0
             ORDER BY list
            """)
        s.whitelists = try rows.map {
            .init(list: $0["list"] ?? "", institutions: try $0.decode("institutions"), courses: try $0.decode("courses"),
                  science: try $0.decode("science"), arts: try $0.decode("arts"), sports: try $0.decode("sports"),
                  general: try $0.decode("general"))
        }
    }
}
