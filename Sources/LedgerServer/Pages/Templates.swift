import Mustache

/// The pages' Mustache templates. `{{x}}` escapes HTML; `{{{x}}}` is used only for markup the
/// service builds itself (the SVG chart).
enum Templates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all { try library.register(text, named: name) }
        return library
    }

    static let all: [(String, String)] = [
        ("head", head), ("foot", foot), ("period", period), ("login", login), ("dashboard", dashboard), ("institutions", institutions),
        ("institution", institution), ("record", record), ("reply", reply), ("users", users), ("error", error),
    ]

    static let head = """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · 校外培训机构执法台账</title>
        <style>
        *{box-sizing:border-box}
        body{margin:0;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:16px;line-height:1.6;color:#1d2733;background:#f4f6f8}
        header{background:#8b1a1a;color:#fff;padding:.6rem 1rem}
        header a{color:#fff;text-decoration:none;margin-right:1rem;white-space:nowrap}
        header .brand{font-weight:bold;font-size:1.05rem}
        header nav{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem 0;margin-top:.3rem}
        header .who{font-size:.85rem;opacity:.9}
        header form{display:inline;margin:0}
        header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.1rem .6rem;font-size:.85rem}
        main{max-width:960px;margin:0 auto;padding:1rem}
        h1{font-size:1.35rem;margin:.4rem 0 1rem}
        h2{font-size:1.1rem;margin:1.4rem 0 .6rem}
        .card{background:#fff;border-radius:8px;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        table{border-collapse:collapse;width:100%}
        td,th{padding:.4rem .5rem;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .scroll{overflow-x:auto}
        label{display:block;font-weight:600;margin:.8rem 0 .2rem}
        input,select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #b8c2cc;border-radius:6px;background:#fff}
        input[type=radio]{width:auto}
        .choice{display:inline-flex;align-items:center;gap:.3rem;font-weight:normal;margin-right:1.2rem}
        .row{display:flex;flex-wrap:wrap;gap:0 1rem}.row>div{flex:1 1 12rem}
        button.primary,a.button{display:inline-block;background:#8b1a1a;color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;font:inherit;text-decoration:none;margin:.8rem .5rem 0 0}
        a.button.secondary{background:#4a5a6a}
        .field-error{color:#b00020;font-size:.9rem;margin-top:.2rem}
        .invalid{border-color:#b00020;background:#fff6f6}
        .notice{padding:.7rem 1rem;border-radius:6px;margin-bottom:1rem}
        .notice.ok{background:#e7f5ea;color:#1b5e20}.notice.bad{background:#fdecea;color:#8b1a1a}
        .timeline{list-style:none;padding:0;margin:0}
        .timeline li{background:#fff;border-left:4px solid #8b1a1a;border-radius:6px;padding:.6rem .8rem;margin-bottom:.6rem}
        .timeline li.voided{border-left-color:#9aa5b1;color:#6b7785}
        .timeline .meta{font-size:.82rem;color:#5f6b77;word-break:break-all}
        .tag{display:inline-block;font-size:.78rem;border-radius:4px;padding:0 .4rem;background:#eef1f4;color:#333;margin-left:.3rem}
        .tag.voided{background:#fdecea;color:#8b1a1a}
        .muted{color:#5f6b77;font-size:.9rem}
        .reply p{text-indent:2em;margin:.5rem 0}
        pre{white-space:pre-wrap;word-break:break-all;font-size:.8rem;background:#f4f6f8;padding:.6rem;border-radius:6px}
        svg text{font-family:inherit}
        </style>
        </head>
        <body>
        <header>
        <div class="brand">校外培训机构执法台账</div>
        {{#user}}
        <nav>
        {{#nav}}<a href="{{href}}">{{label}}</a>{{/nav}}
        <span class="who">{{title}}</span>&nbsp;
        <form method="post" action="/logout"><button type="submit">退出</button></form>
        </nav>
        {{/user}}
        </header>
        <main>
        """

    /// The period and district fields of the dashboard and reply forms.
    static let period = """
        <div class="row">
        <div><label for="from">起始日期</label><input id="from" name="from" type="date" value="{{from}}"></div>
        <div><label for="to">截止日期</label><input id="to" name="to" type="date" value="{{to}}"></div>
        <div><label for="district">区域</label>
        <select id="district" name="district">
        {{#districts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/districts}}
        </select></div>
        </div>
        """

    static let foot = """
        </main>
        </body>
        </html>
        """

    static let login = """
        {{> head}}
        <h1>登录</h1>
        <div class="card">
        {{#error}}<div class="notice bad">{{error}}</div>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="next" value="{{next}}">
        <label for="name">用户名</label>
        <input id="name" name="name" value="{{name}}" autocomplete="username" required>
        <label for="password">密码</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button class="primary" type="submit">登录</button>
        </form>
        </div>
        {{> foot}}
        """

    static let dashboard = """
        {{> head}}
        <h1>统计概览 · {{scope}}</h1>
        <form class="card" method="get" action="/dashboard">
        {{> period}}
        <button class="primary" type="submit">查询</button>
        {{#mayReply}}<a class="button secondary" href="/reply?{{query}}">生成提案答复</a>{{/mayReply}}
        </form>
        <div class="card">
        <h2>各区压减率</h2>
        {{{chart}}}
        </div>
        <div class="card scroll">
        <h2>统计数据</h2>
        <table>
        {{#figures}}<tr><th scope="row">{{label}}</th><td class="num">{{value}}</td></tr>{{/figures}}
        </table>
        <p class="muted">按 SPEC §4 口径计算,截至账本位置 {{position}}。</p>
        </div>
        {{> foot}}
        """

    static let institutions = """
        {{> head}}
        <h1>机构查询</h1>
        <form class="card" method="get" action="/institutions">
        <label for="q">机构名称或编号</label>
        <input id="q" name="q" value="{{q}}" placeholder="例如:学堂 或 91320402">
        <button class="primary" type="submit">查询</button>
        </form>
        <div class="card scroll">
        {{#hasResults}}
        <table>
        <tr><th>机构</th><th>区域</th></tr>
        {{#results}}<tr><td><a href="/institutions/{{key}}">{{name}}</a><div class="muted">{{key}}</div></td><td>{{district}}</td></tr>{{/results}}
        </table>
        {{/hasResults}}
        {{^results}}<p class="muted">{{emptyText}}</p>{{/results}}
        </div>
        {{> foot}}
        """

    static let institution = """
        {{> head}}
        <h1>{{name}}</h1>
        {{#recorded}}<div class="notice ok">已记录:{{recorded}}</div>{{/recorded}}
        <div class="card">
        <table>
        <tr><th scope="row">机构编号</th><td>{{key}}</td></tr>
        <tr><th scope="row">所在区域</th><td>{{district}}</td></tr>
        <tr><th scope="row">状态</th><td>{{status}}</td></tr>
        <tr><th scope="row">哈希链</th><td>{{#chainIntact}}✓ 完整,{{eventCount}} 条记录均与哈希链一致{{/chainIntact}}{{^chainIntact}}<strong>✗ 已损坏</strong>:{{chainProblem}}{{/chainIntact}}</td></tr>
        </table>
        {{#mayRecord}}
        <a class="button" href="/institutions/{{key}}/record?kind=inspection">记录检查</a>
        <a class="button" href="/institutions/{{key}}/record?kind=notice">责令整改通知</a>
        <a class="button" href="/institutions/{{key}}/record?kind=penalty">行政处罚</a>
        {{/mayRecord}}
        </div>
        <h2>时间线(共 {{eventCount}} 条,含已更正记录)</h2>
        <ol class="timeline">
        {{#entries}}
        <li{{#voided}} class="voided"{{/voided}}>
        <div>{{#voided}}<del>{{/voided}}<strong>{{occurredOn}}</strong> {{typeLabel}}{{#voided}}</del><span class="tag voided">已更正作废</span>{{/voided}}</div>
        <div>{{#voided}}<del>{{/voided}}{{summary}}{{#voided}}</del>{{/voided}}</div>
        <div class="meta">第 {{version}} 条 · 位置 {{position}} · {{actor}} 记录于 {{recordedAt}}{{#voidedBy}} · 被 {{voidedBy}} 更正{{/voidedBy}}</div>
        <div class="meta">hash {{hash}}</div>
        </li>
        {{/entries}}
        </ol>
        {{> foot}}
        """

    static let record = """
        {{> head}}
        <h1>{{heading}}</h1>
        <p class="muted">{{institutionName}}({{key}}),{{district}}</p>
        {{#hasErrors}}<div class="notice bad">未能保存,请修改标红的字段。{{#general}}<div>{{.}}</div>{{/general}}</div>{{/hasErrors}}
        <form class="card" method="post" action="/institutions/{{key}}/record?kind={{kind}}">
        <input type="hidden" name="id" value="{{id}}">
        {{#fields}}
        {{#isHidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/isHidden}}
        {{^isHidden}}<label for="{{name}}">{{label}}</label>{{/isHidden}}
        {{#isText}}<input id="{{name}}" name="{{name}}" value="{{value}}"{{#error}} class="invalid"{{/error}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}>{{/isText}}
        {{#isDate}}<input id="{{name}}" name="{{name}}" type="date" value="{{value}}"{{#error}} class="invalid"{{/error}}>{{/isDate}}
        {{#isArea}}<textarea id="{{name}}" name="{{name}}" rows="4"{{#error}} class="invalid"{{/error}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}>{{value}}</textarea>{{/isArea}}
        {{#isSelect}}<select id="{{name}}" name="{{name}}"{{#error}} class="invalid"{{/error}}>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{#isRadio}}<div>{{#options}}<label class="choice"><input type="radio" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}}>{{label}}</label>{{/options}}</div>{{/isRadio}}
        {{#hint}}<div class="muted">{{hint}}</div>{{/hint}}
        {{#error}}<div class="field-error" id="{{name}}-error">{{error}}</div>{{/error}}
        {{/fields}}
        <button class="primary" type="submit">保存</button>
        <a class="button secondary" href="/institutions/{{key}}">取消</a>
        </form>
        {{> foot}}
        """

    static let reply = """
        {{> head}}
        <h1>提案答复 · 执法工作部分</h1>
        <form class="card" method="get" action="/reply">
        {{> period}}
        <button class="primary" type="submit">生成</button>
        </form>
        <div class="card reply">
        {{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}
        <form method="post" action="/api/reply">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        <button class="primary" type="submit" name="format" value="docx">登记并下载 Word 文档</button>
        <a class="button secondary" href="/api/reply?{{query}}&amp;format=text">纯文本预览</a>
        </form>
        <p class="muted">此为预览,尚未登记;下载 Word 文档即登记为正式答复。账本位置 {{position}},链摘要 {{digest}}。</p>
        </div>
        <div class="card">
        <h2>数据来源</h2>
        <pre>{{provenance}}</pre>
        </div>
        {{> foot}}
        """

    static let users = """
        {{> head}}
        <h1>用户管理</h1>
        {{#message}}<div class="notice ok">{{message}}</div>{{/message}}
        {{#error}}<div class="notice bad">{{error}}</div>{{/error}}
        <div class="card scroll">
        <table>
        <tr><th>用户名</th><th>角色</th><th>区域</th><th>状态</th><th></th></tr>
        {{#users}}<tr><td>{{name}}</td><td>{{roleLabel}}</td><td>{{district}}</td><td>{{status}}</td>
        <td>{{#mayDisable}}<form method="post" action="/users/{{name}}/disable"><button type="submit">停用</button></form>{{/mayDisable}}</td></tr>{{/users}}
        </table>
        </div>
        <form class="card" method="post" action="/users">
        <h2>新增用户</h2>
        <div class="row">
        <div><label for="name">用户名</label><input id="name" name="name" value="{{form.name}}"></div>
        <div><label for="password">初始密码(至少 8 位)</label><input id="password" name="password" type="password"></div>
        </div>
        <div class="row">
        <div><label for="role">角色</label><select id="role" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></div>
        <div><label for="district">区域(执法人员必填;全市执法人员选“全市”)</label><select id="district" name="district">{{#districts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/districts}}</select></div>
        </div>
        <button class="primary" type="submit">新增</button>
        </form>
        {{> foot}}
        """

    static let error = """
        {{> head}}
        <h1>{{heading}}</h1>
        <div class="card">
        <p>{{message}}</p>
        <a class="button secondary" href="/">返回首页</a>
        </div>
        {{> foot}}
        """
}
