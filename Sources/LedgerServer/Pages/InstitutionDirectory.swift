import Ledger
import Postgres

/// Finding institutions by name or key, with the district each is in today.
enum InstitutionDirectory {
    struct Entry: Sendable {
        var key: String
        var name: String
        var district: String?
    }

    /// Up to 50 institutions whose key or name contains `text` (all of `district`'s when `text` is
    /// empty and a district is given), by name.
    static func search(_ text: String, district: String?, _ connection: Connection) throws -> [Entry] {
        guard !text.isEmpty || district != nil else { return [] }
        let pattern = containing(text)
        // Matching first (a registration's or an amendment's name, the key, the registered USCC)
        // on the trigram index of db/0012_public_lookup.sql, whose expression this is; then the
        // name and district of today for the first 60 that match (a page shows 50, and asks for
        // a fuller name past that).
        return try connection.execute("""
            WITH hits AS (
                SELECT DISTINCT stream FROM ledger.events
                 WHERE type IN (\(type: .institutionRegistered), \(type: .institutionAmended))
                   AND (stream || ' ' || coalesce(data ->> 'name', '') || ' ' || coalesce(data ->> 'uscc', '')) ILIKE \(pattern)
                 LIMIT 60
            ),
            found AS (
                SELECT r.stream, coalesce(named.name, r.data ->> 'name') AS name,
                       coalesce(moved.district, r.data ->> 'district') AS district
                  FROM ledger.events r
                  LEFT JOIN LATERAL (
                      SELECT m.data ->> 'district' AS district FROM ledger.live_events(\(Int64.max)) m
                       WHERE m.stream = r.stream AND m.type = \(type: .institutionRelocated)
                       ORDER BY m.occurred_on DESC, m.version DESC LIMIT 1) moved ON true
                  LEFT JOIN LATERAL (
                      SELECT a.data ->> 'name' AS name FROM ledger.live_events(\(Int64.max)) a
                       WHERE a.stream = r.stream AND a.type = \(type: .institutionAmended) AND a.data ? 'name'
                       ORDER BY a.occurred_on DESC, a.version DESC LIMIT 1) named ON true
                 WHERE r.type = \(type: .institutionRegistered) AND (r.stream IN (SELECT stream FROM hits) OR \(text.isEmpty))
            )
            SELECT substr(stream, length('institution-') + 1) AS key, name, district FROM found
             WHERE (stream ILIKE \(pattern) OR name ILIKE \(pattern) OR \(text.isEmpty) OR stream IN (SELECT stream FROM hits))
               AND (\(district)::text IS NULL OR district = \(district))
             ORDER BY name, stream
             LIMIT 50
            """).map { Entry(key: $0["key"] ?? "", name: $0["name"] ?? "", district: $0["district"]) }
    }

    /// The `ILIKE` pattern of texts that hold `text` as it is (its `%`, `_` and `\\` escaped).
    static func containing(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// A join giving `current.name`: the institution's name as last registered or amended (live
    /// or not: a page's name), for the stream in column `stream` (a literal of ours).
    static func currentName(of stream: String) -> SQL {
        """
        CROSS JOIN LATERAL (
            SELECT n.data ->> 'name' AS name FROM ledger.events n
             WHERE n.stream = \(unsafeRaw: stream) AND n.type IN (\(type: .institutionRegistered), \(type: .institutionAmended)) AND n.data ? 'name'
             ORDER BY n.occurred_on DESC, n.version DESC LIMIT 1) current
        """
    }

    /// The keys of the penalty cases opened against institution `key`, newest first.
    static func cases(of key: String, _ connection: Connection) throws -> [String] {
        try connection.execute("""
            SELECT substr(stream, length('case-') + 1) AS key FROM ledger.events
             WHERE type = \(type: .caseOpened) AND data ->> 'institution' = \(key)
             ORDER BY occurred_on DESC, position DESC
            """).compactMap { $0["key"] }
    }

    /// The 30 latest operations of `district` (all districts when nil), newest first, for the
    /// inspection form.
    static func recentOperations(district: String?, _ connection: Connection) throws -> [(key: String, label: String)] {
        try connection.execute("""
            SELECT substr(e.stream, length('operation-') + 1) AS key, e.occurred_on::text AS day,
                   e.data ->> 'district' AS district, e.data ->> 'kind' AS kind, e.data ->> 'campaign' AS campaign
              FROM ledger.live_events(\(Int64.max)) e
             WHERE e.type = \(type: .operationConducted) AND (\(district)::text IS NULL OR e.data ->> 'district' = \(district))
             ORDER BY e.occurred_on DESC, e.position DESC
             LIMIT 30
            """).map { row in
            let kind = EventLabels.operationKinds[row["kind"] ?? ""] ?? row["kind"] ?? ""
            let campaign = row["campaign"].map { " · \($0)" } ?? ""
            return (row["key"] ?? "", "\(row["day"] ?? "") \(row["district"] ?? "") \(kind)\(campaign)(\(row["key"] ?? ""))")
        }
    }
}

/// What an institution's timeline says of it today: its name, district and status.
struct InstitutionProfile {
    var name: String
    var district: String?
    var status: String

    init(_ today: StreamStateToday) {
        name = today.facts.name ?? "(未登记)"
        district = today.district
        status = (!today.facts.opened ? "未纳入台账" : today.facts.closed ? "已关停/注销" : "在册")
            + (today.blacklisted ? ",列入黑名单(自\(today.facts.blacklist?.since.description ?? "")起\(today.facts.blacklist?.until.map { ",至\($0)" } ?? ""))" : "")
    }
}
