#if canImport(Glibc)
import Glibc
#endif

/// The fast path for the shared-strings part (`sst`), framed like `SheetDataParser`: a sliding buffer of inflated
/// XML parsed only up to the end of its last complete `</si>`, so the loops are pointer walks with no refill checks.
///
/// `<si><t>…</t></si>` (with or without `xml:space="preserve"`, no entity) is copied straight into the table; any
/// other item (rich-text runs, phonetic runs, entities, CDATA, comments, prefixes) takes the general path over
/// the same framed bytes. Each item is the concatenation of its `<t>` texts outside `<rPh>`, UTF-8 validated,
/// `_xHHHH_` escapes decoded. Refusals are the scanner's: `<!DOCTYPE`/`<!ENTITY` (any `<!` other than a comment
/// or CDATA), undefined entities, an item larger than `maxItemBytes`, a table larger than `maxBytes`.
final class SharedStringsParser {
    private let source: any ByteSource
    private let partName: String
    private let maxItemBytes: Int
    private let maxBytes: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 20
    private var length = 0
    private var position = 0
    private var frameEnd = 0
    private var sourceDone = false
    private var validator = UTF8Validator()
    private var decoded: [UInt8] = []

    init(source: any ByteSource, partName: String, maxItemBytes: Int = 32 << 20, maxBytes: Int = 1 << 30) {
        self.source = source
        self.partName = partName
        self.maxItemBytes = maxItemBytes
        self.maxBytes = maxBytes
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    private func fail(_ why: String) -> TableIOError { .badInput("Not a valid XLSX file: \(partName): \(why)") }

    /// Parses every `<si>` into `bytes` (the items' UTF-8, back to back) and `offsets` (each item's end).
    func parse(into bytes: inout [UInt8], offsets: inout [UInt32]) throws {
        while try refill() {
            while position < frameEnd {
                guard let lt = find(0x3C, position, frameEnd) else { position = frameEnd; break }
                position = try markup(at: lt, bytes: &bytes, offsets: &offsets)
            }
        }
        guard validator.complete else { throw fail("shared strings are not valid UTF-8") }
    }

    // MARK: - Buffering and framing

    /// Reads more input, keeping unparsed bytes, and recomputes the frame. False once everything was parsed.
    private func refill() throws -> Bool {
        if sourceDone { return position < length }
        let keep = length - position
        if position > 0 {
            if keep > 0 { buffer.update(from: buffer + position, count: keep) }
            length = keep
            position = 0
        }
        if length == capacity {
            guard capacity < maxItemBytes else {
                throw TableIOError.limitExceeded("Not a valid XLSX file: \(partName): a shared string is larger than \(maxItemBytes >> 20) MiB")
            }
            doubleCapacity(of: &buffer, capacity: &capacity, used: length)
        }
        let n = try source.read(into: buffer + length, count: capacity - length)
        length += n
        if n == 0 {
            sourceDone = true
            frameEnd = length
        } else {
            // [position, length - n) was searched by the previous refill and holds no item end.
            frameEnd = SheetDataParser.lastClosingTagEnd(buffer, from: position, to: length, newFrom: length - n,
                                                         local: "si") ?? position
        }
        return true
    }

    // MARK: - Markup

    @inline(__always) private func find(_ byte: UInt8, _ p: Int, _ e: Int) -> Int? {
        guard p < e, let hit = memchr(buffer + p, Int32(byte), e - p) else { return nil }
        return buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always) private func matches(_ p: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard p + n <= frameEnd else { return false }
        return memcmp(buffer + p, literal.utf8Start, n) == 0
    }

    /// Index after the `needle` that follows `p` within the frame.
    private func skipPast(_ p: Int, _ needle: StaticString, _ what: String) throws -> Int {
        var i = p
        while let q = find(needle.utf8Start.pointee, i, frameEnd) {
            if matches(q, needle) { return q + needle.utf8CodeUnitCount }
            i = q + 1
        }
        throw fail("unterminated \(what)")
    }

    private struct Tag {
        var closing: Bool
        var name: (Int, Int)  // local name, prefix dropped
        var selfClosing: Bool
        var end: Int          // index after '>'
    }

    /// The tag at `lt` (which must be an element tag, not `<!` or `<?`).
    private func tag(at lt: Int) throws -> Tag {
        var p = lt + 1
        let closing = p < frameEnd && buffer[p] == 0x2F
        if closing { p += 1 }
        var s = p, i = p
        while i < frameEnd {
            let c = buffer[i]
            if c == 0x20 || c == 0x3E || c == 0x2F || c == 0x09 || c == 0x0A || c == 0x0D { break }
            if c == 0x3A { s = i + 1 }
            i += 1
        }
        var quote: UInt8 = 0
        var j = i
        while j < frameEnd {
            let c = buffer[j]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == 0x3E { return Tag(closing: closing, name: (s, i), selfClosing: buffer[j - 1] == 0x2F, end: j + 1) }
            else if c == 0x22 || c == 0x27 { quote = c }
            j += 1
        }
        throw fail("unterminated tag")
    }

    @inline(__always) private func named(_ t: Tag, _ word: StaticString) -> Bool {
        t.name.1 - t.name.0 == word.utf8CodeUnitCount && memcmp(buffer + t.name.0, word.utf8Start, word.utf8CodeUnitCount) == 0
    }

    /// Skips `<?…?>`, comments and stray CDATA; refuses any other `<!` (DOCTYPE, ENTITY). Nil for element tags.
    private func special(at lt: Int) throws -> Int? {
        guard lt + 1 < frameEnd else { throw fail("unterminated tag") }
        switch buffer[lt + 1] {
        case 0x3F: return try skipPast(lt + 2, "?>", "processing instruction")
        case 0x21:
            if matches(lt, "<!--") { return try skipPast(lt + 4, "-->", "comment") }
            if matches(lt, "<![CDATA[") { return try skipPast(lt + 9, "]]>", "CDATA section") }
            throw fail("DOCTYPE and ENTITY declarations are not allowed")
        default: return nil
        }
    }

    /// Handles the markup at `lt` outside any item; returns where to continue.
    private func markup(at lt: Int, bytes: inout [UInt8], offsets: inout [UInt32]) throws -> Int {
        if let next = try special(at: lt) { return next }
        let t = try tag(at: lt)
        guard !t.closing, named(t, "si") else { return t.end } // <sst>, </sst>, extensions: nothing to keep
        let start = bytes.count
        var next = t.end
        if !t.selfClosing { next = try item(from: t.end, into: &bytes) }
        try finishItem(from: start, bytes: &bytes, offsets: &offsets)
        return next
    }

    /// The content of one `<si>` from `p` (after its start tag) to after its `</si>`.
    private func item(from p: Int, into bytes: inout [UInt8]) throws -> Int {
        // Fast path: <t> or <t xml:space="preserve">, text without entities, </t></si>.
        var textStart = -1
        if matches(p, "<t>") { textStart = p + 3 }
        else if matches(p, "<t xml:space=\"preserve\">") { textStart = p + 24 }
        if textStart >= 0, let end = find(0x3C, textStart, frameEnd), matches(end, "</t></si>"),
           find(0x26, textStart, end) == nil {
            try append(textStart, end, into: &bytes)
            return end + 9
        }
        // General path: every <t> outside <rPh>, in order.
        var i = p
        var inText = false, inPhonetic = false
        while true {
            guard let lt = find(0x3C, i, frameEnd) else { throw fail("unterminated shared string") }
            if inText && !inPhonetic && lt > i {
                decoded.removeAll(keepingCapacity: true)
                try XMLScanner.decodeEntities(UnsafeBufferPointer(start: buffer + i, count: lt - i), into: &decoded, part: partName)
                try decoded.withUnsafeBufferPointer { try append($0, into: &bytes) }
            }
            if matches(lt, "<![CDATA[") {
                let after = try skipPast(lt + 9, "]]>", "CDATA section")
                if inText && !inPhonetic { try append(lt + 9, after - 3, into: &bytes) }
                i = after
                continue
            }
            if let next = try special(at: lt) { i = next; continue }
            let t = try tag(at: lt)
            i = t.end
            if named(t, "si") {
                if t.closing { return t.end }
            } else if named(t, "t") {
                inText = !t.closing && !t.selfClosing
            } else if named(t, "rPh") {
                inPhonetic = !t.closing && !t.selfClosing
            }
        }
    }

    private func append(_ s: Int, _ e: Int, into bytes: inout [UInt8]) throws {
        try append(UnsafeBufferPointer(start: buffer + s, count: e - s), into: &bytes)
    }

    private func append(_ text: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) throws {
        guard let base = text.baseAddress, text.count > 0 else { return }
        validator.feed(base, text.count)
        guard validator.valid else { throw fail("shared strings are not valid UTF-8") }
        bytes.append(contentsOf: text)
        if bytes.count > maxBytes {
            throw TableIOError.limitExceeded("Not a valid XLSX file: shared strings exceed \(maxBytes >> 20) MiB")
        }
    }

    /// Decodes `_xHHHH_` escapes in the item that starts at `start` and records its end.
    private func finishItem(from start: Int, bytes: inout [UInt8], offsets: inout [UInt32]) throws {
        let hasEscape = bytes[start...].withUnsafeBufferPointer { ExcelEscapes.mayContainEscape($0) }
        if hasEscape {
            decoded.removeAll(keepingCapacity: true)
            bytes[start...].withUnsafeBufferPointer { ExcelEscapes.decode($0, into: &decoded) }
            bytes.replaceSubrange(start..., with: decoded)
        }
        offsets.append(UInt32(bytes.count))
    }
}
