import Ledger
import EventStore
import Projections

/// What `ledger stats` is asked: the period, the district, the baseline date.
public struct StatisticsRequest: Sendable, Equatable {
    public var from: CalendarDate
    public var to: CalendarDate
    /// Only events attributed to this district; nil for the whole city.
    public var district: String?
    /// The day the compression baseline is counted (default 2021-07-24, the start of "双减").
    public var baseline: CalendarDate

    public static let policyStart = InstitutionsProjection.policyBaseline

    public init(from: CalendarDate, to: CalendarDate, district: String? = nil, baseline: CalendarDate = policyStart) {
        self.from = from
        self.to = to
        self.district = district
        self.baseline = baseline
    }
}

/// The figures of SPEC §4 for one request, at one ledger position.
public struct Statistics: Sendable, Equatable {
    public var request: StatisticsRequest
    /// The ledger position the figures were computed at.
    public var position: Int64

    /// 开展检查(次) and 出动检查人员(人次).
    public var operations: Int64 = 0
    public var inspectorPersonTimes: Int64 = 0
    /// 检查机构(家次).
    public var institutionInspections: Int64 = 0
    /// 约谈(次).
    public var interviews: Int64 = 0
    /// 责令整改通知书(份) and 逾期未整改.
    public var rectificationNotices: Int64 = 0
    public var rectificationsOverdue: Int64 = 0
    /// 查处违规行为(起) and 违规人员(人).
    public var violations: Int64 = 0
    public var violatingPersons: Int64 = 0
    /// 警告.
    public var warnings: Int64 = 0
    /// 关停无证无照机构(家).
    public var unlicensedClosed: Int64 = 0
    /// 发布通报(期) and 曝光培训机构(家).
    public var bulletins: Int64 = 0
    public var exposedInstitutions: Int64 = 0
    /// 罚没款金额, in 分.
    public var finesFen: Int64 = 0
    /// 压减.
    public var compression = Compression(baseline: 0, compressed: 0, byDistrict: [])
    /// 营改非/资金监管/政府指导价覆盖.
    public var coverage = Coverage()
    /// 白名单, by list name.
    public var whitelists: [Whitelist] = []
    /// 提案办理 (SPEC §10).
    public var proposals = Proposals()
    /// 行政处罚案件 (SPEC §9).
    public var cases = Cases()
    /// 双随机抽查 (SPEC §11).
    public var randomChecks = RandomChecks()
    public var complaints = Complaints()
    public var blacklist = Blacklist()

    /// Zero figures, for `request` at `position`.
    public init(request: StatisticsRequest, position: Int64) {
        self.request = request
        self.position = position
    }

    public struct Compression: Sendable, Equatable {
        public var baseline: Int64
        public var compressed: Int64
        public var byDistrict: [DistrictCompression]
        public var ratePercent: String? { HalfUp.percent(compressed, of: baseline) }
    }

    public struct DistrictCompression: Sendable, Equatable {
        public var district: String
        public var baseline: Int64
        public var compressed: Int64
        public var ratePercent: String? { HalfUp.percent(compressed, of: baseline) }
    }

    public struct Coverage: Sendable, Equatable {
        public var remaining: Int64 = 0
        public var nonProfit: Int64 = 0
        public var fundCustody: Int64 = 0
        public var guidancePrice: Int64 = 0

        public init(remaining: Int64 = 0, nonProfit: Int64 = 0, fundCustody: Int64 = 0, guidancePrice: Int64 = 0) {
            self.remaining = remaining
            self.nonProfit = nonProfit
            self.fundCustody = fundCustody
            self.guidancePrice = guidancePrice
        }
    }

    /// Penalty cases opened, decided (within the 90-day limit), open past it on T, and closed, by
    /// `occurred_on` in the period, in the institution's district on the day the case was opened.
    public struct Cases: Sendable, Equatable {
        public var opened: Int64 = 0
        public var decided: Int64 = 0
        public var decidedWithinLimit: Int64 = 0
        public var openOverdue: Int64 = 0
        public var closed: Int64 = 0
    }

    /// Random inspections, in the plan's district: plans made, draws performed and the targets
    /// they drew, targets first inspected (and of those, with issues found), and results
    /// published within 20 working days of the window's end, by `occurred_on` in the period.
    public struct RandomChecks: Sendable, Equatable {
        public var planned: Int64 = 0
        public var drawn: Int64 = 0
        public var targets: Int64 = 0
        public var inspected: Int64 = 0
        public var issuesFound: Int64 = 0
        public var publishedOnTime: Int64 = 0
    }

    /// The black list (SPEC §13), by the institution's district on the day it was listed:
    /// institutions on it on T, listings made in the period, and listings that ended in it
    /// (lifted, or reaching their `until`).
    public struct Blacklist: Sendable, Equatable {
        public var listed: Int64 = 0
        public var addedInPeriod: Int64 = 0
        public var removedInPeriod: Int64 = 0
    }

    /// Complaints and reports (SPEC §12), in the complaint's district, by `occurred_on` in the
    /// period: received (and by channel), accepted, declined, verified as substantiated, the
    /// reporter answered within 5 working days of the verification or the declining; and those
    /// with a step open past its due day on T.
    public struct Complaints: Sendable, Equatable {
        public var received: Int64 = 0
        public var accepted: Int64 = 0
        public var declined: Int64 = 0
        public var substantiated: Int64 = 0
        public var answeredOnTime: Int64 = 0
        public var openOverdue: Int64 = 0
        /// Received, per channel, every channel listed.
        public var byChannel: [ComplaintChannel: Int64] = [:]
    }

    /// Council proposals: received, answered (on time), open past their due day on T, and the
    /// proposers' feedback, by `occurred_on` in the period.
    public struct Proposals: Sendable, Equatable {
        public var received: Int64 = 0
        public var answered: Int64 = 0
        public var answeredOnTime: Int64 = 0
        public var openOverdue: Int64 = 0
        public var satisfied: Int64 = 0
        public var basicallySatisfied: Int64 = 0
        public var unsatisfied: Int64 = 0
    }

    public struct Whitelist: Sendable, Equatable {
        public var list: String
        public var institutions: Int64
        public var courses: Int64
        public var science: Int64
        public var arts: Int64
        public var sports: Int64
        public var general: Int64
    }
}

extension Statistics.Compression {
    /// The city's compression from its districts': the totals over all of them, the districts
    /// with a baseline listed in the configured `order` (others after, by name).
    init(districts: [Statistics.DistrictCompression], order: [String]) {
        let sorted = districts.sorted {
            (order.firstIndex(of: $0.district) ?? order.count, $0.district) < (order.firstIndex(of: $1.district) ?? order.count, $1.district)
        }
        self.init(baseline: sorted.reduce(0) { $0 + $1.baseline }, compressed: sorted.reduce(0) { $0 + $1.compressed },
                  byDistrict: sorted.filter { $0.baseline > 0 })
    }
}
