import EventStore
import Foundation
import Ledger

extension HistoryGenerator {
    /// A council proposal the simulation runs (SPEC §10): received in spring, after the sessions of
    /// January; the proposers contacted; answered by the due day or, now and then, late.
    struct GeneratedProposal {
        var key: String
        var session: String
        var number: String
        var district: String?
        var dueOn: CalendarDate?
    }

    enum ProposalStep {
        case receive, contact
    }

    static let proposalTitles = [
        "关于加强校外培训机构监管的建议", "关于规范非学科类校外培训的建议", "关于防范校外培训预收费风险的建议",
        "关于推进“双减”政策落实的建议", "关于治理隐形变异学科类培训的建议", "关于完善校外培训机构白名单制度的建议",
        "关于加强校外培训从业人员管理的建议", "关于丰富课后服务、减少校外培训需求的建议",
    ]
    static let proposers = ["王建华", "李明", "张丽", "刘洋", "陈静", "杨帆", "赵敏", "黄涛", "周颖", "吴刚"]

    /// 市政协<term>届<n>次会议 of `year`: the 14th term from 2017, the 15th from 2022.
    static func session(of year: Int) -> String {
        let numerals = ["一", "二", "三", "四", "五"]
        let (term, first) = year >= 2022 ? ("十五", 2022) : ("十四", 2017)
        return "市政协\(term)届\(numerals[min(4, max(0, year - first))])次会议"
    }

    /// On the 1st of March, the year's proposals are scheduled over the following seven weeks:
    /// about one for every 80 institutions, and no more than a council hands one bureau (12).
    mutating func proposals(on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        // From the first spring the working-day calendars cover (SPEC §8), as the bureau's ledger began.
        guard date.month == 3, date.day == 1, date.year >= Self.policyStart.year else { return }
        let count = min(12, max(1, options.institutions / 80))
        for number in 1...count {
            let received = date.dayNumber + random.int(0...48)
            let key = "P\(date.year)-\(seedTag)-\(String(format: "%03d", number))"
            proposalList.append(GeneratedProposal(
                key: key, session: Self.session(of: date.year), number: String(format: "%04d", random.int(1...400)),
                district: random.chance(0.3) ? nil : random.pick(options.districts),
                dueOn: random.chance(0.2) ? CalendarDate(dayNumber: received + 60) : nil))
            schedule(.proposal(proposalList.count - 1, .receive), on: received)
        }
    }

    mutating func proposal(_ index: Int, _ step: ProposalStep, on date: CalendarDate, _ emit: (String) throws -> Void) throws {
        let proposal = proposalList[index]
        let stream = "proposal-\(proposal.key)"
        switch step {
        case .receive:
            var data: [String: JSON] = [
                "session": .string(proposal.session), "number": .string(proposal.number),
                "title": .string(random.pick(Self.proposalTitles)),
                "proposers": .array((0..<random.int(1...3)).map { _ in .string(random.pick(Self.proposers)) }.uniqued()),
                "role": .string(random.chance(0.8) ? "lead" : "co"),
            ]
            if let district = proposal.district { data["district"] = .string(district) }
            if let due = proposal.dueOn { data["due_on"] = .string(due.description) }
            let (_, text) = line(stream: stream, type: .proposalReceived, on: date, data: data)
            guard !isFull else { return }
            try write(text, emit)
            schedule(.proposal(index, .contact), on: date.dayNumber + random.int(7...30))
            planAnswer(proposal, receivedOn: date)
        case .contact:
            let (_, text) = line(stream: stream, type: .proposerContacted, on: date, data: [
                "method": .string(random.pick(["visit", "phone", "meeting", "letter"])), "summary": .string("就办理方案与提案人沟通"),
            ])
            try write(text, emit)
        }
    }

    /// The answer to a proposal: most before the due day, about one in eight late, none after the
    /// history ends (those stay open); most proposers say how satisfied they are.
    mutating func planAnswer(_ proposal: GeneratedProposal, receivedOn: CalendarDate) {
        let due = proposal.dueOn ?? WorkingCalendar.sameDay(3, monthsAfter: receivedOn)
        let sent = random.chance(0.12) ? due.dayNumber + random.int(3...25) : max(receivedOn.dayNumber + 30, due.dayNumber - random.int(0...25))
        guard sent <= options.end.dayNumber else { return }
        let sentOn = CalendarDate(dayNumber: sent)
        let feedbackOn = sent + random.int(7...30)
        let satisfaction: Satisfaction = random.chance(0.7) ? .satisfied : random.chance(0.83) ? .basicallySatisfied : .unsatisfied
        answers.append(ProposalAnswer(
            proposal: proposal.key, from: CalendarDate(year: sentOn.year, month: 1, day: 1)!, to: CalendarDate(dayNumber: sent - 1),
            sentOn: sentOn, classification: random.pick([.a, .a, .b, .b, .c]), actor: random.pick(Self.actors),
            sentID: UUID(text: random.uuid())!,
            feedback: random.chance(0.85) && feedbackOn <= options.end.dayNumber
                ? .init(satisfaction: satisfaction, on: CalendarDate(dayNumber: feedbackOn), id: UUID(text: random.uuid())!) : nil))
    }
}

extension Array where Element == JSON {
    /// The elements without repeats, in order.
    func uniqued() -> [JSON] {
        var seen: [JSON] = []
        for element in self where !seen.contains(element) { seen.append(element) }
        return seen
    }
}
