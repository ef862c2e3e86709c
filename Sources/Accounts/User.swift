/// A person who signs in: a name (the `actor` of every event they record), a role and, for an
/// inspector, a district.
public struct User: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// The district an inspector works in; nil for an inspector of the whole city (市级) and for
    /// the other roles.
    public var district: String?
    public var createdAt: String
    public var createdBy: String
    public var disabledAt: String?

    public init(name: String, role: Role, district: String? = nil, createdAt: String = "", createdBy: String = "", disabledAt: String? = nil) {
        self.name = name
        self.role = role
        self.district = district
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.disabledAt = disabledAt
    }

    public var isDisabled: Bool { disabledAt != nil }

    public func allows(_ permission: Permission) -> Bool { !isDisabled && role.allows(permission) }

    /// Whether the user may see figures or timelines of `district` (nil: the whole city).
    /// Inspectors of a district see their own district only; everyone else with the permission
    /// sees all.
    public func mayRead(district: String?) -> Bool {
        guard role == .inspector, let own = self.district else { return true }
        return district == own
    }

    /// How the pages name the user: `张三 · 执法人员 · 天宁区`.
    public var title: String {
        [name, role.label, district ?? (role == .inspector ? "全市" : nil)].compactMap { $0 }.joined(separator: " · ")
    }
}
