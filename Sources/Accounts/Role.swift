/// What a user may do. Each role holds a few permissions; nobody holds them all, so recording
/// events, publishing figures, auditing and managing users stay separate duties.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// 执法人员: records events, only for the institutions, operations and bulletins of their own
    /// district (or of the whole city, for an inspector without a district); reads their timelines
    /// and their district's figures.
    case inspector
    /// 统计分析人员: the figures of any district and council replies.
    case analyst
    /// 审计人员: reads everything (timelines, figures, replies), verifies the chains, takes digests.
    case auditor
    /// 系统管理员: manages users, and nothing in the ledger.
    case admin
    /// 投诉举报受理人员: records complaints and their steps (the hotline operator's screen), and
    /// alone may read or erase a reporter (SPEC §12), each reading recorded.
    case complaintOfficer = "complaint_officer"

    /// The role's name in the pages.
    public var label: String {
        switch self {
        case .inspector: "执法人员"
        case .analyst: "统计分析人员"
        case .auditor: "审计人员"
        case .admin: "系统管理员"
        case .complaintOfficer: "投诉举报受理人员"
        }
    }

    public func allows(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.inspector, .append), (.inspector, .readStatistics), (.inspector, .readHistory): true
        case (.analyst, .readStatistics), (.analyst, .produceReplies): true
        case (.auditor, .readStatistics), (.auditor, .produceReplies), (.auditor, .readHistory),
             (.auditor, .verify), (.auditor, .digest): true
        case (.admin, .manageUsers): true
        case (.complaintOfficer, .append), (.complaintOfficer, .readStatistics), (.complaintOfficer, .readHistory),
             (.complaintOfficer, .readReporters): true
        default: false
        }
    }
}

/// One thing a request may need to be allowed.
public enum Permission: String, Sendable, CaseIterable {
    case append
    case readStatistics
    case produceReplies
    case readHistory
    case verify
    case digest
    case manageUsers
    /// Reading a complaint's reporter in clear, and erasing it (SPEC §12).
    case readReporters

    /// What the permission is for, in a refusal a person reads.
    public var summary: String {
        switch self {
        case .append: "recording events"
        case .readStatistics: "reading the figures"
        case .produceReplies: "producing council replies"
        case .readHistory: "reading timelines"
        case .verify: "verifying the hash chains"
        case .digest: "taking the ledger's digest"
        case .manageUsers: "managing users"
        case .readReporters: "reading and erasing complaints' reporters"
        }
    }
}
