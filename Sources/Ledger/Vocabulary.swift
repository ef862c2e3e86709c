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
