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
    case entryVoided = "EntryVoided"
    case operationConducted = "OperationConducted"
    case bulletinPublished = "BulletinPublished"
    case replyIssued = "ReplyIssued"

    /// Whether this type may be appended to a stream of `category`.
    public func isAllowed(in category: StreamCategory) -> Bool {
        switch self {
        case .entryVoided: true
        case .operationConducted: category == .operation
        case .bulletinPublished: category == .bulletin
        case .replyIssued: category == .reply
        default: category == .institution
        }
    }

    /// The type that must open a stream of `category`, and may appear only there.
    public static func opening(_ category: StreamCategory) -> EventType {
        switch category {
        case .institution: .institutionRegistered
        case .operation: .operationConducted
        case .bulletin: .bulletinPublished
        case .reply: .replyIssued
        }
    }
}
