import PycelizeCore

/// The workbook's shared-string table, stored as one contiguous UTF-8 buffer plus offsets, so that text cells can
/// point straight into it without copying (the buffer lives as long as the reader).
public final class SharedStrings {
    private var storage: UnsafeMutablePointer<UInt8>?
    private var offsets: [Int] = [0]

    public init() {}
    deinit { storage?.deallocate() }

    public var count: Int { offsets.count - 1 }

    /// Parses `sst` from the scanner: each `<si>` is the concatenation of its `<t>` texts, rich-text runs included,
    /// phonetic runs (`<rPh>`) excluded.
    func load(from scanner: XMLScanner, maxBytes: Int = 1 << 30) throws {
        var bytes: [UInt8] = []
        var inT = false, inPhonetic = false, inSI = false
        var validator = UTF8Validator()
        while true {
            switch try scanner.next() {
            case .eof:
                guard validator.complete else {
                    throw TableIOError.badInput("Not a valid XLSX file: shared strings are not valid UTF-8")
                }
                let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
                bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { p.update(from: b, count: $0.count) } }
                storage = p
                return
            case .start:
                if scanner.nameIs("si") { inSI = true }
                else if scanner.nameIs("t") { inT = !scanner.selfClosing }
                else if scanner.nameIs("rPh") { inPhonetic = true }
            case .end:
                if scanner.nameIs("si") {
                    if inSI {
                        let start = offsets[offsets.count - 1]
                        let hasEscape = bytes[start...].withUnsafeBufferPointer { ExcelEscapes.mayContainEscape($0) }
                        if hasEscape {
                            var decoded: [UInt8] = []
                            bytes[start...].withUnsafeBufferPointer { ExcelEscapes.decode($0, into: &decoded) }
                            bytes.replaceSubrange(start..., with: decoded)
                        }
                        offsets.append(bytes.count)
                    }
                    inSI = false
                } else if scanner.nameIs("t") { inT = false }
                else if scanner.nameIs("rPh") { inPhonetic = false }
            case .text:
                if inSI && inT && !inPhonetic {
                    let before = bytes.count
                    try scanner.appendText(to: &bytes)
                    if bytes.count > before {
                        bytes[before...].withUnsafeBufferPointer { validator.feed($0.baseAddress!, $0.count) }
                    }
                    if !validator.valid {
                        throw TableIOError.badInput("Not a valid XLSX file: shared strings are not valid UTF-8")
                    }
                    if bytes.count > maxBytes {
                        throw TableIOError.limitExceeded("Not a valid XLSX file: shared strings exceed \(maxBytes >> 20) MiB")
                    }
                }
            }
        }
    }

    /// A text cell for string `index`, or nil if out of range.
    @inline(__always) func cell(_ index: Int) -> Cell? {
        guard index >= 0, index < count, let base = storage else { return nil }
        let start = offsets[index]
        return .text(UnsafePointer(base + start), offsets[index + 1] - start)
    }

    /// String `index` as a Swift String (for headers and tests).
    public func string(_ index: Int) -> String? {
        guard let c = cell(index) else { return nil }
        return String(decoding: c.textBytes, as: UTF8.self)
    }
}
