import EventStore
import Ledger

extension HistoryGenerator {
    /// A complaint the simulation runs (SPEC §12): received, accepted (now and then declined),
    /// verified, the reporter answered; some reporters ask to be erased afterwards.
    enum ComplaintStep {
        case decide(accept: Bool), extend, verify, answer, erase
    }

    static let complaintSummaries = [
        "反映该机构在周末开展学科类培训", "反映该场所以托管名义违规补课", "反映该机构一次性收取超过三个月的培训费",
        "反映该机构虚假宣传提分效果", "反映居民楼内有人组织学科类培训", "反映该机构未按要求退费",
    ]
    /// Made-up reporters: what the ledger must keep sealed.
    public static let reporterNames = ["孙丽华", "周建国", "吴晓燕", "郑海涛", "王秀英", "冯志强", "陈美玲", "褚文博"]

    /// On each day after the policy began, a complaint now and then: about one a year for every
    /// 200 institutions, at most one a day.
    mutating func complaints(on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        guard options.complaints, date >= Self.policyStart, random.chance(min(1, Double(options.institutions) / 73_000)) else { return }
        complaintCount += 1
        let key = "C\(date.year)-\(seedTag)-\(String(format: "%05d", complaintCount))"
        let stream = "complaint-\(key)"
        let district = random.pick(options.districts)
        var data: [String: JSON] = [
            "channel": .string(random.pick(ComplaintChannel.allCases).rawValue), "district": .string(district),
            "summary": .string(random.pick(Self.complaintSummaries)),
        ]
        let candidates = registeredByDistrict[district] ?? []
        if !candidates.isEmpty, random.chance(0.7) {
            data["institution"] = .string(institutions[random.pick(candidates)].key)
        } else {
            data["venue"] = .object(["name": .string("\(random.pick(["启智", "博学", "优学", "状元"]))辅导点"),
                                     "address": .string("\(district)\(random.pick(["和平", "延陵", "晋陵", "龙城"]))路\(random.int(1...400))号")])
        }
        let anonymous = random.chance(0.2)
        data["anonymous"] = .bool(anonymous)
        if !anonymous {
            var reporter: [String: JSON] = ["name": .string(random.pick(Self.reporterNames))]
            if random.chance(0.9) { reporter["phone"] = .string("1\(random.pick(["3", "5", "8"]))\(String(format: "%09d", random.int(0...999_999_999)))") }
            if random.chance(0.5) { reporter["id_number"] = .string(idNumber(district: district)) }
            data["reporter"] = .object(reporter)
        }
        let (_, text) = line(stream: stream, type: .complaintReceived, on: date, data: data)
        try write(text, emit)
        complaintReporters[key] = !anonymous
        schedule(.complaint(key, .decide(accept: random.chance(0.9))), on: date.dayNumber + random.int(1...9))
    }

    mutating func complaint(_ key: String, _ step: ComplaintStep, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        let stream = "complaint-\(key)"
        var type: EventType
        var data: [String: JSON] = [:]
        switch step {
        case .decide(let accept):
            type = accept ? .complaintAccepted : .complaintDeclined
            if !accept {
                data["reason"] = .string("不属于本部门职责范围,已告知向有关部门反映")
                schedule(.complaint(key, .answer), on: date.dayNumber + random.int(1...6))
            } else if random.chance(0.1) {
                schedule(.complaint(key, .extend), on: date.dayNumber + random.int(10...18))
                schedule(.complaint(key, .verify), on: date.dayNumber + random.int(20...40))
            } else {
                schedule(.complaint(key, .verify), on: date.dayNumber + random.int(5...24))
            }
        case .extend:
            type = .complaintExtended
            data["reason"] = .string("涉及多个场所,需联合核查")
        case .verify:
            type = .complaintVerified
            data["finding"] = .string(random.pick(ComplaintFinding.allCases).rawValue)
            if random.chance(0.4) {
                // The check itself: an operation of kind complaint_check the same day.
                operationCount += 1
                let operation = "CK-\(seedTag)-\(String(format: "%05d", operationCount))"
                let (_, check) = line(stream: "operation-\(operation)", type: .operationConducted, on: date, data: [
                    "district": .string(random.pick(options.districts)), "kind": .string(OperationKind.complaintCheck.rawValue),
                    "inspectors": .integer(Int64(random.int(2...4))),
                ])
                try write(check, emit)
                data["operation"] = .string(operation)
            }
            schedule(.complaint(key, .answer), on: date.dayNumber + random.int(1...7))
        case .answer:
            type = .complaintAnswered
            data["summary"] = .string("已将核查处理情况告知举报人")
            if complaintReporters[key] == true, random.chance(0.15) {
                schedule(.complaint(key, .erase), on: date.dayNumber + random.int(10...90))
            }
        case .erase:
            type = .personalDataErased
            data["reason"] = .string("举报人申请删除个人信息")
        }
        let (_, text) = line(stream: stream, type: type, on: date, data: data)
        try write(text, emit)
    }

    /// A valid 公民身份号码 of someone born between 1950 and 2000 in `district`.
    mutating func idNumber(district: String) -> String {
        let born = CalendarDate(dayNumber: CalendarDate(year: 1950, month: 1, day: 1)!.dayNumber + random.int(0...18_250))
        let body = (Self.areaCodes[district] ?? "320400") + String(format: "%04d%02d%02d%03d", born.year, born.month, born.day, random.int(0...999))
        return body + String(IDNumber.checkCharacter(body))
    }
}
