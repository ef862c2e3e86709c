import Accounts
import EventStore
import Hummingbird
import Ledger

/// `/draws`: the random inspections (双随机, SPEC §11): each draw's plan, pool, beacon and seed,
/// its targets with the inspectors drawn and whether they were inspected, and whether anyone
/// can verify it; a form to draw a plan with its beacon.
struct DrawPages: Sendable {
    let pages: Pages
    var services: LedgerServices { pages.services }

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/draws", use: list)
        router.get("/draws/{key}", use: show)
        router.post("/draws/{key}/perform", use: perform)
    }

    struct ListPage: Sendable {
        let hasDraws: Bool
        let draws: [Row]

        struct Row: Sendable {
            let key: String
            let plannedOn: String
            let district: String
            let drawn: String
        }
    }

    @Sendable func list(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        let district = user.role == .inspector ? user.district : nil
        let rows = try await services.pool.read { connection in
            try connection.execute("""
                SELECT substr(p.stream, length('draw-') + 1) AS key, p.occurred_on::text AS planned_on, p.data ->> 'district' AS district,
                       (SELECT x.occurred_on::text FROM ledger.events x WHERE x.stream = p.stream AND x.type = \(type: .drawPerformed)) AS drawn_on
                  FROM ledger.events p
                 WHERE p.type = \(type: .drawPlanned) AND (\(district)::text IS NULL OR p.data ->> 'district' = \(district))
                 ORDER BY p.occurred_on DESC, p.position DESC
                 LIMIT 200
                """)
        }
        return pages.render("draws", title: "双随机抽查", user: user, ListPage(
            hasDraws: !rows.isEmpty,
            draws: rows.map { .init(key: $0["key"] ?? "", plannedOn: $0["planned_on"] ?? "", district: $0["district"] ?? "全市", drawn: $0["drawn_on"] ?? "未摇号") }))
    }

    struct Page: Sendable {
        let key: String
        let heading: String
        let facts: [ProcedurePages.Row]
        let drawn: Bool
        let verified: String?
        let verifiable: String?
        let targets: [Target]
        let mayDraw: Bool
        let today: String
        let error: String?

        struct Target: Sendable {
            let number: Int
            let href: String
            let institution: String
            let inspectors: String
            let inspected: Bool
        }
    }

    @Sendable func show(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.readStatistics)
        return try await page(try await services.draw(try context.pathParameter("key")), user: user, error: nil)
    }

    @Sendable func perform(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.append)
        let key = try context.pathParameter("key")
        let values = try await FormFields.body(request, limit: 64 << 10)
        do {
            guard let beacon = values.text("beacon"), let day = values.text("beacon_date") else {
                throw APIError(.unprocessableContent, "invalid", "填写开奖号码(信标)和开奖日期")
            }
            _ = try await services.performDraw(key, beacon: beacon, beaconDate: day, occurredOn: values.text("occurred_on"), as: user)
        } catch let refusal as APIError where refusal.status == .unprocessableContent || refusal.status == .conflict {
            let message = refusal.rejections.flatMap(\.problems).map { $0.text(.chinese) }.joined(separator: ";")
            return try await page(try await services.draw(key), user: user, error: message.isEmpty ? refusal.message(.chinese) : message)
        }
        return .redirect(to: "/draws/\(FormFields.percentEncoded(key))", type: .normal)
    }

    func page(_ draw: RecordedDraw, user: User, error: String?) async throws -> Response {
        let plan = draw.plan
        let size = switch plan.size {
        case .count(let count): "\(count) 家"
        case .ratio(let percent): "\(percent)%"
        }
        var facts: [ProcedurePages.Row] = [
            .init(label: "区域", value: plan.district ?? "全市"),
            .init(label: "计划日期", value: draw.plannedOn.description),
            .init(label: "抽查事项", value: plan.matters.joined(separator: "、")),
            .init(label: "抽取比例/数量", value: size),
            .init(label: "检查对象库", value: "\(draw.pool.count) 家(计划登记时的在册机构)"),
            .init(label: "执法人员库", value: Draw.sorted(plan.inspectors).joined(separator: "、") + ",每家抽 \(plan.perTarget) 人"),
            .init(label: "检查期限", value: "\(plan.windowFrom) 至 \(plan.windowTo)"),
        ]
        var verified: String?
        if let performed = draw.performed {
            facts += [
                .init(label: "信标", value: "\(performed.beacon)(\(performed.beaconDate))"),
                .init(label: "种子", value: draw.seed(beacon: performed.beacon)),
                .init(label: "结果公示", value: draw.publishedOn?.description ?? "尚未公示"),
            ]
            verified = (try? draw.expected(beacon: performed.beacon)).map { $0 == performed.targets } == true
                ? "✓ 按计划、对象库和信标重新计算,结果一致" : "✗ 重新计算的结果与记录不一致"
        }
        let mayDraw = draw.performed == nil && user.allows(.append) && (user.district == nil || user.district == plan.district)
        return pages.render("draw", title: "双随机抽查 \(draw.key)", user: user, Page(
            key: draw.key, heading: "双随机抽查 \(draw.key)", facts: facts, drawn: draw.performed != nil, verified: verified,
            verifiable: draw.verifiable.map { $0 ? "可验证:信标在计划登记之后公布" : "不可验证:信标不晚于计划登记之日(补录)" },
            targets: (draw.performed?.targets ?? []).enumerated().map { index, target in
                .init(number: index + 1, href: "/institutions/" + FormFields.percentEncoded(target.institution), institution: target.institution,
                      inspectors: target.inspectors.joined(separator: "、"), inspected: draw.inspected.contains(target.institution))
            },
            mayDraw: mayDraw, today: services.configuration.today.description, error: error))
    }
}
