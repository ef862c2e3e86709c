import EventStore
import Statistics
import Ledger

/// How each figure of a reply is derived: a query a reviewer can run on `ledger.events` as the
/// ledger stood at the reply's position, independent of the read models that computed it.
public enum Provenance {
    /// One figure, its value as the reply states it, the SQL that re-derives it, and the event
    /// types it is computed from.
    public struct Figure: Sendable, Equatable {
        /// The figure's machine name, as `ledger stats --format json` keys it (`fines_fen`,
        /// `compression.by_district`): what `reply --diff` pairs figures by, whatever the label.
        public var key: String
        public var label: String
        public var value: String
        public var sql: String
        /// The types whose events feed the figure (state changes for the temporal ones).
        public var types: [EventType]
    }

    /// The reply's figures (``Statistics/inReply``) that have a query for this request.
    public static func figures(_ s: Statistics) -> [Figure] {
        let scope = ProvenanceScope(request: s.request, position: s.position)
        return Statistics.inReply.compactMap { figure in
            guard let sql = figure.provenance?(scope) else { return nil }
            return Figure(key: figure.key, label: figure.labelWithUnit, value: figure.plainText(s), sql: sql, types: figure.types)
        }
    }
}
