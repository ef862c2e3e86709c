import CLibPQ
import Foundation

extension Connection {
    /// Runs `body` while LISTENing on `channel`; leaving the closure UNLISTENs.
    public func listen<T>(_ channel: String, _ body: () throws -> T) throws -> T {
        try execute("LISTEN \(identifier: channel)")
        defer { _ = try? execute("UNLISTEN \(identifier: channel)") }
        return try body()
    }

    /// Waits up to `timeout` seconds for a notification on a channel this connection listens to.
    /// Returns true when one (or several) arrived, false on time-out; drains what arrived.
    public func waitForNotification(timeout: Double) throws -> Bool {
        if drainNotifications() { return true }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw connectionError(statement: "LISTEN") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, timeout * 1000)))
        guard ready > 0 else { return false }
        guard PQconsumeInput(handle) == 1 else { throw connectionError(statement: "LISTEN") }
        return drainNotifications()
    }

    private func drainNotifications() -> Bool {
        var received = false
        PQconsumeInput(handle)
        while let notification = PQnotifies(handle) {
            received = true
            PQfreemem(notification)
        }
        return received
    }
}
