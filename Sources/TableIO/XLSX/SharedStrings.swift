import PycelizeCore

/// The workbook's shared-string table, stored as one contiguous UTF-8 buffer plus offsets, so that text cells can
/// point straight into it without copying (the buffer lives as long as the reader).
public final class SharedStrings {
    private var storage: UnsafeMutablePointer<UInt8>?
    /// Start of each string, then the end of the last (the table is limited to 1 GiB, so 32 bits suffice).
    private var offsets: [UInt32] = [0]

    public init() {}
    deinit { storage?.deallocate() }

    public var count: Int { offsets.count - 1 }

    /// Parses the `sst` part from `source` (see `SharedStringsParser`): each `<si>` is the concatenation of its
    /// `<t>` texts, rich-text runs included, phonetic runs (`<rPh>`) excluded.
    func load(from source: any ByteSource, partName: String, maxBytes: Int = 1 << 30) throws {
        var bytes: [UInt8] = []
        var starts: [UInt32] = [0]
        try SharedStringsParser(source: source, partName: partName, maxBytes: maxBytes).parse(into: &bytes, offsets: &starts)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { p.update(from: b, count: $0.count) } }
        storage?.deallocate()
        storage = p
        offsets = starts
    }

    /// A text cell for string `index`, or nil if out of range.
    @inline(__always) func cell(_ index: Int) -> Cell? {
        guard index >= 0, index < count, let base = storage else { return nil }
        let start = Int(offsets[index])
        return .text(UnsafePointer(base + start), Int(offsets[index + 1]) - start)
    }

    /// String `index` as a Swift String (for headers and tests).
    public func string(_ index: Int) -> String? {
        guard let c = cell(index) else { return nil }
        return String(decoding: c.textBytes, as: UTF8.self)
    }
}
