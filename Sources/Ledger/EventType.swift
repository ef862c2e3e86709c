/// The event catalogue (SPEC §2): every type, and the stream category it belongs to.
public enum EventType: String, Sendable, CaseIterable {
    case institutionRegistered = "InstitutionRegistered"
    case institutionAmended = "InstitutionAmended"
    case institutionRelocated = "InstitutionRelocated"
    case convertedToNonAcademic = "ConvertedToNonAcademic"
    case convertedToNonProfit = "ConvertedToNonProfit"
    case fundCustodyEnrolled = "FundCustodyEnrolled"
    case guidancePriceAdopted = "GuidancePriceAdopted"
    case institutionInspected = "InstitutionInspected"
    case interviewHeld = "InterviewHeld"
    case rectificationOrdered = "RectificationOrdered"
    case rectificationVerified = "RectificationVerified"
    case violationFound = "ViolationFound"
    case warningIssued = "WarningIssued"
    case penaltyImposed = "PenaltyImposed"
    case penaltyRevoked = "PenaltyRevoked"
    case institutionClosed = "InstitutionClosed"
    case institutionReopened = "InstitutionReopened"
    case whitelisted = "Whitelisted"
    case delisted = "Delisted"
    case blacklisted = "Blacklisted"
    case unblacklisted = "Unblacklisted"
    case entryVoided = "EntryVoided"
    case operationConducted = "OperationConducted"
    case bulletinPublished = "BulletinPublished"
    case replyIssued = "ReplyIssued"
    case calendarPublished = "CalendarPublished"
    case proposalReceived = "ProposalReceived"
    case proposerContacted = "ProposerContacted"
    case replySent = "ReplySent"
    case proposerFeedback = "ProposerFeedback"
    case caseOpened = "CaseOpened"
    case evidenceRecorded = "EvidenceRecorded"
    case penaltyNoticeServed = "PenaltyNoticeServed"
    case statementReceived = "StatementReceived"
    case hearingRequested = "HearingRequested"
    case hearingHeld = "HearingHeld"
    case caseDecided = "CaseDecided"
    case decisionServed = "DecisionServed"
    case finePaid = "FinePaid"
    case enforcementApplied = "EnforcementApplied"
    case reconsiderationFiled = "ReconsiderationFiled"
    case litigationFiled = "LitigationFiled"
    case appealDecided = "AppealDecided"
    case caseClosed = "CaseClosed"
    case drawPlanned = "DrawPlanned"
    case drawPerformed = "DrawPerformed"
    case drawResultsPublished = "DrawResultsPublished"
    case complaintReceived = "ComplaintReceived"
    case complaintAccepted = "ComplaintAccepted"
    case complaintDeclined = "ComplaintDeclined"
    case complaintExtended = "ComplaintExtended"
    case complaintVerified = "ComplaintVerified"
    case complaintAnswered = "ComplaintAnswered"
    case personalDataErased = "PersonalDataErased"
    case reporterViewed = "ReporterViewed"

    /// The category of stream this type belongs to; nil for `EntryVoided`, which every
    /// category takes.
    public var category: StreamCategory? {
        switch self {
        case .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
             .convertedToNonProfit, .fundCustodyEnrolled, .guidancePriceAdopted, .institutionInspected,
             .interviewHeld, .rectificationOrdered, .rectificationVerified, .violationFound, .warningIssued,
             .penaltyImposed, .penaltyRevoked, .institutionClosed, .institutionReopened, .whitelisted, .delisted,
             .blacklisted, .unblacklisted:
            .institution
        case .operationConducted: .operation
        case .bulletinPublished: .bulletin
        case .replyIssued: .reply
        case .calendarPublished: .calendar
        case .proposalReceived, .proposerContacted, .replySent, .proposerFeedback: .proposal
        case .caseOpened, .evidenceRecorded, .penaltyNoticeServed, .statementReceived, .hearingRequested, .hearingHeld,
             .caseDecided, .decisionServed, .finePaid, .enforcementApplied, .reconsiderationFiled, .litigationFiled,
             .appealDecided, .caseClosed:
            .case
        case .drawPlanned, .drawPerformed, .drawResultsPublished: .draw
        case .complaintReceived, .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified,
             .complaintAnswered, .personalDataErased, .reporterViewed:
            .complaint
        case .entryVoided: nil
        }
    }

    /// Whether this type may be appended to a stream of `category`.
    public func isAllowed(in category: StreamCategory) -> Bool {
        self.category.map { $0 == category } ?? true
    }

    /// How people read the type (the pages' timelines, 中文).
    public var label: String {
        switch self {
        case .institutionRegistered: "纳入台账"
        case .institutionAmended: "信息变更"
        case .institutionRelocated: "迁址"
        case .convertedToNonAcademic: "学科转非学科"
        case .convertedToNonProfit: "营改非"
        case .fundCustodyEnrolled: "纳入资金监管"
        case .guidancePriceAdopted: "执行政府指导价"
        case .institutionInspected: "检查"
        case .interviewHeld: "约谈"
        case .rectificationOrdered: "责令整改通知"
        case .rectificationVerified: "整改复查"
        case .violationFound: "查处违规行为"
        case .warningIssued: "警告"
        case .penaltyImposed: "行政处罚(罚没款)"
        case .penaltyRevoked: "处罚撤销"
        case .institutionClosed: "关停/注销"
        case .institutionReopened: "恢复"
        case .whitelisted: "列入白名单"
        case .delisted: "移出白名单"
        case .blacklisted: "列入黑名单"
        case .unblacklisted: "移出黑名单(信用修复)"
        case .entryVoided: "更正(作废一条记录)"
        case .operationConducted: "开展检查行动"
        case .bulletinPublished: "发布通报"
        case .replyIssued: "提案答复"
        case .calendarPublished: "发布节假日安排"
        case .proposalReceived: "提案交办"
        case .proposerContacted: "与提案人沟通"
        case .replySent: "答复提案"
        case .proposerFeedback: "提案人反馈"
        case .caseOpened: "立案"
        case .evidenceRecorded: "调查取证"
        case .penaltyNoticeServed: "行政处罚事先告知"
        case .statementReceived: "陈述申辩"
        case .hearingRequested: "申请听证"
        case .hearingHeld: "举行听证"
        case .caseDecided: "作出处罚决定"
        case .decisionServed: "送达处罚决定书"
        case .finePaid: "缴纳罚没款"
        case .enforcementApplied: "申请强制执行"
        case .reconsiderationFiled: "申请行政复议"
        case .litigationFiled: "提起行政诉讼"
        case .appealDecided: "复议/诉讼结果"
        case .caseClosed: "结案"
        case .drawPlanned: "双随机抽查计划"
        case .drawPerformed: "双随机摇号"
        case .drawResultsPublished: "抽查结果公示"
        case .complaintReceived: "收到投诉举报"
        case .complaintAccepted: "受理"
        case .complaintDeclined: "不予受理"
        case .complaintExtended: "延长核查期限"
        case .complaintVerified: "核查"
        case .complaintAnswered: "答复举报人"
        case .personalDataErased: "删除举报人个人信息"
        case .reporterViewed: "查阅举报人信息"
        }
    }

    /// A field of an event's `data` that names another stream by its key.
    public struct Reference: Sendable, Equatable {
        public var field: String
        public var category: StreamCategory
        /// True when the field holds a list of keys.
        public var isList: Bool
    }

    /// The fields of this type's `data` that name other streams, which must exist.
    public var references: [Reference] {
        switch self {
        case .institutionInspected:
            [Reference(field: "operation", category: .operation, isList: false), Reference(field: "draw", category: .draw, isList: false)]
        case .bulletinPublished: [Reference(field: "exposed", category: .institution, isList: true)]
        case .replySent: [Reference(field: "reply", category: .reply, isList: false)]
        case .caseOpened: [Reference(field: "institution", category: .institution, isList: false)]
        case .complaintReceived: [Reference(field: "institution", category: .institution, isList: false)]
        case .complaintVerified:
            [Reference(field: "operation", category: .operation, isList: false), Reference(field: "case", category: .case, isList: false)]
        case .violationFound, .warningIssued, .penaltyImposed, .penaltyRevoked, .institutionClosed, .blacklisted:
            [Reference(field: "case", category: .case, isList: false)]
        case .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
             .convertedToNonProfit, .fundCustodyEnrolled, .guidancePriceAdopted, .interviewHeld,
             .rectificationOrdered, .rectificationVerified, .institutionReopened, .whitelisted, .delisted, .entryVoided,
             .operationConducted, .replyIssued, .calendarPublished, .proposalReceived, .proposerContacted,
             .proposerFeedback, .evidenceRecorded, .penaltyNoticeServed, .statementReceived, .hearingRequested,
             .hearingHeld, .caseDecided, .decisionServed, .finePaid, .enforcementApplied, .reconsiderationFiled,
             .litigationFiled, .appealDecided, .caseClosed, .drawPlanned, .drawPerformed, .drawResultsPublished,
             .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintAnswered, .personalDataErased, .reporterViewed,
             .unblacklisted:
            []
        }
    }

    /// Whether an event of this type can change the facts the rules read (``StreamState``). One
    /// that cannot is read back without its data, and a void of it needs only its type.
    public var changesFacts: Bool {
        switch self {
        case .institutionInspected, .interviewHeld, .rectificationVerified, .violationFound,
             .fundCustodyEnrolled, .guidancePriceAdopted:
            false
        case .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
             .convertedToNonProfit, .rectificationOrdered, .penaltyImposed, .penaltyRevoked, .institutionClosed,
             .institutionReopened, .whitelisted, .delisted, .entryVoided, .operationConducted, .bulletinPublished,
             .replyIssued, .calendarPublished, .proposalReceived, .warningIssued, .proposerContacted, .replySent, .proposerFeedback,
             .caseOpened, .evidenceRecorded, .penaltyNoticeServed, .statementReceived, .hearingRequested, .hearingHeld,
             .caseDecided, .decisionServed, .finePaid, .enforcementApplied, .reconsiderationFiled, .litigationFiled,
             .appealDecided, .caseClosed, .drawPlanned, .drawPerformed, .drawResultsPublished, .complaintReceived,
             .complaintAccepted, .complaintDeclined, .complaintExtended, .complaintVerified, .complaintAnswered,
             .personalDataErased, .reporterViewed, .blacklisted, .unblacklisted:
            true
        }
    }

    /// The types one of which must come, live, before an event of this type in its stream (the
    /// latest counts): the event's `occurred_on` is on or after that one's, and that one cannot
    /// be voided while this one is live (SPEC §8). Empty for Part I, whose types need only their
    /// stream opened.
    public var requires: [EventType] {
        switch self {
        case .proposerContacted, .replySent: [.proposalReceived]
        case .proposerFeedback: [.replySent]
        case .evidenceRecorded, .penaltyNoticeServed, .caseDecided: [.caseOpened]
        case .statementReceived, .hearingRequested: [.penaltyNoticeServed]
        case .hearingHeld: [.hearingRequested]
        case .decisionServed, .reconsiderationFiled, .litigationFiled, .caseClosed: [.caseDecided]
        case .finePaid, .enforcementApplied: [.decisionServed]
        case .appealDecided: [.reconsiderationFiled, .litigationFiled]
        case .drawPerformed: [.drawPlanned]
        case .drawResultsPublished: [.drawPerformed]
        case .complaintAccepted, .complaintDeclined, .personalDataErased, .reporterViewed: [.complaintReceived]
        case .complaintExtended, .complaintVerified: [.complaintAccepted]
        case .complaintAnswered: [.complaintVerified, .complaintDeclined]
        case .unblacklisted: [.blacklisted]
        case .institutionRegistered, .institutionAmended, .institutionRelocated, .convertedToNonAcademic,
             .convertedToNonProfit, .fundCustodyEnrolled, .guidancePriceAdopted, .institutionInspected,
             .interviewHeld, .rectificationOrdered, .rectificationVerified, .violationFound, .warningIssued,
             .penaltyImposed, .penaltyRevoked, .institutionClosed, .institutionReopened, .whitelisted, .delisted,
             .entryVoided, .operationConducted, .bulletinPublished, .replyIssued, .calendarPublished, .proposalReceived,
             .caseOpened, .drawPlanned, .complaintReceived, .blacklisted:
            []
        }
    }

    /// Whether only the ledger itself appends this type, never a client (an import, the API, a
    /// form): a reading of a reporter is recorded by the reading (SPEC §12).
    public var isWrittenByLedgerOnly: Bool { self == .reporterViewed }

    /// The types some other type requires, whose latest day the facts keep.
    public static let required = Set(allCases.flatMap(\.requires))

    /// The type that must open a stream of `category`, and may appear only there.
    public static func opening(_ category: StreamCategory) -> EventType {
        switch category {
        case .institution: .institutionRegistered
        case .operation: .operationConducted
        case .bulletin: .bulletinPublished
        case .reply: .replyIssued
        case .calendar: .calendarPublished
        case .proposal: .proposalReceived
        case .case: .caseOpened
        case .draw: .drawPlanned
        case .complaint: .complaintReceived
        }
    }
}
