import Mustache

/// The pages' Mustache templates, from `Pages/Templates/<name>.mustache` (compiled into the binary
/// by `Package.swift`). `{{x}}` escapes HTML; `{{{x}}}` is used only for markup the service builds
/// itself (the SVG chart). Each page's template renders its typed context inside `{{#page}}`;
/// `head` and `foot` read the ``Layout`` around it.
enum Templates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, bytes) in all {
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            try library.register(text, named: name)
        }
        return library
    }

    static let all: [(String, [UInt8])] = [
        ("head", PackageResources.head_mustache), ("foot", PackageResources.foot_mustache),
        ("period", PackageResources.period_mustache), ("login", PackageResources.login_mustache),
        ("dashboard", PackageResources.dashboard_mustache), ("institutions", PackageResources.institutions_mustache),
        ("institution", PackageResources.institution_mustache), ("record", PackageResources.record_mustache),
        ("reply", PackageResources.reply_mustache), ("users", PackageResources.users_mustache),
        ("error", PackageResources.error_mustache), ("timeline", PackageResources.timeline_mustache),
        ("procedure", PackageResources.procedure_mustache), ("procedures", PackageResources.procedures_mustache),
        ("draw", PackageResources.draw_mustache), ("draws", PackageResources.draws_mustache),
        ("public", PackageResources.public_mustache), ("public-search", PackageResources.public_search_mustache),
        ("public-institution", PackageResources.public_institution_mustache), ("public-blacklist", PackageResources.public_blacklist_mustache),
        ("public-penalties", PackageResources.public_penalties_mustache), ("public-whitelists", PackageResources.public_whitelists_mustache),
        ("public-draws", PackageResources.public_draws_mustache), ("public-draw", PackageResources.public_draw_mustache),
        ("public-bulletins", PackageResources.public_bulletins_mustache), ("pager", PackageResources.pager_mustache),
    ]
}
