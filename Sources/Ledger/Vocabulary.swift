/// The closed vocabularies of the catalogue. Raw values are the wire spellings.

/// 学科类 / 非学科类.
public enum InstitutionCategory: String, Sendable, CaseIterable { case academic, nonAcademic = "non_academic" }

/// The specialty of a non-academic institution or a white-listed course (科技/艺术/体育/综合).
public enum Specialty: String, Sendable, CaseIterable { case science, arts, sports, general }

/// 学段.
public enum Stage: String, Sendable, CaseIterable { case preschool, compulsory, highSchool = "high_school" }

/// 线下 / 线上.
public enum TeachingMode: String, Sendable, CaseIterable { case offline, online }

public enum InspectionResult: String, Sendable, CaseIterable { case compliant, issuesFound = "issues_found" }

public enum RectificationOutcome: String, Sendable, CaseIterable { case completed, notCompleted = "not_completed" }

public enum ViolationKind: String, Sendable, CaseIterable {
    case hiddenVariantAcademic = "hidden_variant_academic"
    case unlicensedOperation = "unlicensed_operation"
    case overcharging
    case falseAdvertising = "false_advertising"
    case other
}

public enum ClosureReason: String, Sendable, CaseIterable {
    case unlicensedShutdown = "unlicensed_shutdown"
    case deregistered
    case ceasedOperation = "ceased_operation"
    case licenseRevoked = "license_revoked"
}

public enum OperationKind: String, Sendable, CaseIterable {
    case dailyPatrol = "daily_patrol"
    case jointEnforcement = "joint_enforcement"
    case comprehensiveEnforcement = "comprehensive_enforcement"
    case complaintCheck = "complaint_check"
    case randomCheck = "random_check"
    case specialCampaign = "special_campaign"
}

/// A council proposal the bureau handles as lead (主办) or as co-handler (协办).
public enum ProposalRole: String, Sendable, CaseIterable { case lead, co }

/// How the proposer was reached (沟通).
public enum ContactMethod: String, Sendable, CaseIterable { case visit, phone, meeting, letter }

/// A reply's classification: A 所提问题已解决或采纳, B 正在解决或列入计划, C 因条件限制暂不能解决.
public enum ReplyClassification: String, Sendable, CaseIterable { case a = "A", b = "B", c = "C" }

/// The proposer's feedback on the reply (满意度).
public enum Satisfaction: String, Sendable, CaseIterable {
    case satisfied, basicallySatisfied = "basically_satisfied", unsatisfied
}

/// Where a penalty case came from (案件来源).
public enum CaseSource: String, Sendable, CaseIterable {
    case inspection, complaint, randomCheck = "random_check", referral, other
}

/// The kinds of evidence (证据种类, 行政处罚法 Art 46).
public enum EvidenceKind: String, Sendable, CaseIterable {
    case documentary, physical, audiovisual, electronic, witness
    case partyStatement = "party_statement", expertOpinion = "expert_opinion", siteRecord = "site_record"
}

/// The kinds of administrative penalty (行政处罚的种类, Art 9).
public enum PenaltyKind: String, Sendable, CaseIterable {
    case warning, publicCriticism = "public_criticism", fine, confiscation
    case stopEnrolment = "stop_enrolment", stopOperation = "stop_operation"
    case licenseRevoked = "license_revoked", practiceBan = "practice_ban"
}

/// How a case is decided (Art 57).
public enum CaseOutcome: String, Sendable, CaseIterable {
    case penalty, noPenaltyMinor = "no_penalty_minor", notEstablished = "not_established", transferred
}

/// How a decision is served (送达).
public enum ServiceMethod: String, Sendable, CaseIterable {
    case inPerson = "in_person", post, electronic, announcement
}

/// How a reconsideration or a lawsuit ended.
public enum AppealOutcome: String, Sendable, CaseIterable {
    case upheld, changed, revoked, confirmedIllegal = "confirmed_illegal", dismissed
}

/// How a complaint or report arrived (投诉举报渠道).
public enum ComplaintChannel: String, Sendable, CaseIterable {
    case hotline12345 = "hotline_12345", platform, letter, visit, email, other

    /// How people name it.
    public var label: String {
        switch self {
        case .hotline12345: "12345热线"
        case .platform: "全国监管平台"
        case .letter: "来信"
        case .visit: "来访"
        case .email: "电子邮件"
        case .other: "其他渠道"
        }
    }
}

/// What verifying a complaint found (核查结果).
public enum ComplaintFinding: String, Sendable, CaseIterable {
    case substantiated, partlySubstantiated = "partly_substantiated", unsubstantiated
}
