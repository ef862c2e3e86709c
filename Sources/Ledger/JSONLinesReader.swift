import Foundation

/// Reads a JSON Lines file (or standard input) line by line, without holding the file in memory.
///
/// Blank lines are skipped but counted, a trailing `\r` is dropped, and a line over
/// ``Submission/maximumBytes`` is not kept: it comes back marked too long, to be rejected.
public struct JSONLinesReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private var lineNumber = 0
    /// Bytes consumed so far, for progress.
    public private(set) var bytesRead = 0

    public init(handle: FileHandle) {
        self.handle = handle
    }

    public mutating func next() -> Submission? {
        while true {
            guard let line = nextLine() else { return nil }
            lineNumber += 1
            if line.dropped > 0 {
                var submission = Submission(line: lineNumber, bytes: [])
                submission.tooLong = line.dropped
                return submission
            }
            var bytes = line.bytes
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return Submission(line: lineNumber, bytes: bytes)
        }
    }

    /// The next line's bytes, or how many bytes it had when it was too long to keep.
    private mutating func nextLine() -> (bytes: [UInt8], dropped: Int)? {
        var dropped = 0
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                bytesRead += newline + 1 - start
                start = newline + 1
                if dropped > 0 || line.count > Submission.maximumBytes { return ([], dropped + line.count) }
                return (line, 0)
            }
            if buffer.count - start > Submission.maximumBytes {
                dropped += buffer.count - start
                bytesRead += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if finished {
                guard start < buffer.count || dropped > 0 else { return nil }
                let line = Array(buffer[start...])
                bytesRead += line.count
                buffer.removeAll()
                start = 0
                if dropped > 0 { return ([], dropped + line.count) }
                return (line, 0)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
