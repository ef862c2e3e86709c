import EventStore

extension Statistics {
    /// One counted figure of SPEC §4: its JSON key, how people read it, its value.
    public struct Count: Sendable {
        public var key: String
        /// The label of the table and the dashboard.
        public var label: String
        public var value: @Sendable (Statistics) -> Int64
        /// How the table shows the value (罚没款 in 万元); the JSON and CSV keep the integer.
        var shown: @Sendable (Int64) -> String = { "\($0)" }
    }

    /// The counted figures in SPEC §4's order: every rendering (JSON, CSV, the table, the
    /// dashboard) and the OpenAPI schema iterate this one list.
    public static let counts: [Count] = [
        Count(key: "operations", label: "开展检查(次)", value: \.operations),
        Count(key: "inspector_person_times", label: "出动检查人员(人次)", value: \.inspectorPersonTimes),
        Count(key: "institution_inspections", label: "检查机构(家次)", value: \.institutionInspections),
        Count(key: "interviews", label: "约谈(次)", value: \.interviews),
        Count(key: "rectification_notices", label: "责令整改通知书(份)", value: \.rectificationNotices),
        Count(key: "rectifications_overdue", label: "其中逾期未整改(份)", value: \.rectificationsOverdue),
        Count(key: "violations", label: "查处违规行为(起)", value: \.violations),
        Count(key: "violating_persons", label: "违规人员(人)", value: \.violatingPersons),
        Count(key: "warnings", label: "警告(次)", value: \.warnings),
        Count(key: "unlicensed_closed", label: "关停无证无照机构(家)", value: \.unlicensedClosed),
        Count(key: "bulletins", label: "发布通报(期)", value: \.bulletins),
        Count(key: "exposed_institutions", label: "曝光培训机构(家)", value: \.exposedInstitutions),
        Count(key: "fines_fen", label: "罚没款金额(万元)", value: \.finesFen, shown: { HalfUp.wanYuan(fen: $0) }),
    ]

    /// The keys of the JSON object, in order (the OpenAPI schema requires each).
    public static let jsonKeys = ["from", "to", "district"] + counts.map(\.key)
        + ["compression", "coverage", "whitelists", "baseline", "position"]

    /// The JSON object of SPEC §4, keys in the SPEC's order, pretty-printed.
    public var jsonText: String {
        let compressionValue: Ordered = .object([
            ("baseline_date", .string(request.baseline.description)),
            ("baseline", .integer(compression.baseline)),
            ("compressed", .integer(compression.compressed)),
            ("rate_percent", compression.ratePercent.map(Ordered.decimal) ?? .null),
            ("by_district", .array(compression.byDistrict.map { entry in
                .object([
                    ("district", .string(entry.district)), ("baseline", .integer(entry.baseline)),
                    ("compressed", .integer(entry.compressed)),
                    ("rate_percent", entry.ratePercent.map(Ordered.decimal) ?? .null),
                ])
            })),
        ])
        let value: Ordered = .object([
            ("from", .string(request.from.description)),
            ("to", .string(request.to.description)),
            ("district", request.district.map(Ordered.string) ?? .null),
        ] + Self.counts.map { ($0.key, .integer($0.value(self))) } + [
            ("compression", compressionValue),
            ("coverage", .object([
                ("remaining", .integer(coverage.remaining)), ("non_profit", .integer(coverage.nonProfit)),
                ("fund_custody", .integer(coverage.fundCustody)), ("guidance_price", .integer(coverage.guidancePrice)),
            ])),
            ("whitelists", .array(whitelists.map { list in
                .object([
                    ("list", .string(list.list)), ("institutions", .integer(list.institutions)), ("courses", .integer(list.courses)),
                    ("by_specialty", .object([
                        ("science", .integer(list.science)), ("arts", .integer(list.arts)),
                        ("sports", .integer(list.sports)), ("general", .integer(list.general)),
                    ])),
                ])
            })),
            ("baseline", .string(request.baseline.description)),
            ("position", .integer(position)),
        ])
        return value.pretty(indent: 0)
    }

    /// Aligned rows with Chinese labels, for people.
    public var tableText: String {
        let rows = labelledFigures
        let width = rows.map { Self.displayWidth($0.label) }.max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - Self.displayWidth(label) + 2) + value
        }.joined(separator: "\n")
    }

    /// Every figure with its Chinese label, in the order people read them (the table, the dashboard).
    public var labelledFigures: [(label: String, value: String)] {
        let scope = request.district ?? "全市"
        var rows: [(label: String, value: String)] = [("统计范围", "\(scope) \(request.from) 至 \(request.to)")]
            + Self.counts.map { ($0.label, $0.shown($0.value(self))) }
        rows += [
            ("压减基数(家, \(request.baseline))", "\(compression.baseline)"),
            ("已压减(家)", "\(compression.compressed)"),
            ("压减率", compression.ratePercent.map { "\($0)%" } ?? "—"),
        ]
        for entry in compression.byDistrict {
            rows.append(("  \(entry.district)", "\(entry.compressed)/\(entry.baseline) = \(entry.ratePercent.map { "\($0)%" } ?? "—")"))
        }
        rows += [
            ("现存学科类机构(家)", "\(coverage.remaining)"),
            ("营改非(家)", "\(coverage.nonProfit)"),
            ("资金监管(家)", "\(coverage.fundCustody)"),
            ("政府指导价(家)", "\(coverage.guidancePrice)"),
        ]
        for list in whitelists {
            rows.append(("白名单 \(list.list)", "\(list.institutions)家 \(list.courses)门课程 (科技\(list.science) 艺术\(list.arts) 体育\(list.sports) 综合\(list.general))"))
        }
        rows.append(("账本位置", "\(position)"))
        return rows
    }

    /// One header row and one value row; commas and quotes escaped (RFC 4180), UTF-8 with a BOM
    /// so spreadsheet programs read the Chinese correctly.
    public var csvText: String {
        var columns: [(String, String)] = [
            ("from", request.from.description), ("to", request.to.description), ("district", request.district ?? ""),
        ] + Self.counts.map { ($0.key, "\($0.value(self))") } + [
            ("fines_wan_yuan", HalfUp.wanYuan(fen: finesFen)),
            ("baseline_date", request.baseline.description), ("baseline", "\(compression.baseline)"),
            ("compressed", "\(compression.compressed)"), ("rate_percent", compression.ratePercent ?? ""),
        ]
        for entry in compression.byDistrict {
            columns.append(("baseline_\(entry.district)", "\(entry.baseline)"))
            columns.append(("compressed_\(entry.district)", "\(entry.compressed)"))
            columns.append(("rate_percent_\(entry.district)", entry.ratePercent ?? ""))
        }
        columns += [
            ("remaining", "\(coverage.remaining)"), ("non_profit", "\(coverage.nonProfit)"),
            ("fund_custody", "\(coverage.fundCustody)"), ("guidance_price", "\(coverage.guidancePrice)"),
        ]
        for list in whitelists {
            columns.append(("whitelist_institutions_\(list.list)", "\(list.institutions)"))
            columns.append(("whitelist_courses_\(list.list)", "\(list.courses)"))
        }
        columns.append(("position", "\(position)"))
        func cell(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return "\u{FEFF}" + columns.map { cell($0.0) }.joined(separator: ",") + "\r\n"
            + columns.map { cell($0.1) }.joined(separator: ",") + "\r\n"
    }

    /// Terminal columns: CJK characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic || (0x3000...0xFFEF).contains($1.value) ? 2 : 1) }
    }
}

/// JSON whose object keys keep the order they are given in, for output people read.
indirect enum Ordered {
    case object([(String, Ordered)])
    case array([Ordered])
    case string(String)
    case integer(Int64)
    /// A decimal written as is (`95.91`).
    case decimal(String)
    case null

    func pretty(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 2), close = String(repeating: " ", count: indent)
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            let body = members.map { key, value in
                pad + JSON.string(key).canonicalText + ": " + value.pretty(indent: indent + 2)
            }
            return "{\n" + body.joined(separator: ",\n") + "\n" + close + "}"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { pad + $0.pretty(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close + "]"
        case .string(let text): return JSON.string(text).canonicalText
        case .integer(let number): return String(number)
        case .decimal(let text): return text
        case .null: return "null"
        }
    }
}
