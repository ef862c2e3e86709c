import Hummingbird
import Reply

/// `/reply`: a preview of the council reply for a period and district, with its provenance. It is
/// recorded when it is downloaded (a POST to `/api/reply`), not when it is looked at.
struct ReplyPages: Sendable {
    let pages: Pages

    func register(on router: Router<LedgerRequestContext>) {
        router.get("/reply", use: reply)
    }

    struct Page: Sendable {
        let from: String
        let to: String
        let districts: [Pages.Option]
        /// The proposal's heading (关于…第…号提案《…》的答复), for a proposal's reply.
        let heading: String?
        let paragraphs: [String]
        let position: Int64
        let digest: String
        let provenance: String
        let hidden: [Pages.Hidden]
        /// The council proposal the reply answers, if any (its district is the proposal's).
        let proposal: String?
        let query: String
    }

    @Sendable func reply(_ request: Request, _ context: LedgerRequestContext) async throws -> Response {
        let user = try context.require(.produceReplies)
        let (reply, _) = try await pages.services.reply(FormFields.query(request), format: .text, for: user, recording: false)
        let scope = reply.statistics.request
        let position = String(reply.statistics.position)
        var hidden = [("from", scope.from.description), ("to", scope.to.description), ("at_position", position)]
        let proposal = FormFields.query(request).text("proposal")
        // A proposal's reply is for the proposal's district, which the proposal names.
        if let proposal { hidden.append(("proposal", proposal)) } else if let district = scope.district { hidden.append(("district", district)) }
        return pages.render("reply", title: "提案答复", user: user, Page(
            from: scope.from.description, to: scope.to.description,
            districts: pages.districtOptions(selected: scope.district, for: user),
            heading: reply.proposal?.heading, paragraphs: reply.paragraphs,
            position: reply.statistics.position, digest: String(reply.digest.prefix(16)) + "…",
            provenance: reply.provenanceLines.joined(separator: "\n"),
            hidden: hidden.map { Pages.Hidden(name: $0.0, value: $0.1) },
            proposal: proposal,
            query: FormFields.queryString([
                ("from", scope.from.description), ("to", scope.to.description),
                proposal.map { ("proposal", $0) } ?? ("district", scope.district), ("at_position", position),
            ])))
    }
}
