/// A source of bytes for the scanner (a zip entry, or memory in tests).
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes; 0 means the end.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int
}

extension ZipEntryStream: ByteSource {}

/// In-memory byte source.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, bytes.count - position)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        }
        position += n
        return n
    }
}

/// A minimal, streaming, non-validating XML pull scanner for the parts of an XLSX package.
///
/// It works on bytes in a sliding buffer (no DOM, no Foundation `XMLParser`), and is deliberately strict about what
/// it refuses: any `<!DOCTYPE`/`<!ENTITY` declaration (no entity expansion attacks), undefined entities, nesting deeper
/// than `maxDepth`, and any single token larger than `maxTokenBytes`. Names are compared by local name (a `x:` prefix
/// is ignored), which is how the real-world writers differ.
public final class XMLScanner {
    public enum Event: Equatable { case start, end, text, eof }

    private let source: any ByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pos = 0
    private var end = 0
    private var sourceDone = false
    private let maxTokenBytes: Int
    private let maxDepth: Int
    private let partName: String

    /// Current depth (open elements).
    public private(set) var depth = 0
    /// For `.start`: true when the tag was `<x/>` (no matching `.end` follows).
    public private(set) var selfClosing = false
    /// For `.text`: true for CDATA (no entity decoding needed).
    public private(set) var isCDATA = false
    private var nameStart = 0, nameEnd = 0
    private var tagStart = 0, tagEnd = 0
    private var textStart = 0, textEnd = 0
    private var pendingEnd = false

    public init(source: any ByteSource, partName: String, maxTokenBytes: Int = 32 << 20, maxDepth: Int = 256) {
        self.source = source
        self.partName = partName
        self.maxTokenBytes = maxTokenBytes
        self.maxDepth = maxDepth
        capacity = 1 << 18
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    private func fail(_ why: String) -> TableIOError {
        .badInput("Not a valid XLSX file: \(partName): \(why)")
    }

    /// Makes sure at least one more byte is available at `pos + offset`; compacts and grows as needed.
    /// Returns false when the source is exhausted.
    private func ensure(_ offset: Int, tokenStart: inout Int) throws -> Bool {
        while pos + offset >= end {
            if sourceDone { return false }
            // Compact: keep bytes from tokenStart.
            if tokenStart > 0 {
                let keep = end - tokenStart
                if keep > 0 { buffer.update(from: buffer + tokenStart, count: keep) }
                pos -= tokenStart
                end = keep
                tokenStart = 0
            }
            if end == capacity {
                guard capacity < maxTokenBytes else {
                    throw TableIOError.limitExceeded("Not a valid XLSX file: \(partName): a single XML token is larger than \(maxTokenBytes >> 20) MiB")
                }
                doubleCapacity(of: &buffer, capacity: &capacity, used: end)
            }
            let n = try source.read(into: buffer + end, count: capacity - end)
            if n == 0 { sourceDone = true } else { end += n }
        }
        return true
    }

    /// Advances to the next event. Declarations, processing instructions and comments are skipped.
    public func next() throws -> Event {
        if pendingEnd {
            pendingEnd = false
            depth -= 1
            return .end
        }
        while true {
            var tokenStart = pos
            guard try ensure(0, tokenStart: &tokenStart) else { return .eof }
            pos = tokenStart
            if buffer[pos] != 0x3C { // text up to the next '<'
                var i = 0
                while true {
                    guard try ensure(i, tokenStart: &tokenStart) else { break }
                    pos = tokenStart
                    if buffer[pos + i] == 0x3C { break }
                    i += 1
                }
                textStart = pos
                textEnd = pos + i
                pos += i
                isCDATA = false
                return .text
            }
            // Markup. Look at the next byte(s).
            guard try ensure(1, tokenStart: &tokenStart) else { throw fail("unexpected end of document") }
            pos = tokenStart
            let b1 = buffer[pos + 1]
            if b1 == 0x3F { // <? ... ?>
                try skip(until: [0x3F, 0x3E], tokenStart: &tokenStart)
                continue
            }
            if b1 == 0x21 { // <!
                if try matches("<!--", tokenStart: &tokenStart) {
                    try skip(until: Array("-->".utf8), tokenStart: &tokenStart)
                    continue
                }
                if try matches("<![CDATA[", tokenStart: &tokenStart) {
                    let contentStart = 9
                    var i = contentStart
                    while true {
                        guard try ensure(i + 2, tokenStart: &tokenStart) else { throw fail("unterminated CDATA section") }
                        pos = tokenStart
                        if buffer[pos + i] == 0x5D && buffer[pos + i + 1] == 0x5D && buffer[pos + i + 2] == 0x3E { break }
                        i += 1
                    }
                    textStart = pos + contentStart
                    textEnd = pos + i
                    pos += i + 3
                    isCDATA = true
                    return .text
                }
                throw fail("DOCTYPE and ENTITY declarations are not allowed")
            }
            // A start or end tag: scan to '>' outside quotes.
            var i = 1
            var quote: UInt8 = 0
            while true {
                guard try ensure(i, tokenStart: &tokenStart) else { throw fail("unexpected end of document inside a tag") }
                pos = tokenStart
                let b = buffer[pos + i]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3E {
                    break
                }
                i += 1
            }
            tagStart = pos
            tagEnd = pos + i + 1
            pos = tagEnd
            if b1 == 0x2F { // </name>
                nameStart = tagStart + 2
                nameEnd = nameStart
                while nameEnd < tagEnd - 1 && !isSpace(buffer[nameEnd]) && buffer[nameEnd] != 0x3E { nameEnd += 1 }
                depth -= 1
                if depth < 0 { throw fail("unbalanced end tag") }
                return .end
            }
            nameStart = tagStart + 1
            nameEnd = nameStart
            while nameEnd < tagEnd - 1 && !isSpace(buffer[nameEnd]) && buffer[nameEnd] != 0x2F && buffer[nameEnd] != 0x3E {
                nameEnd += 1
            }
            selfClosing = buffer[tagEnd - 2] == 0x2F
            depth += 1
            if depth > maxDepth { throw fail("elements nested deeper than \(maxDepth) levels") }
            if selfClosing { pendingEnd = true }
            return .start
        }
    }

    private func matches(_ literal: String, tokenStart: inout Int) throws -> Bool {
        let bytes = Array(literal.utf8)
        guard try ensure(bytes.count - 1, tokenStart: &tokenStart) else { return false }
        pos = tokenStart
        for (k, b) in bytes.enumerated() where buffer[pos + k] != b { return false }
        return true
    }

    private func skip(until terminator: [UInt8], tokenStart: inout Int) throws {
        var i = 2
        while true {
            guard try ensure(i + terminator.count - 1, tokenStart: &tokenStart) else { throw fail("unterminated markup") }
            pos = tokenStart
            var hit = true
            for (k, b) in terminator.enumerated() where buffer[pos + i + k] != b { hit = false; break }
            if hit { pos += i + terminator.count; return }
            i += 1
        }
    }

    @inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    // MARK: - Accessors for the current event

    /// True if the current tag's local name (prefix ignored) equals `name` (ASCII).
    public func nameIs(_ name: StaticString) -> Bool {
        var s = nameStart
        var i = nameStart
        while i < nameEnd { if buffer[i] == 0x3A { s = i + 1 }; i += 1 }
        let len = nameEnd - s
        guard len == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<len where buffer[s + k] != p[k] { return false }
        return true
    }

    /// The raw (undecoded) bytes of the current text event.
    public var rawText: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + textStart, count: textEnd - textStart)
    }

    /// Finds attribute `name` (matched by local name) in the current start tag; returns its raw value bytes.
    public func rawAttribute(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var i = nameEnd
        let limit = tagEnd - 1
        let want = name.utf8Start
        let wantLen = name.utf8CodeUnitCount
        while i < limit {
            while i < limit && (isSpace(buffer[i]) || buffer[i] == 0x2F) { i += 1 }
            if i >= limit { break }
            let aStart = i
            while i < limit && buffer[i] != 0x3D && !isSpace(buffer[i]) { i += 1 }
            let aEnd = i
            while i < limit && isSpace(buffer[i]) { i += 1 }
            guard i < limit, buffer[i] == 0x3D else { return nil }
            i += 1
            while i < limit && isSpace(buffer[i]) { i += 1 }
            guard i < limit else { return nil }
            let q = buffer[i]
            guard q == 0x22 || q == 0x27 else { return nil }
            i += 1
            let vStart = i
            while i < limit && buffer[i] != q { i += 1 }
            let vEnd = i
            i += 1
            var local = aStart
            for k in aStart..<aEnd where buffer[k] == 0x3A { local = k + 1 }
            if aEnd - local == wantLen {
                var same = true
                for k in 0..<wantLen where buffer[local + k] != want[k] { same = false; break }
                if same { return UnsafeBufferPointer(start: buffer + vStart, count: vEnd - vStart) }
            }
        }
        return nil
    }

    /// Attribute value decoded to a String (entities resolved).
    public func attribute(_ name: StaticString) throws -> String? {
        guard let raw = rawAttribute(name) else { return nil }
        var out: [UInt8] = []
        try XMLScanner.decodeEntities(raw, into: &out, part: partName)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decoded text of the current text event to `out`.
    public func appendText(to out: inout [UInt8]) throws {
        if isCDATA { out.append(contentsOf: rawText); return }
        try XMLScanner.decodeEntities(rawText, into: &out, part: partName)
    }

    /// Decodes the five predefined entities and numeric character references; anything else is refused.
    public static func decodeEntities(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], part: String) throws {
        guard let amp = raw.firstIndex(of: 0x26) else { out.append(contentsOf: raw); return }
        out.append(contentsOf: raw[..<amp])
        var i = amp
        while i < raw.count {
            let b = raw[i]
            if b != 0x26 { out.append(b); i += 1; continue }
            guard let semi = raw[i...].prefix(12).firstIndex(of: 0x3B) else {
                throw TableIOError.badInput("Not a valid XLSX file: \(part): bad entity reference")
            }
            let name = raw[(i + 1)..<semi]
            switch Array(name) {
            case Array("lt".utf8): out.append(0x3C)
            case Array("gt".utf8): out.append(0x3E)
            case Array("amp".utf8): out.append(0x26)
            case Array("quot".utf8): out.append(0x22)
            case Array("apos".utf8): out.append(0x27)
            default:
                guard name.first == 0x23 else {
                    throw TableIOError.badInput("Not a valid XLSX file: \(part): undefined entity '&\(String(decoding: name, as: UTF8.self));'")
                }
                var value: UInt32 = 0
                let digits = name.dropFirst()
                let hex = digits.first == 0x78 || digits.first == 0x58
                for d in hex ? digits.dropFirst() : digits {
                    let v: UInt32
                    switch d {
                    case 0x30...0x39: v = UInt32(d - 0x30)
                    case 0x61...0x66 where hex: v = UInt32(d - 0x61 + 10)
                    case 0x41...0x46 where hex: v = UInt32(d - 0x41 + 10)
                    default: throw TableIOError.badInput("Not a valid XLSX file: \(part): bad character reference")
                    }
                    value = value &* (hex ? 16 : 10) &+ v
                    if value > 0x10FFFF { break }
                }
                guard let scalar = Unicode.Scalar(value), value != 0 else {
                    throw TableIOError.badInput("Not a valid XLSX file: \(part): bad character reference")
                }
                out.append(contentsOf: String(Character(scalar)).utf8)
            }
            i = semi + 1
        }
    }
}
