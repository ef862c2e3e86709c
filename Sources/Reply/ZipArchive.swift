/// A minimal ZIP writer (stored entries, no compression) for OOXML packages. Entries carry a
/// fixed date (1980-01-01), so the same content gives the same bytes.
struct ZipArchive {
    private var data: [UInt8] = []
    private var central: [UInt8] = []
    private var count: UInt16 = 0

    mutating func add(_ name: String, _ content: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(content)
        let offset = UInt32(data.count)
        // Local file header.
        data += le32(0x0403_4b50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        data += le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count))
        data += le16(UInt16(nameBytes.count)) + le16(0) + nameBytes + content
        // Central directory entry.
        central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        central += le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count))
        central += le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset)
        central += nameBytes
        count += 1
    }

    func finished() -> [UInt8] {
        let end = le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(UInt32(central.count)) + le32(UInt32(data.count)) + le16(0)
        return data + central + end
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) } }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
