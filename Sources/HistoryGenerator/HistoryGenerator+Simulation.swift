import EventStore
import Ledger

extension HistoryGenerator {
    mutating func perform(_ action: Action, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        switch action {
        case .register(let index):
            try register(index, on: date, emit)
        case .lifecycle(let index, let step):
            guard institutions[index].registered else { return }
            try lifecycle(index, step, on: date, emit)
        case .late(let text):
            try write(text, emit)
        case .void(let stream, let target, let reason):
            let (_, text) = line(stream: stream, type: .entryVoided, on: date, data: ["event_id": .string(target), "reason": .string(reason)])
            try write(text, emit)
        case .proposal(let index, let step):
            try proposal(index, step, on: date, emit)
        case .draw(let index, let step):
            try draw(index, step, on: date, emit)
        case .complaint(let key, let step):
            try complaint(key, step, on: date, emit)
        }
    }

    mutating func register(_ index: Int, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        let institution = institutions[index]
        let stages: [Stage] = institution.member ? (random.chance(0.6) ? [.compulsory] : [.compulsory, .highSchool])
            : (random.chance(0.5) ? [.preschool, .compulsory] : [.highSchool])
        var data: [String: JSON] = [
            "name": .string(name(for: institution)),
            "district": .string(institution.district),
            "address": .string("\(institution.district)\(random.pick(["和平", "延陵", "晋陵", "太湖", "龙城", "通江"]))路\(random.int(1...400))号"),
            "category": .string(institution.category.rawValue),
            "stages": .array(stages.map { .string($0.rawValue) }),
            "mode": .string(institution.member || random.chance(0.85) ? "offline" : "online"),
            "licensed": .bool(institution.licensed),
            "for_profit": .bool(true),
        ]
        if institution.category == .nonAcademic {
            data["specialty"] = .string(random.pick(Specialty.allCases).rawValue)
        }
        if institution.licensed { data["uscc"] = .string(institution.key) }
        try record(index, .institutionRegistered, on: date, data, emit)
        institutions[index].registered = true
        registeredByDistrict[institutions[index].district, default: []].append(index)
        registeredInstitutions.append(index)
        registeredCount += 1
        planLife(index, from: date)
    }

    func name(for institution: Institution) -> String {
        let short = String(institution.district.prefix(2))
        let kind = institution.category == .academic ? "学业辅导" : "素质教育"
        return "常州\(short)\(institution.key.suffix(4))\(kind)培训中心"
    }

    /// Decides an institution's future at registration: what the bureau will do about it, and when.
    mutating func planLife(_ index: Int, from date: CalendarDate) {
        let institution = institutions[index]
        let policy = Self.policyStart.dayNumber
        let begin = max(date.dayNumber + 10, options.start.dayNumber)
        func someday(after day: Int) -> Int { max(day, begin) + random.int(0...600) }

        for _ in 0..<random.int(0...2) { schedule(.lifecycle(index, .interview), on: someday(after: policy - 200)) }
        if random.chance(0.10) { schedule(.lifecycle(index, .notice), on: someday(after: policy)) }
        if random.chance(0.12) { schedule(.lifecycle(index, .violation), on: someday(after: policy)) }
        if random.chance(0.05) { schedule(.lifecycle(index, .warning), on: someday(after: policy)) }
        if random.chance(0.05) { schedule(.lifecycle(index, .amend), on: someday(after: begin)) }
        if random.chance(0.01) { schedule(.lifecycle(index, .relocate), on: someday(after: begin)) }

        if institution.member {
            let roll = random.int(0...99)
            if !institution.licensed {
                schedule(.lifecycle(index, .close(.unlicensedShutdown)), on: someday(after: policy))
            } else if roll < 60 {
                schedule(.lifecycle(index, .close(random.chance(0.7) ? .deregistered : .ceasedOperation)), on: someday(after: policy))
            } else if roll < 90 {
                schedule(.lifecycle(index, .convertAcademic), on: someday(after: policy))
            } else {
                let day = someday(after: policy + 120)
                schedule(.lifecycle(index, .convertNonProfit), on: day)
                schedule(.lifecycle(index, .custody), on: day + random.int(1...90))
                schedule(.lifecycle(index, .guidancePrice), on: day + random.int(1...120))
            }
        } else if institution.category == .nonAcademic, random.chance(0.25) {
            schedule(.lifecycle(index, .whitelist), on: someday(after: policy + 200))
        } else if random.chance(0.05) {
            schedule(.lifecycle(index, .close(.ceasedOperation)), on: someday(after: begin))
        }
    }

    mutating func lifecycle(_ index: Int, _ step: Step, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        let day = date.dayNumber
        switch step {
        case .close(let reason):
            guard !institutions[index].closed else { return }
            let id = try record(index, .institutionClosed, on: date, ["reason": .string(reason.rawValue)], emit)
            institutions[index].closed = true
            if random.chance(0.02) {
                schedule(.lifecycle(index, .reopen), on: day + random.int(20...200))
            } else if random.chance(0.01) {
                institutions[index].closed = false
                schedule(.void(stream: institutions[index].stream, target: id, reason: "关停记录录入错误"), on: day + random.int(1...30))
            }
        case .reopen:
            guard institutions[index].closed else { return }
            try record(index, .institutionReopened, on: date, ["reason": .string("行政复议撤销关停决定")], emit)
            institutions[index].closed = false
        case .convertAcademic:
            guard institutions[index].category == .academic else { return }
            let id = try record(index, .convertedToNonAcademic, on: date, ["specialty": .string(random.pick(Specialty.allCases).rawValue)], emit)
            institutions[index].category = .nonAcademic
            if random.chance(0.03) {
                // A conversion recorded in error, voided: the institution is academic again.
                institutions[index].category = .academic
                schedule(.void(stream: institutions[index].stream, target: id, reason: "转非材料未通过审核"), on: day + random.int(1...20))
            }
        case .convertNonProfit:
            guard institutions[index].forProfit else { return }
            let district = institutions[index].district
            try record(index, .convertedToNonProfit, on: date, ["uscc": .string(uscc(district: district, forProfit: false))], emit)
            institutions[index].forProfit = false
        case .custody:
            try record(index, .fundCustodyEnrolled, on: date, ["bank": .string(random.pick(["江南农商银行", "中国银行常州分行", "工商银行常州分行"]))], emit)
        case .guidancePrice:
            try record(index, .guidancePriceAdopted, on: date, [:], emit)
        case .interview:
            try maybeLate(index, .interviewHeld, on: date, ["reason": .string(random.pick(["超前超标培训", "违规收费", "虚假宣传", "证照不全"]))], emit)
        case .notice:
            caseCount += 1
            let number = "常教整字〔\(date.year)〕\(caseCount)号"
            let deadline = date.adding(days: random.int(7...30))
            try record(index, .rectificationOrdered, on: date, [
                "notice_no": .string(number), "deadline": .string(deadline.description),
                "items": .array([.string("停止学科类培训"), .string(random.pick(["退还预收费", "整改宣传材料", "补办证照"]))]),
            ], emit)
            institutions[index].notices.append(number)
            if random.chance(0.85) { schedule(.lifecycle(index, .verify(number)), on: deadline.dayNumber + random.int(-5...10)) }
        case .verify(let number):
            try record(index, .rectificationVerified, on: date, ["notice_no": .string(number), "outcome": .string(random.chance(0.9) ? "completed" : "not_completed")], emit)
        case .violation:
            caseCount += 1
            try maybeLate(index, .violationFound, on: date, [
                "case_no": .string("常教违〔\(date.year)〕\(caseCount)号"),
                "kind": .string(random.pick(ViolationKind.allCases).rawValue),
                "persons_involved": .integer(Int64(random.int(0...4))),
            ], emit)
            if random.chance(0.25) {
                // Most penalties now go through a case (SPEC §9); some are recorded as outcomes only.
                schedule(.lifecycle(index, random.chance(0.6) ? .openCase : .penalty), on: day + random.int(5...40))
            }
        case .openCase:
            caseCount += 1
            let key = "K\(seedTag)-\(caseCount)"
            let officers = Array(Set([random.pick(Self.actors), random.pick(Self.actors), random.pick(Self.actors)])).sorted()
            guard officers.count >= 2 else { return }
            let discovered = date.adding(days: -random.int(0...10))
            let (_, text) = line(stream: "case-\(key)", type: .caseOpened, on: date, data: [
                "institution": .string(institutions[index].key),
                "violation": .string(random.pick(ViolationKind.allCases).rawValue),
                "source": .string(random.pick(["inspection", "complaint", "random_check", "referral"])),
                "discovered_on": .string(discovered.description),
                "violation_on": .string(discovered.adding(days: -random.int(5...90)).description),
                "officers": .array(officers.map(JSON.string)),
            ])
            try write(text, emit)
            cases[key] = GeneratedCase(
                institution: index, decision: "常教罚〔\(date.year)〕\(caseCount)号",
                fine: Int64(random.int(1...50)) * 1_000_000, warning: random.chance(0.3))
            schedule(.lifecycle(index, .caseStep(key, .notice)), on: day + random.int(10...40))
        case .caseStep(let key, let step):
            try caseStep(key, step, on: date, emit)
        case .warning:
            try maybeLate(index, .warningIssued, on: date, ["reason": .string("违规开展学科类培训")], emit)
        case .penalty:
            caseCount += 1
            let decision = "常教罚〔\(date.year)〕\(caseCount)号"
            try record(index, .penaltyImposed, on: date, [
                "decision_no": .string(decision),
                "fine_fen": .integer(Int64(random.int(1...50)) * 1_000_000),
                "confiscated_fen": .integer(random.chance(0.3) ? Int64(random.int(1...200)) * 10_000 : 0),
            ], emit)
            institutions[index].penalties[decision] = false
            if random.chance(0.05) { schedule(.lifecycle(index, .revoke(decision)), on: day + random.int(30...180)) }
        case .revoke(let decision):
            guard institutions[index].penalties[decision] == false else { return }
            try record(index, .penaltyRevoked, on: date, ["decision_no": .string(decision), "reason": .string("行政复议撤销")], emit)
            institutions[index].penalties[decision] = true
        case .whitelist:
            let list = "\(institutions[index].district)课后服务白名单"
            let courses: [JSON] = (0..<random.int(1...4)).map { n in
                .object(["name": .string("课程\(n + 1)"), "specialty": .string(random.pick(Specialty.allCases).rawValue)])
            }
            try record(index, .whitelisted, on: date, ["list": .string(list), "courses": .array(courses)], emit)
            institutions[index].lists.insert(list)
            if random.chance(0.03) { schedule(.lifecycle(index, .delist(list)), on: day + random.int(30...300)) }
        case .delist(let list):
            guard institutions[index].lists.contains(list) else { return }
            try record(index, .delisted, on: date, ["list": .string(list), "reason": .string("课程质量不达标")], emit)
            institutions[index].lists.remove(list)
        case .relocate:
            let current = institutions[index].district
            let target = random.pick(options.districts.filter { $0 != current })
            guard !target.isEmpty else { return }
            try record(index, .institutionRelocated, on: date, ["district": .string(target), "address": .string("\(target)新址\(random.int(1...300))号")], emit)
            institutions[index].district = target
        case .amend:
            try record(index, .institutionAmended, on: date, ["address": .string("\(institutions[index].district)更正地址\(random.int(1...300))号")], emit)
        }
    }

    /// A step of a penalty case: the notice, the decision with its companions on the institution's
    /// stream (in one call of lines), service, payment, now and then an appeal, and closure.
    mutating func caseStep(_ key: String, _ step: CaseStep, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        guard let running = cases[key] else { return }
        let day = date.dayNumber, stream = "case-\(key)"
        func next(_ step: CaseStep, in days: ClosedRange<Int>) { schedule(.lifecycle(running.institution, .caseStep(key, step)), on: day + random.int(days)) }
        switch step {
        case .notice:
            var proposed: [JSON] = [.string("fine")]
            if running.warning { proposed.append(.string("warning")) }
            let (_, text) = line(stream: stream, type: .penaltyNoticeServed, on: date, data: [
                "proposed": .array(proposed), "fine_fen": .integer(running.fine), "hearing_right": .bool(random.chance(0.5)),
            ])
            try write(text, emit)
            // Mostly within the 90 days of Art 60; now and then late.
            next(.decide, in: random.chance(0.9) ? 5...40 : 60...120)
        case .decide:
            var penalties: [JSON] = [.string("fine")]
            if running.warning { penalties.append(.string("warning")) }
            var lines = [line(stream: stream, type: .caseDecided, on: date, data: [
                "decision_no": .string(running.decision), "outcome": .string("penalty"), "penalties": .array(penalties),
            ]).text]
            let institution = institutions[running.institution].stream
            lines.append(line(stream: institution, type: .penaltyImposed, on: date, data: [
                "decision_no": .string(running.decision), "fine_fen": .integer(running.fine), "confiscated_fen": .integer(0), "case": .string(key),
            ]).text)
            if running.warning {
                lines.append(line(stream: institution, type: .warningIssued, on: date, data: [
                    "reason": .string("违规开展学科类培训"), "decision_no": .string(running.decision), "case": .string(key),
                ]).text)
            }
            guard try writeTogether(lines, emit) else { return }
            institutions[running.institution].penalties[running.decision] = false
            next(.serve, in: 0...12)
        case .serve:
            try write(line(stream: stream, type: .decisionServed, on: date, data: ["method": .string(random.pick(["in_person", "post", "electronic"]))]).text, emit)
            if random.chance(0.08) { next(.appeal, in: 5...50) } else { next(.pay, in: 3...25) }
        case .appeal:
            try write(line(stream: stream, type: .reconsiderationFiled, on: date, data: ["body": .string("常州市人民政府")]).text, emit)
            next(.appealDecided, in: 30...60)
        case .appealDecided:
            try write(line(stream: stream, type: .appealDecided, on: date, data: ["outcome": .string("upheld")]).text, emit)
            next(.pay, in: 3...25)
        case .pay:
            try write(line(stream: stream, type: .finePaid, on: date, data: ["amount_fen": .integer(running.fine)]).text, emit)
            next(.close, in: 1...20)
        case .close:
            try write(line(stream: stream, type: .caseClosed, on: date, data: ["summary": .string("罚款已缴清,结案")]).text, emit)
            cases[key] = nil
        }
    }

    /// Most events are recorded the day they happen; a few arrive weeks late (a late entry).
    mutating func maybeLate(_ index: Int, _ type: EventType, on date: CalendarDate, _ data: [String: JSON], _ emit: (String) throws -> Void) throws {
        guard random.chance(0.03) else {
            try record(index, type, on: date, data, emit)
            return
        }
        let (_, text) = line(stream: institutions[index].stream, type: type, on: date, data: data)
        schedule(.late(text), on: date.dayNumber + random.int(10...60))
    }

    /// Enforcement operations: each inspects some institutions of its district.
    mutating func operations(on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        // Inspections follow the institutions on the books: about 20 each over the simulated years
        // (registered ones are on the books about 60% of the time on average).
        let span = Double(options.end.dayNumber - options.start.dayNumber + 1)
        inspectionBudget += Double(registeredCount) * 20 / (span * 0.6)
        var attempts = 0
        while Double(inspectionCount) < inspectionBudget, attempts < 1_000 {
            attempts += 1
            let district = random.pick(options.districts)
            let candidates = registeredByDistrict[district] ?? []
            guard !candidates.isEmpty else { continue }
            operationCount += 1
            let key = "OP-\(seedTag)-\(date.year)-\(String(format: "%06d", operationCount))"
            var data: [String: JSON] = [
                "district": .string(district), "kind": .string(random.pick(OperationKind.allCases).rawValue),
                "inspectors": .integer(Int64(random.int(2...20))),
            ]
            if random.chance(0.4) { data["campaign"] = .string(random.pick(["寒假专项治理", "暑期专项治理", "开学季专项检查"])) }
            let (operationID, text) = line(stream: "operation-\(key)", type: .operationConducted, on: date, data: data)
            try write(text, emit)
            if random.chance(0.01) {
                schedule(.void(stream: "operation-\(key)", target: operationID, reason: "重复录入"), on: date.dayNumber + random.int(1...10))
            }
            for _ in 0..<min(candidates.count, random.int(5...50)) {
                let index = random.pick(candidates)
                let inspection: [String: JSON] = [
                    "operation": .string(key), "result": .string(random.chance(0.85) ? "compliant" : "issues_found"),
                ]
                inspectionCount += 1
                if random.chance(0.01) {
                    // Recorded weeks later from a paper form: a late entry.
                    let (_, text) = line(stream: institutions[index].stream, type: .institutionInspected, on: date, data: inspection)
                    schedule(.late(text), on: date.dayNumber + random.int(10...60))
                    continue
                }
                let id = try record(index, .institutionInspected, on: date, inspection, emit)
                if random.chance(0.005) {
                    // Entered twice by mistake; the duplicate is voided a few days later.
                    let duplicate = try record(index, .institutionInspected, on: date, inspection, emit)
                    _ = id
                    schedule(.void(stream: institutions[index].stream, target: duplicate, reason: "重复录入"), on: date.dayNumber + random.int(1...15))
                }
            }
        }
    }

    /// Bulletins, now and then, naming a few institutions.
    mutating func bulletins(on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        // About one bulletin for every eight institutions over the whole history, as in Changzhou.
        let perDay = Double(options.institutions) * 0.12 / Double(options.end.dayNumber - options.start.dayNumber + 1)
        guard random.chance(perDay) else { return }
        let cityLevel = random.chance(0.2)
        let district = random.pick(options.districts)
        let pool = cityLevel ? registeredInstitutions : registeredByDistrict[district] ?? []
        let exposed = (0..<min(pool.count, random.int(0...3))).map { _ in institutions[random.pick(pool)].key }
        bulletinCount += 1
        var data: [String: JSON] = [
            "title": .string("关于\(date.year)年第\(bulletinCount)期违规校外培训机构的通报"),
            "exposed": .array(Array(Set(exposed)).sorted().map(JSON.string)),
        ]
        if !cityLevel { data["district"] = .string(district) }
        let (_, text) = line(stream: "bulletin-B\(seedTag)-\(date.year)-\(String(format: "%04d", bulletinCount))", type: .bulletinPublished, on: date, data: data)
        try write(text, emit)
    }
}
