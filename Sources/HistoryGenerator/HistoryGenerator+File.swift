import Foundation

extension HistoryGenerator {
    /// Writes the history as JSON Lines to `handle`, in 1 MiB writes; returns the events written.
    @discardableResult
    public mutating func write(to handle: FileHandle) throws -> Int {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var count = 0
        try generate { line in
            buffer += line.utf8
            buffer.append(UInt8(ascii: "\n"))
            count += 1
            if buffer.count >= 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        return count
    }
}
