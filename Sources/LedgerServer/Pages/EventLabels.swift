import EventStore
import Ledger

/// The Chinese words the pages use for event types and their fields.
enum EventLabels {
    /// The catalogue's label of a stored type; the raw name for one it does not know.
    static func type(_ raw: String) -> String { EventType(rawValue: raw)?.label ?? raw }

    static let fields: [String: String] = [
        "name": "名称", "district": "区域", "address": "地址", "category": "类别", "specialty": "类型", "stages": "学段",
        "mode": "形式", "licensed": "证照齐全", "for_profit": "营利性", "uscc": "统一社会信用代码", "bank": "监管银行",
        "operation": "检查行动", "result": "检查结果", "notes": "情况说明", "reason": "原因", "notice_no": "通知书编号",
        "deadline": "整改期限", "items": "整改事项", "outcome": "复查结论", "case_no": "案件编号", "kind": "类型",
        "persons_involved": "涉及人员", "decision_no": "决定书编号", "fine_fen": "罚款", "confiscated_fen": "没收",
        "list": "名单", "courses": "课程", "event_id": "被更正记录", "campaign": "专项行动", "inspectors": "出动人员",
        "title": "标题", "exposed": "曝光机构",
        // Penalty cases (SPEC §9).
        "institution": "当事机构", "violation": "违法行为", "source": "来源", "source_ref": "来源编号",
        "discovered_on": "发现日期", "violation_on": "违法行为发生日期", "officers": "承办人员", "proposed": "拟作出的处罚",
        "hearing_right": "告知听证权利", "summary": "摘要", "presiding": "听证主持人", "penalties": "处罚种类",
        "method": "方式", "amount_fen": "金额", "court": "法院", "body": "机关", "description": "说明", "sha256": "文件摘要",
        "case": "案件",
        // Council proposals and replies (SPEC §10).
        "session": "会议", "number": "提案号", "proposers": "提案人", "role": "办理类型", "due_on": "答复期限",
        "reply": "答复件", "classification": "答复类别", "satisfaction": "满意度",
        "from": "起始日期", "to": "截止日期", "baseline": "压减基数日", "position": "账本位置", "digest": "链摘要",
        "text_sha256": "正文摘要", "format": "格式", "proposal": "提案", "holidays": "放假日期", "workdays": "调休上班日期",
        // Random inspections (SPEC §11).
        "matters": "抽查事项", "filter": "范围", "ratio_percent": "抽取比例(%)", "count": "抽取数量",
        "per_target": "每家人数", "recusals": "回避", "inspector": "执法人员", "window": "检查期限", "beacon": "信标",
        "beacon_date": "信标日期", "targets": "抽取对象", "url": "公示网址", "draw": "双随机抽查",
        // Complaints (SPEC §12).
        "channel": "渠道", "venue": "无证场所", "reporter": "举报人", "anonymous": "匿名", "finding": "核查结果", "until": "列入期限至",
    ]

    static let values: [String: String] = [
        "compliant": "合规", "issues_found": "发现问题", "completed": "已整改", "not_completed": "未整改",
        "academic": "学科类", "non_academic": "非学科类", "offline": "线下", "online": "线上",
        "unlicensed_shutdown": "无证无照关停", "deregistered": "注销", "ceased_operation": "停止办学", "license_revoked": "吊销许可",
        "hidden_variant_academic": "隐形变异学科培训", "unlicensed_operation": "无证办学", "overcharging": "违规收费",
        "false_advertising": "虚假宣传", "other": "其他", "preschool": "学前", "compulsory": "义务教育", "high_school": "高中",
        "science": "科技", "arts": "艺术", "sports": "体育", "general": "综合",
        "inspection": "检查发现", "complaint": "投诉举报", "random_check": "双随机抽查", "referral": "移送",
        "warning": "警告", "public_criticism": "通报批评", "fine": "罚款", "confiscation": "没收违法所得",
        "stop_enrolment": "停止招生", "stop_operation": "停止办学", "practice_ban": "从业禁止",
        "penalty": "给予行政处罚", "no_penalty_minor": "违法行为轻微,不予处罚", "not_established": "违法事实不成立",
        "transferred": "移送处理", "in_person": "当面", "post": "邮寄", "electronic": "电子", "announcement": "公告",
        "upheld": "维持", "changed": "变更", "revoked": "撤销", "confirmed_illegal": "确认违法", "dismissed": "驳回",
        "documentary": "书证", "physical": "物证", "audiovisual": "视听资料", "witness": "证人证言",
        "party_statement": "当事人陈述", "expert_opinion": "鉴定意见", "site_record": "勘验笔录、现场笔录",
        "lead": "主办", "co": "协办", "visit": "走访", "phone": "电话", "meeting": "座谈", "letter": "书面",
        "satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意",
        "hotline_12345": "12345热线", "platform": "全国监管平台", "email": "电子邮件",
        "substantiated": "属实", "partly_substantiated": "部分属实", "unsubstantiated": "不属实",
    ]

    static let operationKinds: [String: String] = [
        "daily_patrol": "日常巡查", "joint_enforcement": "联合执法", "comprehensive_enforcement": "综合执法",
        "complaint_check": "投诉核查", "random_check": "双随机抽查", "special_campaign": "专项治理",
    ]

    /// `data` in one line a person reads: `检查行动: OP-1 · 检查结果: 合规`; money in 元.
    static func summary(_ data: JSON) -> String {
        guard case .object(let members) = data else { return "" }
        return members.keys.sorted().compactMap { key -> String? in
            guard let value = members[key] else { return nil }
            let label = fields[key] ?? key
            if key.hasSuffix("_fen"), case .integer(let fen) = value { return "\(label): \(yuan(fen))元" }
            if key == "kind", let text = value.stringValue, let kind = operationKinds[text] { return "\(label): \(kind)" }
            return "\(label): \(text(value))"
        }.joined(separator: " · ")
    }

    static func text(_ value: JSON) -> String {
        switch value {
        case .string(let string): values[string] ?? string
        case .bool(let flag): flag ? "是" : "否"
        case .integer(let number): String(number)
        case .array(let items): items.map(text).joined(separator: "、")
        case .object: summary(value)
        case .number(let literal): literal
        case .null: "—"
        }
    }

    /// 123456 分 → `1234.56`.
    static func yuan(_ fen: Int64) -> String {
        let cents = fen % 100
        return "\(fen / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
