import EventStore
import Foundation

/// A reason a person reads, in both languages the ledger speaks, with a stable machine `code`
/// (`date.after_today`, `uscc.check_digit`) so that clients never parse text (issue 19).
///
/// This file is the one catalogue: a reason can only be made here (the initializer is private to
/// it), so a new rule cannot ship without its English and its Chinese; ``catalogue`` holds one of
/// each, and a test walks it (and checks that every code this file makes is in it).
public struct Reason: Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let english: String
    public let chinese: String

    fileprivate init(_ code: String, _ english: String, _ chinese: String) {
        self.code = code
        self.english = english
        self.chinese = chinese
    }

    public var description: String { english }

    public func text(_ language: Language) -> String { language == .chinese ? chinese : english }
}

/// Which language a person reads: Chinese on the pages and for `Accept-Language: zh…`, on the
/// command line when the locale is Chinese (`LANG=zh_CN.UTF-8`); English otherwise.
public enum Language: String, Sendable {
    case english = "en"
    case chinese = "zh"

    /// The language an `Accept-Language` header prefers among ours (the highest weight; ties to
    /// the first); English when it names neither.
    public static func preferred(acceptLanguage header: String?) -> Language {
        guard let header else { return .english }
        var best: (language: Language, weight: Double)?
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = fields.first, !tag.isEmpty else { continue }
            let weight = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let language: Language? = tag.hasPrefix("zh") ? .chinese : tag.hasPrefix("en") || tag == "*" ? .english : nil
            guard let language, weight > 0 else { continue }
            if best == nil || weight > best!.weight { best = (language, weight) }
        }
        return best?.language ?? .english
    }

    /// The command line's language from the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`).
    public static func ofLocale(_ environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .chinese : .english
            }
        }
        return .english
    }
}

// MARK: - The line and the fields (FieldReader, Envelope, the parser)

extension Reason {
    /// What was found, as the Chinese text says it: a JSON type's name ("a string" → 字符串), a
    /// fractional number, or the value itself as it was shown.
    static func found(_ english: String) -> String {
        let names = ["null": "null", "a boolean": "布尔值", "a number": "数字", "a string": "字符串", "an array": "数组", "an object": "对象"]
        if let name = names[english] { return name }
        if english.hasPrefix("a fractional number ") { return "小数 " + english.dropFirst("a fractional number ".count) }
        return english
    }

    public static func lineTooLong(_ length: Int, maximum: Int) -> Reason {
        Reason("line.too_long", "the line is \(length) bytes long, at most \(maximum) are allowed", "该行长 \(length) 字节,最多允许 \(maximum) 字节")
    }
    public static func eventTooLong(_ length: Int, maximum: Int) -> Reason {
        Reason("event.too_long", "the event is \(length) bytes long, at most \(maximum) are allowed", "该事件长 \(length) 字节,最多允许 \(maximum) 字节")
    }
    /// The parser's failure, with its place in the line.
    public static func notJSON(_ failure: JSONParser.Failure) -> Reason {
        let reason = failure.reason, at = failure.offset + 1
        let chinese: String
        if reason.hasPrefix("duplicate key") {
            chinese = "键\(reason.dropFirst("duplicate key ".count))重复"
        } else if reason.hasPrefix("nesting is deeper than") {
            chinese = "嵌套超过 \(reason.dropFirst("nesting is deeper than ".count)) 层"
        } else {
            chinese = Self.parserPhrases[reason] ?? reason
        }
        return Reason("json.invalid", "not valid JSON: \(failure)", "不是有效的 JSON:第 \(at) 字节处\(chinese)")
    }
    private static let parserPhrases = [
        "unexpected text after the JSON value": "JSON 值之后还有多余内容", "unexpected end of input": "内容意外结束",
        "unexpected character": "出现意外字符", "expected a key in quotes": "应为带引号的键", "expected ':'": "应为 ':'",
        "expected ',' or '}'": "应为 ',' 或 '}'", "expected ',' or ']'": "应为 ',' 或 ']'", "malformed number": "数字格式错误",
        "unterminated string": "字符串未结束", "NUL character in a string": "字符串中含 NUL 字符",
        "NUL character (\\u0000) in a string": "字符串中含 NUL 字符(\\u0000)",
        "unescaped control character in a string": "字符串中含未转义的控制字符", "invalid UTF-8": "不是有效的 UTF-8 编码",
        "invalid escape in a string": "字符串中的转义无效", "invalid \\u escape": "\\u 转义无效",
        "lone high surrogate in a string": "字符串中有不成对的高位代理项", "lone low surrogate in a string": "字符串中有不成对的低位代理项",
        "integer out of range": "整数超出 64 位范围",
    ]
    public static func notAnObject(found: String) -> Reason {
        Reason("event.not_object", "an event must be a JSON object, found \(found)", "事件必须是 JSON 对象,实际为 \(Self.found(found))")
    }
    public static let invalidEvent = Reason("event.invalid", "is not a valid event", "不是有效的事件")
    public static let invalidData = Reason("data.invalid", "is not valid", "无效")
    public static func mustBeObject(found: String) -> Reason {
        Reason("field.not_object", "must be an object, found \(found)", "必须是对象,实际为 \(Self.found(found))")
    }
    public static let required = Reason("field.required", "is required", "必填")
    public static func mustBeString(found: String) -> Reason {
        Reason("field.not_string", "must be a string, found \(found)", "必须是字符串,实际为 \(Self.found(found))")
    }
    public static func tooLong(_ length: Int, maximum: Int) -> Reason {
        Reason("field.too_long", "is \(length) characters long, at most \(maximum) are allowed", "长 \(length) 个字符,最多允许 \(maximum) 个")
    }
    public static let empty = Reason("field.empty", "must not be empty", "不能为空")
    public static func notOneOf(_ allowed: String, found: String) -> Reason {
        Reason("field.not_allowed", "must be one of \(allowed), found \(found)", "必须是 \(allowed) 之一,实际为 \(Self.found(found))")
    }
    public static func notBoolean(found: String) -> Reason {
        Reason("field.not_boolean", "must be true or false, found \(found)", "必须是 true 或 false,实际为 \(Self.found(found))")
    }
    public static func notWholeNumber(found: String) -> Reason {
        Reason("field.not_integer", "must be a whole number, found \(found)", "必须是整数,实际为 \(Self.found(found))")
    }
    public static func outOfBounds(_ range: ClosedRange<Int64>, found: Int64) -> Reason {
        range.upperBound == .max
            ? Reason("field.out_of_range", "must be at least \(range.lowerBound), found \(found)", "必须至少为 \(range.lowerBound),实际为 \(found)")
            : Reason("field.out_of_range", "must be between \(range.lowerBound) and \(range.upperBound), found \(found)",
                     "必须在 \(range.lowerBound) 与 \(range.upperBound) 之间,实际为 \(found)")
    }
    public static func notDate(found: String) -> Reason {
        Reason("date.malformed", "must be a date YYYY-MM-DD, found \(found)", "必须是 YYYY-MM-DD 格式的日期,实际为 \(Self.found(found))")
    }
    public static func notArray(found: String) -> Reason {
        Reason("field.not_array", "must be an array, found \(found)", "必须是数组,实际为 \(Self.found(found))")
    }
    public static func tooManyItems(_ count: Int, maximum: Int) -> Reason {
        Reason("field.too_many_items", "holds \(count) items, at most \(maximum) are allowed", "含 \(count) 项,最多允许 \(maximum) 项")
    }
    public static func listedTwice(_ day: String) -> Reason {
        Reason("date.listed_twice", "\(day) is listed twice", "\(day) 重复列出")
    }
    public static func notNonEmptyString(found: String) -> Reason {
        Reason("field.not_nonempty_string", "must be a non-empty string, found \(found)", "必须是非空字符串,实际为 \(Self.found(found))")
    }
    public static func itemTooLong(maximum: Int) -> Reason {
        Reason("field.item_too_long", "is longer than \(maximum) characters", "超过 \(maximum) 个字符")
    }
    public static let valueTwice = Reason("field.duplicate_value", "lists a value twice", "同一个值列出了两次")
    public static func unknownDistrict(_ name: String, configured: [String]) -> Reason {
        Reason("district.unknown", "'\(name)' is not a configured district (\(configured.joined(separator: "、")))",
               "“\(name)”不是已配置的区(\(configured.joined(separator: "、")))")
    }
    public static let notAField = Reason("field.unknown", "is not a field of this event", "不是该事件的字段")
    public static func notUUID(found: String) -> Reason {
        Reason("id.malformed", "must be a UUID, found \(found)", "必须是 UUID,实际为 \(Self.found(found))")
    }
    public static func notStreamName(_ shown: String) -> Reason {
        Reason("stream.malformed", "\(shown) is not <institution|operation|bulletin|reply>-<key> with key [A-Za-z0-9][A-Za-z0-9._-]{0,63}",
               "\(shown) 不是“类别-键”形式的流名(类别如 institution、operation、bulletin,键为 [A-Za-z0-9][A-Za-z0-9._-]{0,63})")
    }
    public static func unknownType(_ shown: String) -> Reason {
        Reason("type.unknown", "\(shown) is not an event type of the catalogue", "\(shown) 不是事件目录中的类型")
    }
    public static func typeNotInCategory(_ type: String, category: String) -> Reason {
        Reason("type.wrong_stream", "\(type) is not allowed in a stream of category \(category)", "\(type) 不能记入 \(category) 类的流")
    }
    public static func afterToday(_ day: CalendarDate, today: CalendarDate) -> Reason {
        Reason("date.after_today", "\(day) is after today (\(today))", "\(day) 晚于今天(\(today))")
    }
    public static func beforeEarliest(_ day: CalendarDate, earliest: CalendarDate) -> Reason {
        Reason("date.too_early", "\(day) is before \(earliest)", "\(day) 早于 \(earliest)")
    }
    public static func notStreamKey(_ key: String) -> Reason {
        Reason("key.malformed", "'\(key)' is not a stream key ([A-Za-z0-9][A-Za-z0-9._-]{0,63})", "“\(key)”不是有效的键([A-Za-z0-9][A-Za-z0-9._-]{0,63})")
    }
    public static func notProposalKey(_ key: String) -> Reason {
        Reason("proposal.malformed", "'\(key)' is not a proposal key ([A-Za-z0-9][A-Za-z0-9._-]{0,63})", "“\(key)”不是有效的提案键([A-Za-z0-9][A-Za-z0-9._-]{0,63})")
    }
    public static func notInstitutionKey(found: String) -> Reason {
        Reason("institution.malformed", "must be an institution key, found \(found)", "必须是机构的键,实际为 \(Self.found(found))")
    }
    public static func notEventID(found: String) -> Reason {
        Reason("event_id.malformed", "must be an event id (a UUID), found \(found)", "必须是事件 id(UUID),实际为 \(Self.found(found))")
    }
    public static let notSHA256 = Reason("sha256.malformed", "must be 64 hexadecimal digits (SHA-256)", "必须是 64 位十六进制数字(SHA-256)")
    public static func notReplyFormat(_ format: String) -> Reason {
        Reason("reply.format", "must be one of text, markdown, docx, found '\(format)'", "必须是 text、markdown、docx 之一,实际为“\(format)”")
    }
}

// MARK: - USCC (统一社会信用代码)

extension Reason {
    public static func usccLength(_ count: Int) -> Reason {
        Reason("uscc.length", "must be 18 characters, found \(count)", "必须是 18 位,实际为 \(count) 位")
    }
    public static func usccCharacter(position: Int, _ character: Character) -> Reason {
        Reason("uscc.character", "character \(position) '\(character)' is not allowed (digits and capitals except I, O, S, V, Z)",
               "第 \(position) 位“\(character)”不允许(只能是数字和除 I、O、S、V、Z 外的大写字母)")
    }
    public static let usccArea = Reason("uscc.area", "characters 3–8 (the issuing area) must be digits", "第 3–8 位(登记管理机关行政区划码)必须是数字")
    public static func usccCheckDigit(_ found: Character, expected: Character) -> Reason {
        Reason("uscc.check_digit", "check digit is '\(found)', expected '\(expected)'", "校验码为“\(found)”,应为“\(expected)”")
    }
    public static func usccOrganisationCheckDigit(_ found: Character, expected: Character) -> Reason {
        Reason("uscc.organisation_check_digit", "organisation code check digit is '\(found)', expected '\(expected)'",
               "组织机构代码校验码为“\(found)”,应为“\(expected)”")
    }
}

// MARK: - The event types' own data (EventPayload)

extension Reason {
    public static func calendarStream(_ stream: String) -> Reason {
        Reason("calendar.stream", "a calendar's stream is calendar-<year>, e.g. calendar-2026, not \(stream)", "工作日历的流名为 calendar-<年份>(如 calendar-2026),不是 \(stream)")
    }
    public static func calendarDayOutsideYear(_ day: CalendarDate, year: Int, stream: String) -> Reason {
        Reason("calendar.day_outside_year", "\(day) is not in \(year), the year of \(stream)", "\(day) 不在 \(stream) 所属的 \(year) 年")
    }
    public static func calendarWorkdayIsWeekday(_ day: CalendarDate) -> Reason {
        Reason("calendar.workday_weekday", "\(day) is a weekday; workdays lists the weekend days worked (调休)", "\(day) 是工作日;workdays 只列调休上班的周末")
    }
    public static func calendarHolidayAndWorkday(_ day: CalendarDate) -> Reason {
        Reason("calendar.both", "\(day) is also a holiday; a day is one or the other", "\(day) 同时列为节假日;一天只能是其中之一")
    }
    public static let specialtyOnlyNonAcademic = Reason("institution.specialty", "is only for non_academic institutions", "只适用于非学科类机构")
    public static func amendmentChangesNothing(_ fields: [String]) -> Reason {
        Reason("amendment.empty", "must change at least one of \(fields.joined(separator: ", "))", "至少要变更 \(fields.joined(separator: "、")) 之一")
    }
    public static let warningNeedsDecision = Reason("warning.decision_required", "is required when the warning names a case", "警告注明案件时必填")
    public static let penaltyWithoutMoney = Reason("penalty.no_money", "fine_fen and confiscated_fen are both 0; a penalty takes money", "fine_fen 与 confiscated_fen 均为 0;罚没款不能为零")
    public static func tooFewOfficers(_ count: Int) -> Reason {
        Reason("case.officers", "names \(count) distinct officer; a case needs at least 2 (Art 42)", "只列了 \(count) 名不同的执法人员;立案至少需要 2 名(第四十二条)")
    }
    public static func violationAfterDiscovery(_ committed: CalendarDate, discovered: CalendarDate) -> Reason {
        Reason("case.violation_after_discovery", "\(committed) is after discovered_on \(discovered)", "\(committed) 晚于发现日期 discovered_on \(discovered)")
    }
    public static let fineRequired = Reason("case.fine_required", "is required when a fine is proposed", "拟罚款时必填")
    public static let fineNotProposed = Reason("case.fine_not_proposed", "is given but no fine is proposed", "未拟罚款却填写了罚款")
    public static let confiscationRequired = Reason("case.confiscation_required", "is required when confiscation is proposed", "拟没收时必填")
    public static let confiscationNotProposed = Reason("case.confiscation_not_proposed", "is given but no confiscation is proposed", "未拟没收却填写了没收金额")
    public static func penaltiesWithoutPenaltyOutcome(_ outcome: String) -> Reason {
        Reason("case.penalties_outcome", "are given but the outcome is \(outcome); only a penalty decision imposes penalties",
               "决定结果为 \(outcome) 却列了处罚;只有处罚决定才能给予处罚")
    }
    public static let ratioOrCount = Reason("draw.ratio_or_count", "give exactly one of ratio_percent and count", "ratio_percent 与 count 必须且只能填一个")
    public static func tooFewInspectors(_ count: Int) -> Reason {
        Reason("draw.inspectors", "names \(count) distinct inspector; a draw needs at least 2", "只列了 \(count) 名不同的检查人员;抽查至少需要 2 名")
    }
    public static func recusedInspectorNotInPool(_ inspector: String) -> Reason {
        Reason("draw.recusal_inspector", "\(inspector) is not one of the plan's inspectors", "\(inspector) 不在该计划的检查人员名单中")
    }
    public static func windowEndsBeforeStart(_ to: CalendarDate, from: CalendarDate) -> Reason {
        Reason("draw.window", "\(to) is before window.from \(from)", "\(to) 早于 window.from \(from)")
    }
}

// MARK: - Who records it (AppendAuthority, Appender)

extension Reason {
    public static func actorIsSignedInUser(_ actor: String, given: String) -> Reason {
        Reason("authority.actor", "events are recorded as the signed-in user '\(actor)', not as '\(given)'; leave actor out",
               "事件以登录用户“\(actor)”的名义记录,不能记为“\(given)”;请不要填写 actor")
    }
    public static func writtenByLedger(_ category: String) -> Reason {
        Reason("authority.ledger_stream", "\(category) streams are written by the ledger itself, not recorded over the API", "\(category) 类的流由账本自己写入,不能通过接口记录")
    }
    public static func outsideCategories(_ categories: String, stream: String) -> Reason {
        Reason("authority.category", "you record \(categories) streams only, not \(stream)", "您只能记录 \(categories) 类的流,不能记录 \(stream)")
    }
    public static func outsideDistrict(_ why: Reason, own: String) -> Reason {
        Reason("authority.district", "\(why.english); you record events for \(own) only", "\(why.chinese);您只能记录\(own)的事件")
    }
    public static func scopeInstitutionMissing(_ name: String) -> Reason {
        Reason("scope.institution_missing", "\(name)'s institution is not in the ledger", "\(name) 的机构不在账本中")
    }
    public static func scopeConcerns(_ name: String, institution: String, district: String?, day: CalendarDate) -> Reason {
        Reason("scope.concerns", "\(name) concerns institution-\(institution), in \(district ?? "no district") on \(day)",
               "\(name) 涉及 institution-\(institution),该机构 \(day) 属于\(district ?? "无区")")
    }
    public static func scopeVoidedCounts(_ type: String, day: CalendarDate, district: String?) -> Reason {
        Reason("scope.voided", "the voided \(type) of \(day) counts in \(district ?? "no district")", "被作废的 \(day) \(type) 计入\(district ?? "无区")")
    }
    public static func scopeVoidMoves(_ name: String, district: String?, day: CalendarDate) -> Reason {
        Reason("scope.void_moves", "voiding it moves \(name) back to \(district ?? "no district") from \(day)", "作废后 \(name) 自 \(day) 起回到\(district ?? "无区")")
    }
    public static func scopeIsIn(_ name: String, district: String?, day: CalendarDate) -> Reason {
        Reason("scope.is_in", "\(name) is in \(district ?? "no district") on \(day)", "\(name) \(day) 属于\(district ?? "无区")")
    }
    public static func scopeUntilRelocation(_ name: String, district: String?, day: CalendarDate) -> Reason {
        Reason("scope.until_relocation", "\(name) is in \(district ?? "no district") until this relocation on \(day)", "\(name) 在 \(day) 迁址前属于\(district ?? "无区")")
    }
    public static func scopeBulletin(_ name: String, district: String?) -> Reason {
        district.map { Reason("scope.bulletin", "\(name) is a bulletin of \($0)", "\(name) 是\($0)的通报") }
            ?? Reason("scope.city_bulletin", "\(name) is a city-level bulletin", "\(name) 是市级通报")
    }
    public static func scopeNamesInstitution(_ key: String, district: String?, day: CalendarDate) -> Reason {
        Reason("scope.names_institution", "it names institution-\(key), which is in \(district ?? "no district") on \(day)",
               "它点名的 institution-\(key) 在 \(day) 属于\(district ?? "无区")")
    }
    public static func idRecordedDifferently(_ stream: String, version: Int) -> Reason {
        Reason("id.conflict", "is already recorded as \(stream) version \(version) with different content; a new event needs a new id",
               "已作为 \(stream) 第 \(version) 条记录,内容不同;新事件需要新的 id")
    }
    public static func ledgerOnlyType(_ type: String) -> Reason {
        Reason("type.ledger_only", "\(type) is recorded by the ledger itself each time a person reads a reporter; it is never submitted",
               "\(type) 由账本在每次查看举报人时自动记录,不能提交")
    }
    public static let reporterSealed = Reason("reporter.sealed", "give the reporter in clear (name, phone, id_number); the ledger encrypts it itself",
                                              "请提交举报人明文(name、phone、id_number);账本会自行加密")
    public static func reporterUnavailable(_ english: String) -> Reason {
        Reason("reporter.unavailable", english, "举报人信息无法加密保存:主密钥未配置或不可用(LEDGER_MASTER_KEY_FILE),请联系管理员")
    }
    public static func drawMismatch(_ difference: String) -> Reason {
        Reason("draw.mismatch", "the draw does not match the plan and beacon: \(difference)", "抽取结果与计划和随机源不符:\(difference)")
    }
    public static func drawTooManyTargets(_ count: Int, maximum: Int) -> Reason {
        Reason("draw.too_many_targets", "the plan draws \(count) targets; a draw of more than \(maximum) is refused (plan by district)",
               "该计划要抽取 \(count) 个对象;超过 \(maximum) 个的抽取不予受理(请按区制定计划)")
    }
    public static func drawTooFewEligible(_ institution: String, eligible: Int, needed: Int) -> Reason {
        Reason("draw.too_few_eligible", "too few inspectors for institution-\(institution): \(eligible) eligible after recusals, \(needed) needed",
               "institution-\(institution) 可派检查人员不足:回避后 \(eligible) 名,需要 \(needed) 名")
    }
    public static func drawNotAllInspected(_ first: String, more: Int) -> Reason {
        let englishMore = more > 0 ? " and \(more) more targets are" : " is"
        return Reason("draw.not_all_inspected", "institution-\(first)\(englishMore) not inspected yet; the results are published once every target is (SPEC §11)",
                      "institution-\(first)\(more > 0 ? " 等 \(more + 1) 个对象" : "")尚未检查;所有对象检查完毕后才能公示结果(SPEC §11)")
    }
}

// MARK: - The rules that read the stream (Rules)

extension Reason {
    public static func versionConflict(_ stream: String, holds: Int, expected: Int) -> Reason {
        Reason("version.conflict", "\(stream) holds \(holds) events, not \(expected); read it again and retry", "\(stream) 已有 \(holds) 条事件,不是 \(expected) 条;请重新读取后再试")
    }
    public static func openingNotFirst(_ opening: String, stream: String, holds: Int) -> Reason {
        Reason("stream.opening_not_first", "\(opening) must be the first event of its stream; \(stream) already holds \(holds)",
               "\(opening) 必须是流的第一条事件;\(stream) 已有 \(holds) 条")
    }
    public static func streamNotOpened(_ stream: String, category: String, opening: String) -> Reason {
        let english: String = switch category {
        case "institution": "is not registered (\(opening) comes first)"
        case "operation": "has not been conducted (\(opening) comes first)"
        case "bulletin", "calendar": "has not been published (\(opening) comes first)"
        case "reply": "has not been issued (\(opening) comes first)"
        case "proposal", "complaint": "has not been received (\(opening) comes first)"
        case "case": "has not been opened (\(opening) comes first)"
        case "draw": "has not been planned (\(opening) comes first)"
        default: "has not been opened (\(opening) comes first)"
        }
        return Reason("stream.not_opened", "\(stream) \(english)", "\(stream) 尚无 \(opening)(它必须是第一条事件)")
    }
    public static func referenceMissing(_ name: String) -> Reason {
        Reason("reference.missing", "\(name) is not in the ledger", "\(name) 不在账本中")
    }
    public static func beforeRequired(_ day: CalendarDate, names: String, required: CalendarDate) -> Reason {
        Reason("date.before_required", "\(day) is before the \(names) of \(required) it follows", "\(day) 早于它所跟随的 \(required) 的 \(names)")
    }
    public static func needsFirst(_ type: String, names: String, stream: String) -> Reason {
        Reason("type.needs_first", "\(type) needs a \(names) in \(stream) first", "\(type) 之前 \(stream) 中须先有 \(names)")
    }
    public static func alreadyInDistrict(_ district: String) -> Reason {
        Reason("institution.same_district", "the institution is already in \(district)", "该机构已在\(district)")
    }
    public static let notAcademic = Reason("institution.not_academic", "the institution is not academic", "该机构不是学科类")
    public static let notForProfit = Reason("institution.not_for_profit", "the institution is not for-profit", "该机构不是营利性")
    public static func beforeOccurredOn(_ day: CalendarDate, occurredOn: CalendarDate) -> Reason {
        Reason("date.before_occurred_on", "\(day) is before occurred_on \(occurredOn)", "\(day) 早于发生日期 occurred_on \(occurredOn)")
    }
    public static func noticeAlreadyIssued(_ notice: String) -> Reason {
        Reason("notice.duplicate", "notice \(notice) was already issued to this institution", "已向该机构下发过整改通知书 \(notice)")
    }
    public static func noticeUnknown(_ notice: String) -> Reason {
        Reason("notice.unknown", "no rectification notice \(notice) was issued to this institution", "未向该机构下发过整改通知书 \(notice)")
    }
    public static func penaltyDuplicate(_ decision: String) -> Reason {
        Reason("penalty.duplicate", "penalty decision \(decision) is already recorded for this institution", "该机构已记录处罚决定 \(decision)")
    }
    public static func penaltyUnknown(_ decision: String) -> Reason {
        Reason("penalty.unknown", "no penalty decision \(decision) is recorded for this institution", "该机构没有处罚决定 \(decision) 的记录")
    }
    public static func penaltyAlreadyRevoked(_ decision: String) -> Reason {
        Reason("penalty.revoked", "penalty decision \(decision) is already revoked", "处罚决定 \(decision) 已撤销")
    }
    public static let alreadyClosed = Reason("institution.closed", "the institution is already closed", "该机构已关停")
    public static let notClosed = Reason("institution.not_closed", "the institution is not closed", "该机构未关停")
    public static func listingNotAfter(_ until: CalendarDate, occurredOn: CalendarDate) -> Reason {
        Reason("blacklist.until", "\(until) is not after occurred_on \(occurredOn); a listing ends on its until day", "\(until) 不晚于发生日期 \(occurredOn);列入期限至 until 当日结束")
    }
    public static func alreadyBlacklisted(since: CalendarDate, until: CalendarDate?) -> Reason {
        Reason("blacklist.listed", "the institution is already on the black list (since \(since)\(until.map { " until \($0)" } ?? ""))",
               "该机构已在黑名单上(自 \(since)\(until.map { " 至 \($0)" } ?? ""))")
    }
    public static func listingEnded(_ until: String) -> Reason {
        Reason("blacklist.ended", "the institution's listing ended by itself on \(until); there is nothing to lift", "该机构的列入已于 \(until) 到期;无需移出")
    }
    public static let notBlacklisted = Reason("blacklist.not_listed", "the institution is not on the black list", "该机构不在黑名单上")
    public static func notOnList(_ list: String) -> Reason {
        Reason("whitelist.not_listed", "the institution is not on the list '\(list)'", "该机构不在“\(list)”名单上")
    }
    public static func windowBeforePlan(_ from: CalendarDate, occurredOn: CalendarDate) -> Reason {
        Reason("draw.window_before_plan", "\(from) is before occurred_on \(occurredOn); the window opens on or after the plan",
               "\(from) 早于发生日期 \(occurredOn);检查窗口不能早于计划")
    }
    public static func alreadyDrawn(_ day: CalendarDate) -> Reason {
        Reason("draw.already_drawn", "the plan was already drawn on \(day); a plan is drawn once", "该计划已于 \(day) 摇号;每个计划只摇号一次")
    }
    public static func beaconNotAfterPlan(_ beacon: CalendarDate, planned: CalendarDate) -> Reason {
        Reason("draw.beacon_before_plan", "\(beacon) is not after the plan of \(planned); the beacon is a value published after the plan was made",
               "\(beacon) 不晚于 \(planned) 的计划;随机源必须是计划制定后公布的数值")
    }
    public static func beaconAfterDraw(_ beacon: CalendarDate, occurredOn: CalendarDate) -> Reason {
        Reason("draw.beacon_after_draw", "\(beacon) is after occurred_on \(occurredOn)", "\(beacon) 晚于发生日期 \(occurredOn)")
    }
    public static func resultsAlreadyPublished(_ day: CalendarDate) -> Reason {
        Reason("draw.already_published", "the results were already published on \(day)", "结果已于 \(day) 公示")
    }
    public static func replyAlreadySent(_ day: CalendarDate) -> Reason {
        Reason("proposal.already_answered", "a reply to this proposal was already sent on \(day)", "该提案已于 \(day) 答复")
    }
    public static func replyForAnother(_ reply: String, produced: String?, stream: String, key: String) -> Reason {
        Reason("proposal.reply_mismatch",
               "reply-\(reply) was produced \(produced.map { "for proposal-\($0)" } ?? "for no proposal"), not for \(stream); produce this proposal's with ledger reply --proposal \(key)",
               "reply-\(reply) \(produced.map { "是为 proposal-\($0) 生成的" } ?? "不是为任何提案生成的"),不是为 \(stream);请用 ledger reply --proposal \(key) 生成本提案的答复")
    }
    public static func notDrawnYet(_ name: String) -> Reason {
        Reason("draw.not_drawn", "\(name) has not been drawn yet", "\(name) 尚未摇号")
    }
    public static func inspectorNotDrawn(_ actor: String, stream: String, draw: String, drawn: [String]) -> Reason {
        Reason("draw.inspector_not_drawn", "\(actor) was not drawn to inspect \(stream) in \(draw) (drawn: \(drawn.joined(separator: ", ")))",
               "\(actor) 未被 \(draw) 抽中检查 \(stream)(抽中的是:\(drawn.joined(separator: "、")))")
    }
    public static func notATarget(_ stream: String, draw: String) -> Reason {
        Reason("draw.not_target", "\(stream) is not a target of \(draw)", "\(stream) 不是 \(draw) 的抽查对象")
    }
    public static func beforeWindow(_ day: CalendarDate, draw: String, opens: CalendarDate) -> Reason {
        Reason("draw.before_window", "\(day) is before \(draw)'s window opens on \(opens)", "\(day) 早于 \(draw) 的检查窗口(\(opens) 开始)")
    }
}

// MARK: - Complaints (SPEC §12)

extension Reason {
    public static let notPhone = Reason("reporter.phone", "is not a phone number (7 to 20 digits, with + - and spaces allowed)", "不是电话号码(7 至 20 位数字,可含 + - 和空格)")
    public static let idNumberForm = Reason("reporter.id_number_form", "must be 18 characters: 17 digits and a check character (a digit or X)",
                                            "必须是 18 位:17 位数字和 1 位校验码(数字或 X)")
    public static let idNumberCheckDigit = Reason("reporter.id_number_check", "fails the GB 11643 check digit", "未通过 GB 11643 校验码检查")
    public static func notInstitutionKeyText(_ key: String) -> Reason {
        Reason("complaint.institution_key", "'\(key)' is not an institution key ([A-Za-z0-9][A-Za-z0-9._-]{0,63})", "“\(key)”不是有效的机构键([A-Za-z0-9][A-Za-z0-9._-]{0,63})")
    }
    public static let institutionOrVenue = Reason("complaint.institution_or_venue",
        "give exactly one of institution (a registered institution's key) and venue ({name, address} of an unregistered one)",
        "institution(已登记机构的键)与 venue(未登记机构的 {name, address})必须且只能填一个")
    public static let reporterButAnonymous = Reason("complaint.anonymous_reporter", "is given but the complaint is anonymous; an anonymous complaint has no reporter",
                                                    "投诉为匿名却填写了举报人;匿名投诉没有举报人")
    public static let summaryRepeatsReporter = Reason("complaint.summary_identity",
        "repeats the reporter's identity; keep the name, phone and ID number in reporter, which the ledger encrypts",
        "重复了举报人身份信息;姓名、电话和身份证号请填在 reporter 中,由账本加密保存")
    public static func complaintAlreadyAccepted(_ day: CalendarDate) -> Reason {
        Reason("complaint.already_accepted", "the complaint was already accepted on \(day)", "该投诉已于 \(day) 受理")
    }
    public static func complaintAlreadyDeclined(_ day: CalendarDate) -> Reason {
        Reason("complaint.already_declined", "the complaint was already declined on \(day)", "该投诉已于 \(day) 决定不予受理")
    }
    public static let complaintAlreadyExtended = Reason("complaint.already_extended", "the verification was already extended once; it may be extended at most once",
                                                        "核查已延期一次;最多只能延期一次")
    public static func complaintAlreadyVerified(_ day: CalendarDate) -> Reason {
        Reason("complaint.already_verified", "the complaint was already verified on \(day)", "该投诉已于 \(day) 核查")
    }
    public static func complaintWrongOperation(_ name: String, kind: String) -> Reason {
        Reason("complaint.operation_kind", "\(name) is a \(kind) operation; a complaint is checked by one of kind complaint_check",
               "\(name) 是 \(kind) 类行动;投诉须由 complaint_check 类行动核查")
    }
    public static func complaintCaseNotFromIt(_ name: String, key: String) -> Reason {
        Reason("complaint.case_source", "\(name) was not opened from this complaint (its CaseOpened needs source complaint and source_ref \(key))",
               "\(name) 不是由该投诉立案的(其 CaseOpened 须为 source complaint、source_ref \(key))")
    }
    public static let noReporterToErase = Reason("reporter.none_to_erase", "the complaint holds no reporter to erase", "该投诉没有可删除的举报人信息")
    public static let reporterAlreadyErased = Reason("reporter.already_erased", "the reporter was already erased", "举报人信息已删除")
    public static let noReporter = Reason("reporter.none", "the complaint holds no reporter", "该投诉没有举报人信息")
    public static let reporterErased = Reason("reporter.erased", "the reporter was erased; nobody can read it", "举报人信息已删除,任何人都无法查看")
}

// MARK: - Penalty cases (SPEC §9)

extension Reason {
    public static let caseClosed = Reason("case.closed", "the case is closed", "该案已结案")
    public static func discoveredAfter(_ discovered: CalendarDate, day: CalendarDate) -> Reason {
        Reason("case.discovered_after", "\(discovered) is after occurred_on \(day)", "\(discovered) 晚于发生日期 \(day)")
    }
    public static func complaintMissing(_ key: String) -> Reason {
        Reason("case.complaint_missing", "complaint-\(key) is not in the ledger", "complaint-\(key) 不在账本中")
    }
    public static func pastLimitation(_ discovered: CalendarDate, violation: CalendarDate, limit: CalendarDate) -> Reason {
        Reason("case.limitation", "\(discovered) is past the two-year limit: a violation of \(violation) may be pursued until \(limit) (Art 36)",
               "\(discovered) 已超过两年追责期限:\(violation) 的违法行为只能追究到 \(limit)(第三十六条)")
    }
    public static func alreadyDecided(_ decision: String) -> Reason {
        Reason("case.already_decided", "the case is already decided (\(decision))", "该案已作出决定(\(decision))")
    }
    public static func noHearingRight(_ served: CalendarDate) -> Reason {
        Reason("case.no_hearing_right", "the penalty notice of \(served) gave no right to a hearing", "\(served) 的处罚告知未告知听证权利")
    }
    public static func pastHearingWindow(_ day: CalendarDate, closed: CalendarDate, served: CalendarDate) -> Reason {
        Reason("case.hearing_window", "\(day) is past the hearing window, which closed on \(closed) (5 working days after the notice of \(served), Art 64)",
               "\(day) 已过听证申请期限(\(served) 告知后 5 个工作日,至 \(closed),第六十四条)")
    }
    public static func hearingWindowUnknown(_ year: Int) -> Reason {
        Reason("case.hearing_window_unknown", "the hearing window is unknown (no working-day calendar for \(year))", "听证申请期限无法确定(缺少 \(year) 年工作日历)")
    }
    public static func presidingIsOfficer(_ presiding: String) -> Reason {
        Reason("case.presiding", "\(presiding) is one of the case's officers; someone else presides over the hearing (Art 64)",
               "\(presiding) 是本案执法人员;听证须由其他人员主持(第六十四条)")
    }
    public static let noNoticeServed = Reason("case.no_notice", "no penalty notice was served; a penalty decision needs one first (告知, Art 44)",
                                              "尚未送达处罚告知书;作出处罚决定前须先告知(第四十四条)")
    public static let hearingPending = Reason("case.hearing_pending", "a hearing was requested and has not been held (Art 62)", "当事人已申请听证,尚未举行(第六十二条)")
    public static func penaltyNotProposed(_ penalty: String) -> Reason {
        Reason("case.penalty_not_proposed", "\(penalty) was not proposed in the penalty notice (Art 45)", "处罚告知书未拟 \(penalty)(第四十五条)")
    }
    public static func onlyPenaltyServed(_ outcome: String) -> Reason {
        Reason("case.serve_outcome", "only a penalty decision is served; this case was decided \(outcome)", "只有处罚决定需要送达;本案决定为 \(outcome)")
    }
    public static func alreadyServed(_ day: CalendarDate) -> Reason {
        Reason("case.already_served", "the decision was already served on \(day)", "该决定已于 \(day) 送达")
    }
    public static func noPenaltyToPay(_ institution: String, decision: String) -> Reason {
        Reason("case.no_penalty", "institution-\(institution) holds no penalty \(decision) to pay", "institution-\(institution) 没有需缴纳的处罚 \(decision)")
    }
    public static func overpaid(total: Int64, owed: Int64, surcharge: Int64, day: CalendarDate, due: CalendarDate) -> Reason {
        Reason("case.overpaid", "payments would total \(total) 分, more than the decision's \(owed) 分 and its late-payment surcharge of \(surcharge) 分 by \(day) (due \(due))",
               "缴款将累计 \(total) 分,超过决定的 \(owed) 分及截至 \(day) 的加处罚款 \(surcharge) 分(应于 \(due) 前缴纳)")
    }
    public static func overpaidSurchargeUnknown(owed: Int64, year: Int) -> Reason {
        Reason("case.overpaid_unknown", "payments would exceed the decision's \(owed) 分 and the surcharge is unknown (no working-day calendar for \(year))",
               "缴款将超过决定的 \(owed) 分,而加处罚款无法确定(缺少 \(year) 年工作日历)")
    }
    public static let onlyPenaltyAppealed = Reason("case.appeal_outcome", "only a penalty decision can be appealed", "只有处罚决定可以申请复议或提起诉讼")
    public static let noAppealPending = Reason("case.no_appeal", "no appeal is pending", "没有待决的复议或诉讼")
    public static func decisionNeedsCompanion(_ type: String, institution: String, number: String, key: String, day: CalendarDate) -> Reason {
        Reason("case.companion", "the decision needs its \(type) on \(institution) in the same call, with decision_no \(number), case \(key) and occurred_on \(day)",
               "该决定须在同一次提交中附上 \(institution) 的 \(type)(decision_no \(number)、case \(key)、occurred_on \(day))")
    }
    public static func appealNeedsRevocation(_ outcome: String, decision: String, key: String) -> Reason {
        Reason("case.appeal_revocation", "\(outcome) needs the PenaltyRevoked of \(decision) (case \(key)) in the same call",
               "\(outcome) 须在同一次提交中附上 \(decision) 的 PenaltyRevoked(案件 \(key))")
    }
    public static func changedDecisionNeedsCompanion(_ number: String, key: String) -> Reason {
        Reason("case.changed_companion", "the changed decision \(number) needs its PenaltyImposed or WarningIssued (case \(key)) in the same call",
               "变更后的决定 \(number) 须在同一次提交中附上 PenaltyImposed 或 WarningIssued(案件 \(key))")
    }
    public static func noLicenceRevocation(_ key: String) -> Reason {
        Reason("case.no_licence_revocation", "case-\(key) has no decision revoking the licence, in this call or before", "case-\(key) 在本次提交或之前都没有吊销许可证的决定")
    }
    public static func revocationNeedsAppeal(_ key: String) -> Reason {
        Reason("case.revocation_needs_appeal", "a decision of case-\(key) is revoked by an AppealDecided revoked or changed on it in the same call",
               "撤销 case-\(key) 的决定须在同一次提交中附上撤销或变更该决定的 AppealDecided")
    }
    public static func caseIsClosed(_ key: String) -> Reason {
        Reason("case.is_closed", "case-\(key) is closed", "case-\(key) 已结案")
    }
    public static func noSuchDecision(_ key: String, number: String) -> Reason {
        Reason("case.no_decision", "case-\(key) has no decision \(number), in this call or before", "case-\(key) 在本次提交或之前都没有决定 \(number)")
    }
    public static func caseConcernsAnother(_ institution: String, stream: String) -> Reason {
        Reason("case.other_institution", "the case concerns institution-\(institution), not \(stream)", "该案涉及 institution-\(institution),不是 \(stream)")
    }
}

// MARK: - Voids (SPEC §2, §8–§12)

extension Reason {
    public static func voidNotEarlier(_ target: String, stream: String) -> Reason {
        Reason("void.unknown", "\(target) is not an earlier event of \(stream)", "\(target) 不是 \(stream) 中较早的事件")
    }
    public static func voidRegistration(_ target: String) -> Reason {
        Reason("void.registration", "\(target) is the registration; it cannot be voided", "\(target) 是登记事件,不能作废")
    }
    public static func voidVoid(_ target: String) -> Reason {
        Reason("void.void", "\(target) is itself a void; voids cannot be voided", "\(target) 本身是作废事件,不能再作废")
    }
    public static func voidFirstEvent(_ target: String, what: String) -> Reason {
        let english: String, chinese: String
        switch what {
        case "proposal": (english, chinese) = ("is the proposal's receipt, the stream's first event", "是提案交办,流的第一条事件")
        case "case": (english, chinese) = ("opened the case, the stream's first event", "是立案,流的第一条事件")
        case "draw": (english, chinese) = ("is the draw's plan, the stream's first event", "是抽查计划,流的第一条事件")
        default: (english, chinese) = ("is the complaint's receipt, the stream's first event", "是投诉受理登记,流的第一条事件")
        }
        return Reason("void.first_event", "\(target) \(english); it cannot be voided", "\(target) \(chinese),不能作废")
    }
    public static func voidDecision(_ target: String, type: String) -> Reason {
        Reason("void.decision", "\(target) is a decision (\(type)); a decision is changed by appeal, not voided (SPEC §9)",
               "\(target) 是决定(\(type));决定只能通过复议或诉讼变更,不能作废(SPEC §9)")
    }
    public static func voidDraw(_ target: String) -> Reason {
        Reason("void.draw", "\(target) is the draw itself; a draw is never voided (SPEC §11)", "\(target) 是摇号本身;摇号永不作废(SPEC §11)")
    }
    public static func voidErasure(_ target: String) -> Reason {
        Reason("void.erasure", "\(target) erased the reporter; an erasure cannot be undone (SPEC §12)", "\(target) 删除了举报人信息;删除不可撤回(SPEC §12)")
    }
    public static func voidReading(_ target: String) -> Reason {
        Reason("void.reading", "\(target) records a reading of the reporter; the record of who read it stays (SPEC §12)",
               "\(target) 记录了一次举报人信息查看;谁查看过的记录必须保留(SPEC §12)")
    }
    public static func voidAlreadyVoided(_ target: String) -> Reason {
        Reason("void.already_voided", "\(target) is already voided", "\(target) 已作废")
    }
    public static func voidCarriesDecision(_ target: String, key: String) -> Reason {
        Reason("void.carries_decision", "\(target) carries out the decision of case-\(key); a decision is changed by appeal, not voided (SPEC §9)",
               "\(target) 执行的是 case-\(key) 的决定;决定只能通过复议或诉讼变更,不能作废(SPEC §9)")
    }
    public static func voidRequiredByLater(_ target: String, type: String, id: String) -> Reason {
        Reason("void.required_by_later", "\(target) is required by the later \(type) \(id); void that first", "后来的 \(type) \(id) 依赖 \(target);请先作废那一条")
    }
}

// MARK: - Forms and requests (the pages and the API)

extension Reason {
    public static let formRequired = Reason("form.required", "is required", "必填")
    public static let formMoney = Reason("form.money", "give an amount in yuan with at most two decimals, e.g. 1500.50", "填写金额(元),最多两位小数,例如 1500.50")
    public static let formKey = Reason("form.key", "use letters, digits and . _ - only, starting with a letter or digit, at most 64 characters",
                                       "只能用字母、数字和 . _ -,以字母或数字开头,最多 64 个字符")
    public static let formInspectors = Reason("form.inspectors", "give the number of inspectors (a whole number)", "填写出动人数(整数)")
    public static let formItems = Reason("form.items", "give at least one item to rectify", "至少填写一项整改事项")
    public static func periodReversed(_ from: CalendarDate, to: CalendarDate) -> Reason {
        Reason("period.reversed", "\(from) is after to \(to)", "\(from) 晚于截止日期 \(to)")
    }
    public static let parameterNotDate = Reason("parameter.not_date", "must be a date YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期")
    public static func outsideAskable(_ day: CalendarDate, from: CalendarDate, to: CalendarDate) -> Reason {
        Reason("parameter.out_of_range", "\(day) is outside \(from) … \(to), where the ledger can have no figures", "\(day) 不在 \(from) 至 \(to) 之间,账本在此范围外没有数据")
    }
    public static func proposalDistrict(_ district: String, proposal: String, its: String?) -> Reason {
        Reason("reply.proposal_district", "is \(district), but proposal-\(proposal) is for \(its ?? "the city"): leave the district out",
               "为\(district),但 proposal-\(proposal) 属于\(its ?? "全市"):请不要指定区")
    }
    public static let userName = Reason("user.name", "must be 1 to 64 characters without spaces (it is the actor of every event the user records)",
                                        "须为 1 至 64 个字符且不含空格(它是该用户所记录每条事件的记录人)")
    public static func passwordTooShort(_ minimum: Int) -> Reason {
        Reason("user.password_short", "must be at least \(minimum) characters", "至少 \(minimum) 个字符")
    }
    public static func passwordTooLong(_ maximum: Int, found: Int) -> Reason {
        Reason("user.password_long", "must be at most \(maximum) bytes in UTF-8 (bcrypt ignores the rest), not \(found)", "UTF-8 编码最多 \(maximum) 字节(超出部分 bcrypt 会忽略),实际 \(found) 字节")
    }
    public static func inspectorDistrict(_ districts: [String]) -> Reason {
        Reason("user.inspector_district", "an inspector works in one district (\(districts.joined(separator: "、"))); give it, or make the inspector city-wide",
               "检查人员属于一个区(\(districts.joined(separator: "、"))):请指定,或设为全市检查人员")
    }
    public static let cityWideDistrict = Reason("user.city_wide_district", "a city-wide inspector has no district", "全市检查人员不属于某个区")
    public static func districtOnlyInspectors(_ role: String) -> Reason {
        Reason("user.district_role", "only inspectors have a district; \(role)s see the whole city", "只有检查人员属于某个区;\(role) 查看全市")
    }
    public static func userExists(_ name: String) -> Reason {
        Reason("user.exists", "a user named '\(name)' exists already", "用户“\(name)”已存在")
    }
    public static func noSuchUser(_ name: String) -> Reason {
        Reason("user.missing", "there is no user named '\(name)'", "没有名为“\(name)”的用户")
    }
    /// A request's own shape problem (a parameter of the API), as the route words it.
    public static func requestInvalid(_ english: String, chinese: String?) -> Reason {
        Reason("request.invalid", english, chinese ?? english)
    }
}

// MARK: - The catalogue

extension Reason {
    /// One of every reason, for the test that walks them (each code once, both texts).
    public static var catalogue: [Reason] {
        let day = CalendarDate(year: 2024, month: 3, day: 1)!, later = CalendarDate(year: 2024, month: 3, day: 8)!
        let failure: JSONParser.Failure? = {
            do {
                _ = try JSONParser.parse(Array("{".utf8))
                return nil
            } catch let failure as JSONParser.Failure {
                return failure
            } catch {
                return nil
            }
        }()
        return [
            lineTooLong(2_000_000, maximum: 1_048_576), eventTooLong(2_000_000, maximum: 1_048_576), notJSON(failure!),
            notAnObject(found: "an array"), invalidEvent, invalidData, mustBeObject(found: "a string"), required,
            mustBeString(found: "a number"), tooLong(4_001, maximum: 4_000), empty, notOneOf("a, b", found: "'c'"),
            notBoolean(found: "'yes'"), notWholeNumber(found: "1.5"), outOfBounds(1...Int64.max, found: 0), outOfBounds(1...100, found: 0), notDate(found: "'2024-13-01'"),
            notArray(found: "a string"), tooManyItems(1_001, maximum: 1_000), listedTwice("2024-05-01"),
            notNonEmptyString(found: "''"), itemTooLong(maximum: 200), valueTwice, unknownDistrict("玄武区", configured: ["天宁区"]),
            notAField, notUUID(found: "'x'"), notStreamName("'x'"), unknownType("'Foo'"), typeNotInCategory("InterviewHeld", category: "operation"),
            afterToday(later, today: day), beforeEarliest(day, earliest: later), notStreamKey("a b"), notProposalKey("a b"),
            notInstitutionKey(found: "1"), notEventID(found: "'x'"), notSHA256, notReplyFormat("pdf"),
            usccLength(17), usccCharacter(position: 3, "I"), usccArea, usccCheckDigit("Q", expected: "3"), usccOrganisationCheckDigit("1", expected: "2"),
            calendarStream("calendar-x"), calendarDayOutsideYear(day, year: 2025, stream: "calendar-2025"), calendarWorkdayIsWeekday(day),
            calendarHolidayAndWorkday(day), specialtyOnlyNonAcademic, amendmentChangesNothing(["name", "uscc"]), warningNeedsDecision,
            penaltyWithoutMoney, tooFewOfficers(1), violationAfterDiscovery(later, discovered: day), fineRequired, fineNotProposed,
            confiscationRequired, confiscationNotProposed, penaltiesWithoutPenaltyOutcome("no_penalty"), ratioOrCount, tooFewInspectors(1),
            recusedInspectorNotInPool("赵六"), windowEndsBeforeStart(day, from: later),
            actorIsSignedInUser("a", given: "b"), writtenByLedger("reply"), outsideCategories("institution-", stream: "case-1"),
            outsideDistrict(scopeIsIn("institution-1", district: "天宁区", day: day), own: "钟楼区"), scopeInstitutionMissing("case-1"),
            scopeConcerns("case-1", institution: "1", district: "天宁区", day: day), scopeVoidedCounts("InstitutionRelocated", day: day, district: nil),
            scopeVoidMoves("institution-1", district: "天宁区", day: day), scopeIsIn("institution-1", district: nil, day: day),
            scopeUntilRelocation("institution-1", district: "天宁区", day: day), scopeBulletin("bulletin-1", district: "天宁区"),
            scopeBulletin("bulletin-1", district: nil), scopeNamesInstitution("1", district: "天宁区", day: day),
            idRecordedDifferently("institution-1", version: 2), ledgerOnlyType("ReporterViewed"), reporterSealed,
            reporterUnavailable("no master key"), drawMismatch("target 1"), drawTooManyTargets(1_001, maximum: 1_000),
            drawTooFewEligible("1", eligible: 1, needed: 2), drawNotAllInspected("1", more: 2),
            versionConflict("institution-1", holds: 3, expected: 2), openingNotFirst("InstitutionRegistered", stream: "institution-1", holds: 1),
            streamNotOpened("institution-1", category: "institution", opening: "InstitutionRegistered"), referenceMissing("operation-1"),
            beforeRequired(day, names: "CaseOpened", required: later), needsFirst("CaseDecided", names: "CaseOpened", stream: "case-1"),
            alreadyInDistrict("天宁区"), notAcademic, notForProfit, beforeOccurredOn(day, occurredOn: later), noticeAlreadyIssued("N1"),
            noticeUnknown("N1"), penaltyDuplicate("D1"), penaltyUnknown("D1"), penaltyAlreadyRevoked("D1"), alreadyClosed, notClosed,
            listingNotAfter(day, occurredOn: later), alreadyBlacklisted(since: day, until: later), listingEnded("2024-03-01"), notBlacklisted,
            notOnList("体育类"), windowBeforePlan(day, occurredOn: later), alreadyDrawn(day), beaconNotAfterPlan(day, planned: later),
            beaconAfterDraw(later, occurredOn: day), resultsAlreadyPublished(day), replyAlreadySent(day),
            replyForAnother("R1", produced: nil, stream: "proposal-P1", key: "P1"), notDrawnYet("draw-1"),
            inspectorNotDrawn("张三", stream: "institution-1", draw: "draw-1", drawn: ["李四", "王五"]), notATarget("institution-1", draw: "draw-1"),
            beforeWindow(day, draw: "draw-1", opens: later),
            complaintAlreadyAccepted(day), complaintAlreadyDeclined(day), complaintAlreadyExtended, complaintAlreadyVerified(day),
            complaintWrongOperation("operation-1", kind: "daily_patrol"), complaintCaseNotFromIt("case-1", key: "C1"), noReporterToErase,
            reporterAlreadyErased, noReporter, reporterErased, notPhone, idNumberForm, idNumberCheckDigit, notInstitutionKeyText("a b"),
            institutionOrVenue, reporterButAnonymous, summaryRepeatsReporter,
            caseClosed, discoveredAfter(later, day: day), complaintMissing("C1"), pastLimitation(later, violation: day, limit: later),
            alreadyDecided("D1"), noHearingRight(day), pastHearingWindow(later, closed: day, served: day), hearingWindowUnknown(2027),
            presidingIsOfficer("张三"), noNoticeServed, hearingPending, penaltyNotProposed("fine"), onlyPenaltyServed("no_penalty"),
            alreadyServed(day), noPenaltyToPay("1", decision: "D1"), overpaid(total: 3, owed: 2, surcharge: 0, day: later, due: day),
            overpaidSurchargeUnknown(owed: 2, year: 2027), onlyPenaltyAppealed, noAppealPending,
            decisionNeedsCompanion("PenaltyImposed", institution: "institution-1", number: "D1", key: "K1", day: day),
            appealNeedsRevocation("revoked", decision: "D1", key: "K1"), changedDecisionNeedsCompanion("D2", key: "K1"),
            noLicenceRevocation("K1"), revocationNeedsAppeal("K1"), caseIsClosed("K1"), noSuchDecision("K1", number: "D1"),
            caseConcernsAnother("1", stream: "institution-2"),
            voidNotEarlier("x", stream: "institution-1"), voidRegistration("x"), voidVoid("x"), voidFirstEvent("x", what: "proposal"),
            voidDecision("x", type: "CaseDecided"), voidDraw("x"), voidErasure("x"), voidReading("x"), voidAlreadyVoided("x"),
            voidCarriesDecision("x", key: "K1"), voidRequiredByLater("x", type: "CaseDecided", id: "y"),
            formRequired, formMoney, formKey, formInspectors, formItems, periodReversed(later, to: day), parameterNotDate,
            outsideAskable(day, from: day, to: later), proposalDistrict("天宁区", proposal: "P1", its: nil),
            userName, passwordTooShort(12), passwordTooLong(72, found: 80), inspectorDistrict(["天宁区"]), cityWideDistrict,
            districtOnlyInspectors("analyst"), userExists("a"), noSuchUser("a"), requestInvalid("format must be json or csv", chinese: "format 必须是 json 或 csv"),
        ]
    }
}
