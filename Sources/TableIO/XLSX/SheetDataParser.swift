import PycelizeCore
#if canImport(Glibc)
import Glibc
#endif

/// The fast path for a worksheet part: a specialised scanner for `<sheetData>` that works on whole rows.
///
/// It keeps a sliding buffer of inflated XML and only parses up to the end of the last complete `</row>` in it
/// ("framing"), so the inner loops need no refill checks: they are `memchr` and pointer walks over a region known
/// to hold whole rows. Values are handed out as pointers into the buffer (no copy) unless they hold entities or
/// several inline runs, which are decoded into a scratch buffer.
///
/// Safety rules are the generic scanner's: `<!DOCTYPE`/`<!ENTITY` refused, undefined entities refused, unknown
/// elements may nest at most `maxDepth` deep, and a single row may not exceed `maxRowBytes`.
final class SheetDataParser {
    private let source: any ByteSource
    private let partName: String
    private let maxRowBytes: Int
    private let maxDepth = 256
    /// Inflated XML; `SheetDataParser+FastCell.swift` reads it too.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var length = 0        // valid bytes in buffer
    private var position = 0      // next byte to parse
    private var frameEnd = 0      // parse limit: just after the last complete row in the buffer
    private var sourceDone = false
    private var inSheetData = false
    private(set) var finished = false
    /// Last row number of `<dimension ref>`, if the sheet declared one (a hint only).
    private(set) var dimensionLastRow: Int?
    private var scratch: [UInt8] = []

    init(source: any ByteSource, partName: String, maxRowBytes: Int = 64 << 20) {
        self.source = source
        self.partName = partName
        self.maxRowBytes = maxRowBytes
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity + 1)
    }

    deinit { buffer.deallocate() }

    /// Stops reading ahead (if the source does); the parser must not be used afterwards.
    func close() { (source as? ReadAheadSource)?.close() }

    private func fail(_ why: String) -> TableIOError {
        .badInput("Not a valid XLSX file: \(partName): \(why)")
    }

    // MARK: - Buffering and framing

    /// Reads more input, keeping unparsed bytes, and recomputes the frame. Returns false at the end of the input.
    private func refill() throws -> Bool {
        if sourceDone { return false }
        if position > 0 {
            let keep = length - position
            if keep > 0 { buffer.update(from: buffer + position, count: keep) }
            length = keep
            frameEnd -= position
            position = 0
        }
        if length == capacity {
            guard capacity < maxRowBytes else {
                throw TableIOError.limitExceeded("Not a valid XLSX file: \(partName): a single row is larger than \(maxRowBytes >> 20) MiB")
            }
            doubleCapacity(of: &buffer, capacity: &capacity, used: length, slack: 1)
        }
        let n = try source.read(into: buffer + length, count: capacity - length)
        if n == 0 {
            sourceDone = true
            frameEnd = length
            return length > position
        }
        length += n
        // [position, length - n) was searched by the previous refill and holds no row end.
        frameEnd = SheetDataParser.lastRowEnd(buffer, from: position, to: length, newFrom: length - n) ?? position
        return true
    }

    /// Index just after the last `</row>` or `</prefix:row>` in [from, to) that ends at or after `newFrom`, or nil.
    static func lastRowEnd(_ b: UnsafeMutablePointer<UInt8>, from: Int, to: Int, newFrom: Int) -> Int? {
        lastClosingTagEnd(b, from: from, to: to, newFrom: newFrom, local: "row")
    }

    /// Index just after the last `</local>` or `</prefix:local>` in [from, to), or nil (the frame's end). Only tags
    /// whose `>` is at or after `newFrom` are looked for: the caller knows [from, newFrom) holds none (it was
    /// searched before more bytes arrived), so a huge row read in many steps is not rescanned each time.
    static func lastClosingTagEnd(_ b: UnsafeMutablePointer<UInt8>, from: Int, to: Int, newFrom: Int,
                                  local: StaticString) -> Int? {
        let w = local.utf8Start
        let n = local.utf8CodeUnitCount
        var i = to - n - 1 // where the name would start, with its '>' at i + n
        let lowest = max(from, newFrom - n)
        while i >= lowest {
            if b[i + n] == 0x3E && memcmp(b + i, w, n) == 0 {
                var j = i - 1
                if j >= from && b[j] == 0x3A { // prefix
                    j -= 1
                    while j >= from && b[j] != 0x2F && b[j] != 0x3C && b[j] != 0x3E { j -= 1 }
                }
                if j > from && b[j] == 0x2F && b[j - 1] == 0x3C { return i + n + 1 }
            }
            i -= 1
        }
        return nil
    }

    // MARK: - Small helpers over [p, e)

    @inline(__always) private func find(_ byte: UInt8, _ p: Int, _ e: Int) -> Int? {
        guard p < e, let hit = memchr(buffer + p, Int32(byte), e - p) else { return nil }
        return buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always) private func isNameEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x3E || c == 0x2F || c == 0x09 || c == 0x0A || c == 0x0D
    }

    /// Local name of the tag whose name starts at `p`: returns (start, end) without any `prefix:`.
    @inline(__always) private func localName(_ p: Int, _ e: Int) -> (Int, Int) {
        var s = p
        var i = p
        while i < e && !isNameEnd(buffer[i]) {
            if buffer[i] == 0x3A { s = i + 1 }
            i += 1
        }
        return (s, i)
    }

    @inline(__always) private func nameEquals(_ s: Int, _ n: Int, _ a: UInt8) -> Bool { n - s == 1 && buffer[s] == a }
    @inline(__always) private func nameEquals(_ s: Int, _ n: Int, _ a: UInt8, _ b: UInt8) -> Bool {
        n - s == 2 && buffer[s] == a && buffer[s + 1] == b
    }
    @inline(__always) private func nameEquals(_ s: Int, _ n: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        n - s == 3 && buffer[s] == a && buffer[s + 1] == b && buffer[s + 2] == c
    }
    private func nameEquals(_ s: Int, _ n: Int, _ word: StaticString) -> Bool {
        guard n - s == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<(n - s) where buffer[s + k] != w[k] { return false }
        return true
    }

    /// End of the tag starting at `p` (index of its `>`), honouring quoted attribute values.
    @inline(__always) private func tagEnd(_ p: Int, _ e: Int) throws -> Int {
        var i = p
        var quote: UInt8 = 0
        while i < e {
            let c = buffer[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x3E {
                return i
            } else if c == 0x22 || c == 0x27 {
                quote = c
            }
            i += 1
        }
        throw fail("unterminated tag")
    }

    /// The `r`, `t` and `s` attributes of a `<c …>` tag whose name ends at `p`, and the index of its `>`, in one
    /// pass: quoted values are skipped whole, so a `>` inside one does not end the tag (as in `tagEnd`).
    /// A specialised copy of `attribute(_:_:_:)`'s walk: sharing one walker (closure or iterator) measured 2–3%
    /// slower on the 200k-row read, and this runs for every cell.
    @inline(__always) private func cellTag(_ p: Int, _ e: Int) throws -> (gt: Int, r: (Int, Int)?, t: (Int, Int)?, s: (Int, Int)?) {
        var r: (Int, Int)?, t: (Int, Int)?, s: (Int, Int)?
        var i = p
        while i < e {
            let c = buffer[i]
            if c == 0x3E { return (i, r, t, s) }
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x2F { i += 1; continue }
            let ns = i
            while i < e && buffer[i] != 0x3D && buffer[i] != 0x20 && buffer[i] != 0x3E { i += 1 }
            let ne = i
            while i < e && buffer[i] != 0x22 && buffer[i] != 0x27 && buffer[i] != 0x3E { i += 1 }
            guard i < e else { break }
            if buffer[i] == 0x3E { return (i, r, t, s) } // a name without a value: ignored
            let q = buffer[i]
            let vs = i + 1
            var ve = vs
            while ve < e && buffer[ve] != q { ve += 1 }
            guard ve < e else { break }
            i = ve + 1
            var ls = ns
            if ne - ns > 1 { for k in ns..<ne where buffer[k] == 0x3A { ls = k + 1 } }
            if ne - ls == 1 {
                switch buffer[ls] {
                case 0x72: r = (vs, ve)
                case 0x74: t = (vs, ve)
                case 0x73: s = (vs, ve)
                default: break
                }
            }
        }
        throw fail("unterminated tag")
    }

    /// Index of the next '<' from p, if no '&' comes first (values are short: an inline scan beats memchr's call).
    @inline(__always) func plainValueEnd(_ p: Int, _ e: Int) -> Int? {
        var i = p
        // Eight bytes at a time: the lowest flagged byte is the first '<' or '&' (no byte loop after a hit).
        while i + 8 <= e {
            let w = WordScan.load(buffer + i)
            let mask = WordScan.equal(w, 0x3C) | WordScan.equal(w, 0x26)
            if mask != 0 {
                let k = i + WordScan.firstFlagged(mask)
                return buffer[k] == 0x3C ? k : nil
            }
            i += 8
        }
        while i < e {
            let c = buffer[i]
            if c == 0x3C { return i }
            if c == 0x26 { return nil }
            i += 1
        }
        return nil
    }

    /// Value of attribute `a` (a one- or more-letter local name) within tag bytes [p, gt).
    @inline(__always) private func attribute(_ p: Int, _ gt: Int, _ name: StaticString) -> (Int, Int)? {
        let w = name.utf8Start
        let wl = name.utf8CodeUnitCount
        var i = p
        while i < gt {
            // Skip to an attribute name.
            while i < gt && (buffer[i] == 0x20 || buffer[i] == 0x09 || buffer[i] == 0x0A || buffer[i] == 0x0D || buffer[i] == 0x2F) { i += 1 }
            let ns = i
            while i < gt && buffer[i] != 0x3D && buffer[i] != 0x20 { i += 1 }
            let ne = i
            while i < gt && buffer[i] != 0x22 && buffer[i] != 0x27 { i += 1 }
            guard i < gt else { return nil }
            let q = buffer[i]
            let vs = i + 1
            var ve = vs
            while ve < gt && buffer[ve] != q { ve += 1 }
            i = ve + 1
            var ls = ns
            for k in ns..<ne where buffer[k] == 0x3A { ls = k + 1 }
            if ne - ls == wl {
                var same = true
                for k in 0..<wl where buffer[ls + k] != w[k] { same = false; break }
                if same { return (vs, ve) }
            }
        }
        return nil
    }

    @inline(__always) func view(_ s: Int, _ e: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + s, count: e - s)
    }

    /// Skips `<!…>` and `<?…?>` markup at `p` (just after '<'); refuses declarations.
    private func skipSpecial(_ p: Int, _ e: Int) throws -> Int {
        if buffer[p] == 0x3F { // <? … ?>
            var i = p
            while i + 1 < e { if buffer[i] == 0x3F && buffer[i + 1] == 0x3E { return i + 2 }; i += 1 }
            throw fail("unterminated processing instruction")
        }
        if p + 2 < e && buffer[p + 1] == 0x2D && buffer[p + 2] == 0x2D { // <!-- … -->
            var i = p + 3
            while i + 2 < e { if buffer[i] == 0x2D && buffer[i + 1] == 0x2D && buffer[i + 2] == 0x3E { return i + 3 }; i += 1 }
            throw fail("unterminated comment")
        }
        throw fail("DOCTYPE and ENTITY declarations are not allowed")
    }

    // MARK: - Rows

    /// Parses the next row. For each cell with content, calls `onCell(column or -1, type byte, style, value)`:
    /// type is the first byte of `t` (`s`, `i`nlineStr, `b`, `e`, `d`, `S` for `str`) or 0 for numbers; the value
    /// bytes are decoded (entities resolved, inline runs joined) and valid only during the call.
    /// Returns the row's `r` (or -1 if absent), or nil at the end of the sheet data.
    func nextRow(_ onCell: (Int, UInt8, Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int? {
        if finished { return nil }
        while true {
            if position >= frameEnd {
                if try !refill() { finished = true; return nil }
                if position >= frameEnd && !sourceDone { continue }
            }
            let e = frameEnd
            if inSheetData, let (number, afterNumber) = fastRowNumber(at: position, e) {
                let gt = try tagEnd(afterNumber, e)
                position = gt + 1
                if buffer[gt - 1] != 0x2F { try parseCells(e, onCell) }
                return number
            }
            guard let lt = find(0x3C, position, e) else {
                position = e
                if sourceDone { finished = true; return nil }
                continue
            }
            var p = lt + 1
            guard p < e else { position = e; continue }
            if buffer[p] == 0x3F || buffer[p] == 0x21 {
                if buffer[p] == 0x21 && !inSheetData && p + 1 < e && (buffer[p + 1] == 0x44 || buffer[p + 1] == 0x45) {
                    throw fail("DOCTYPE and ENTITY declarations are not allowed")
                }
                position = try skipSpecial(p, e)
                continue
            }
            let closing = buffer[p] == 0x2F
            if closing { p += 1 }
            let (ns, ne) = localName(p, e)
            let gt = try tagEnd(ne, e)
            position = gt + 1
            let selfClosing = buffer[gt - 1] == 0x2F
            if closing {
                if nameEquals(ns, ne, "sheetData") { finished = true; return nil }
                continue
            }
            if !inSheetData {
                if nameEquals(ns, ne, "sheetData") {
                    inSheetData = true
                    if selfClosing { finished = true; return nil }
                } else if nameEquals(ns, ne, "dimension"), let (vs, ve) = attribute(ne, gt, "ref") {
                    var s = vs
                    for k in vs..<ve where buffer[k] == 0x3A { s = k + 1 }
                    dimensionLastRow = NumberParsing.row(ofReference: view(s, ve))
                }
                continue
            }
            guard nameEquals(ns, ne, 0x72, 0x6F, 0x77) else { // not <row>: skip the element
                if !selfClosing { try skipElement(from: position, e) }
                continue
            }
            var rowNumber = -1
            if let (vs, ve) = attribute(ne, gt, "r"), let n = NumberParsing.int64(view(vs, ve)) { rowNumber = Int(n) }
            if selfClosing { return rowNumber }
            try parseCells(e, onCell)
            return rowNumber
        }
    }

    /// Skips an unknown element (and everything inside it) starting after its start tag.
    private func skipElement(from start: Int, _ e: Int) throws {
        var depth = 1
        var p = start
        while depth > 0 {
            guard let lt = find(0x3C, p, e) else { throw fail("unterminated element") }
            var q = lt + 1
            guard q < e else { throw fail("unterminated element") }
            if buffer[q] == 0x21 || buffer[q] == 0x3F {
                if buffer[q] == 0x21 && q + 1 < e && buffer[q + 1] == 0x5B { // CDATA
                    var i = q
                    while i + 2 < e && !(buffer[i] == 0x5D && buffer[i + 1] == 0x5D && buffer[i + 2] == 0x3E) { i += 1 }
                    p = i + 3
                    continue
                }
                p = try skipSpecial(q, e)
                continue
            }
            let closing = buffer[q] == 0x2F
            if closing { q += 1 }
            let gt = try tagEnd(q, e)
            if closing { depth -= 1 } else if buffer[gt - 1] != 0x2F {
                depth += 1
                if depth > maxDepth { throw fail("elements nested deeper than \(maxDepth) levels") }
            }
            p = gt + 1
        }
        position = p
    }

    /// The next tag at or after `p`: whether it closes, its local name, and the index of its `>`.
    @inline(__always) private func nextTag(_ p: Int, _ e: Int, _ what: String) throws -> (closing: Bool, name: (Int, Int), gt: Int) {
        let (closing, name) = try nextTagName(p, e, what)
        return (closing, name, try tagEnd(name.1, e))
    }

    /// The next tag at or after `p`: whether it closes and its local name (the caller finds its end).
    @inline(__always) private func nextTagName(_ p: Int, _ e: Int, _ what: String) throws -> (closing: Bool, name: (Int, Int)) {
        guard let lt = find(0x3C, p, e) else { throw fail("unterminated \(what)") }
        var q = lt + 1
        guard q < e else { throw fail("unterminated \(what)") }
        let closing = buffer[q] == 0x2F
        if closing { q += 1 }
        return (closing, localName(q, e))
    }

    /// Parses the cells of a row up to its `</row>` (the frame guarantees it is present).
    private func parseCells(_ e: Int, _ onCell: (Int, UInt8, Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var p = position
        while true {
            if let cell = fastCell(at: p, e) {
                try onCell(cell.column, cell.type, cell.style, view(cell.valueStart, cell.valueEnd))
                p = cell.next
                continue
            }
            let (closing, (ns, ne)) = try nextTagName(p, e, "row")
            guard !closing, nameEquals(ns, ne, 0x63) else { // not <c>
                let gt = try tagEnd(ne, e)
                p = gt + 1
                if closing {
                    if nameEquals(ns, ne, 0x72, 0x6F, 0x77) { position = p; return }
                } else if buffer[gt - 1] != 0x2F {
                    position = p
                    try skipElement(from: p, e)
                    p = position
                }
                continue
            }
            // Shapes `fastCell` did not take (other attributes, whitespace, quotes, entities, runs, the frame's end).
            let attrs = try cellTag(ne, e)
            let gt = attrs.gt
            p = gt + 1
            var column = -1
            if let (vs, ve) = attrs.r { column = NumberParsing.column(ofReference: view(vs, ve)) ?? -2 }
            var type: UInt8 = 0
            if let (vs, ve) = attrs.t, ve > vs { type = (buffer[vs] == 0x73 && ve - vs == 3) ? 0x53 : buffer[vs] }
            if type == 0x6E { type = 0 } // t="n"
            var style = 0
            if let (vs, ve) = attrs.s, let s = NumberParsing.int64(view(vs, ve)) { style = Int(s) }
            if buffer[gt - 1] == 0x2F { try onCell(column, 0xFF, style, view(0, 0)); continue } // empty cell
            // Cell content up to </c>.
            scratch.removeAll(keepingCapacity: true)
            var direct: (Int, Int)?
            var runs = 0
            var sawInline = false
            var inInline = false
            var inPhonetic = false
            cell: while true {
                let (close2, (cs, ce), gt2) = try nextTag(p, e, "cell")
                p = gt2 + 1
                if close2 {
                    if nameEquals(cs, ce, 0x63) { break cell }
                    if nameEquals(cs, ce, 0x69, 0x73) { inInline = false }
                    if nameEquals(cs, ce, "rPh") { inPhonetic = false }
                    continue
                }
                if buffer[gt2 - 1] == 0x2F {
                    if nameEquals(cs, ce, 0x76) && direct == nil { direct = (p, p) } // <v/>
                    continue
                }
                if nameEquals(cs, ce, 0x76) || (inInline && !inPhonetic && nameEquals(cs, ce, 0x74)) {
                    // Text up to the next '<'.
                    guard let end = find(0x3C, p, e) else { throw fail("unterminated value") }
                    var textEnd = end
                    var textStart = p
                    if buffer[p] == 0x3C, p + 8 < e, buffer[p + 1] == 0x21, buffer[p + 2] == 0x5B { // CDATA
                        textStart = p + 9
                        var i = textStart
                        while i + 2 < e && !(buffer[i] == 0x5D && buffer[i + 1] == 0x5D && buffer[i + 2] == 0x3E) { i += 1 }
                        textEnd = i
                        p = i + 3
                        runs += 1
                        if runs == 1 && direct == nil { direct = (textStart, textEnd) } else { flush(&direct); scratch.append(contentsOf: view(textStart, textEnd)) }
                        continue
                    }
                    p = end
                    runs += 1
                    if runs == 1 && direct == nil && find(0x26, textStart, textEnd) == nil {
                        direct = (textStart, textEnd)
                    } else {
                        flush(&direct)
                        try XMLScanner.decodeEntities(view(textStart, textEnd), into: &scratch, part: partName)
                    }
                    textStart = textEnd
                } else if nameEquals(cs, ce, 0x69, 0x73) {
                    inInline = true
                    sawInline = true
                } else if nameEquals(cs, ce, "rPh") {
                    inPhonetic = true
                } else if nameEquals(cs, ce, 0x66) || !(nameEquals(cs, ce, 0x72) || nameEquals(cs, ce, 0x74)) {
                    // <f>…</f> and unknown elements are skipped; rich-text runs <r> are entered.
                    position = p
                    try skipElement(from: p, e)
                    p = position
                }
            }
            if let (s, t) = direct {
                try onCell(column, type, style, view(s, t))
            } else if runs > 0 {
                try scratch.withUnsafeBufferPointer { try onCell(column, type, style, $0) }
            } else if sawInline {
                try onCell(column, type, style, view(p, p)) // <is></is>: an empty string
            } else {
                try onCell(column, 0xFF, style, view(0, 0)) // no value
            }
        }
    }

    /// Moves a pending direct value into the scratch buffer (before appending a second run).
    @inline(__always) private func flush(_ direct: inout (Int, Int)?) {
        if let (s, t) = direct {
            scratch.append(contentsOf: view(s, t))
            direct = nil
        }
    }
}
