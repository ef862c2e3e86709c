import Foundation

/// The stream states a long-lived appender (the service) keeps between calls, so that an append
/// to a stream it has seen needs no lookup: the call is checked against the kept state and
/// written in one round trip (``Appender/streamCache``). A kept state can only be stale when
/// someone else appended to the stream since; the append then meets that writer's version (or a
/// recorded id) at insert time and checks again from the ledger, so a stale state costs a retry,
/// never a wrong acceptance. A rejection on kept states is checked again from the ledger too
/// before it is reported. Bounded by the entries the states hold: past the bound, it starts afresh.
public final class StreamStateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [String: StreamState] = [:]
    /// Streams known to exist (a stream never stops existing).
    private var existing: Set<String> = []
    private var entries = 0
    public let maximumEntries: Int

    public init(maximumEntries: Int = 200_000) {
        self.maximumEntries = maximumEntries
    }

    func state(_ stream: String) -> StreamState? {
        lock.withLock { states[stream] }
    }

    func exists(_ stream: String) -> Bool {
        lock.withLock { existing.contains(stream) }
    }

    /// Keeps the states of streams just written (complete ones, newer than what is kept).
    func keep(_ written: [StreamState]) {
        lock.withLock {
            for state in written where state.isComplete {
                let name = state.name.description
                if let kept = states[name] {
                    guard kept.version < state.version else { continue }
                    entries -= kept.entries.count
                }
                if entries + state.entries.count > maximumEntries {
                    states.removeAll(keepingCapacity: true)
                    existing.removeAll(keepingCapacity: true)
                    entries = 0
                }
                states[name] = state
                existing.insert(name)
                entries += state.entries.count
            }
        }
    }

    /// Forgets `streams`, found stale.
    func forget(_ streams: some Sequence<String>) {
        lock.withLock {
            for name in streams {
                if let kept = states.removeValue(forKey: name) { entries -= kept.entries.count }
            }
        }
    }
}
