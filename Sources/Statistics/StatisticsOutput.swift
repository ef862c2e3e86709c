import EventStore

extension Statistics {
    /// The keys of the JSON object, in order (the OpenAPI schema requires each).
    public static let jsonKeys = ["from", "to", "district"] + topLevelKeys + ["baseline", "position"]

    /// The figures' top-level keys, a dotted key's object once.
    static let topLevelKeys: [String] = figures.reduce(into: []) { keys, figure in
        let key = String(figure.group ?? Substring(figure.key))
        if !keys.contains(key) { keys.append(key) }
    }

    /// The JSON object of SPEC §4, keys in the SPEC's order, pretty-printed.
    public var jsonText: String {
        var members: [(String, Ordered)] = [
            ("from", .string(request.from.description)),
            ("to", .string(request.to.description)),
            ("district", request.district.map(Ordered.string) ?? .null),
        ]
        for figure in Self.figures {
            let value = Self.json(figure.value(self))
            guard let group = figure.group.map(String.init) else {
                members.append((figure.key, value))
                continue
            }
            if let index = members.firstIndex(where: { $0.0 == group }), case .object(let inner) = members[index].1 {
                members[index].1 = .object(inner + [(String(figure.leaf), value)])
            } else {
                members.append((group, .object([(String(figure.leaf), value)])))
            }
        }
        members += [("baseline", .string(request.baseline.description)), ("position", .integer(position))]
        return Ordered.object(members).pretty(indent: 0)
    }

    /// Members whose key is dotted (`by_channel.letter`) gathered into an object of their group.
    static func nested(_ members: [(String, Ordered)]) -> [(String, Ordered)] {
        var out: [(String, Ordered)] = []
        for (key, value) in members {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { out.append((key, value)); continue }
            if let index = out.firstIndex(where: { $0.0 == parts[0] }), case .object(let inner) = out[index].1 {
                out[index].1 = .object(inner + [(parts[1], value)])
            } else {
                out.append((parts[0], .object([(parts[1], value)])))
            }
        }
        return out
    }

    static func json(_ value: Figure.Value) -> Ordered {
        switch value {
        case .integer(let n): .integer(n)
        case .percent(let p): p.map(Ordered.decimal) ?? .null
        case .day(let day): .string(day.description)
        case .districts(let rows):
            .array(rows.map { entry in
                .object([
                    ("district", .string(entry.district)), ("baseline", .integer(entry.baseline)),
                    ("compressed", .integer(entry.compressed)),
                    ("rate_percent", entry.ratePercent.map(Ordered.decimal) ?? .null),
                ])
            })
        case .parts(let parts): .object(nested(parts.map { ($0.key, .integer($0.value)) }))
        case .whitelists(let lists):
            .array(lists.map { list in
                .object([
                    ("list", .string(list.list)), ("institutions", .integer(list.institutions)), ("courses", .integer(list.courses)),
                    ("by_specialty", .object([
                        ("science", .integer(list.science)), ("arts", .integer(list.arts)),
                        ("sports", .integer(list.sports)), ("general", .integer(list.general)),
                    ])),
                ])
            })
        }
    }

    /// Aligned rows with Chinese labels, for people.
    public var tableText: String {
        let rows = labelledFigures
        let width = rows.map { Self.displayWidth($0.label) }.max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - Self.displayWidth(label) + 2) + value
        }.joined(separator: "\n")
    }

    /// Every figure with its Chinese label, in the order people read them (the table, the
    /// dashboard): money in 万元, a row per district, per coverage count and per white list.
    public var labelledFigures: [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = [("统计范围", "\(request.district ?? "全市") \(request.from) 至 \(request.to)")]
        for figure in Self.figures {
            switch (figure.value(self), figure.unit) {
            case (.integer(let n), .fen):
                rows.append(("\(figure.label)(万元)", HalfUp.wanYuan(fen: n)))
            case (.integer(let n), .of(let unit)):
                let qualifier = figure.qualifier.map { ", " + $0(request) } ?? ""
                rows.append(("\(figure.label)(\(unit)\(qualifier))", "\(n)"))
            case (.integer(let n), _):
                rows.append((figure.label, "\(n)"))
            case (.percent(let p), _):
                rows.append((figure.label, p.map { "\($0)%" } ?? "—"))
            case (.day, _):
                continue  // the baseline's row names its day
            case (.districts(let entries), _):
                for entry in entries {
                    rows.append(("  \(entry.district)", "\(entry.compressed)/\(entry.baseline) = \(entry.ratePercent.map { "\($0)%" } ?? "—")"))
                }
            case (.parts(let parts), let unit):
                let suffix = if case .of(let u) = unit { "(\(u))" } else { "" }
                rows += parts.map { ($0.label + suffix, "\($0.value)") }
            case (.whitelists(let lists), _):
                for list in lists {
                    rows.append(("\(figure.label) \(list.list)", "\(list.institutions)家 \(list.courses)门课程 (科技\(list.science) 艺术\(list.arts) 体育\(list.sports) 综合\(list.general))"))
                }
            }
        }
        rows.append(("账本位置", "\(position)"))
        return rows
    }

    /// One header row and one value row; commas and quotes escaped (RFC 4180), UTF-8 with a BOM
    /// so spreadsheet programs read the Chinese correctly. Columns are named by the JSON key's
    /// last member; money also in 万元.
    public var csvText: String {
        var columns: [(String, String)] = [
            ("from", request.from.description), ("to", request.to.description), ("district", request.district ?? ""),
        ]
        for figure in Self.figures {
            let name = String(figure.leaf)
            switch figure.value(self) {
            case .integer(let n):
                columns.append((name, "\(n)"))
                if figure.unit == .fen {
                    columns.append((name.replacingOccurrences(of: "_fen", with: "_wan_yuan"), HalfUp.wanYuan(fen: n)))
                }
            case .percent(let p): columns.append((name, p ?? ""))
            case .day(let day): columns.append((name, day.description))
            case .districts(let entries):
                for entry in entries {
                    columns.append(("baseline_\(entry.district)", "\(entry.baseline)"))
                    columns.append(("compressed_\(entry.district)", "\(entry.compressed)"))
                    columns.append(("rate_percent_\(entry.district)", entry.ratePercent ?? ""))
                }
            case .parts(let parts): columns += parts.map { ($0.column, "\($0.value)") }
            case .whitelists(let lists):
                for list in lists {
                    columns.append(("whitelist_institutions_\(list.list)", "\(list.institutions)"))
                    columns.append(("whitelist_courses_\(list.list)", "\(list.courses)"))
                }
            }
        }
        columns.append(("position", "\(position)"))
        return "\u{FEFF}" + columns.map { Self.csvCell($0.0) }.joined(separator: ",") + "\r\n"
            + columns.map { Self.csvCell($0.1) }.joined(separator: ",") + "\r\n"
    }

    /// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a newline.
    static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
    case bool(Bool)
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
        case .bool(let value): return value ? "true" : "false"
        case .decimal(let text): return text
        case .null: return "null"
        }
    }
}
