extension SheetDataParser {
    /// Little-endian words of the literals the fast path compares in one load each (`SheetDataParserTests` checks
    /// them against the text).
    enum Literal {
        static let closeValueCell: UInt64 = 0x3E63_2F3C_3E76_2F3C // "</v></c>"
        static let closeInlineHead: UInt64 = 0x7369_2F3C_3E74_2F3C // "</t></is"
        static let closeInlineTail: UInt64 = 0x3E63_2F3C_3E73_692F // "/is></c>" (bytes 5..<13 of "</t></is></c>")
        static let openInline: UInt64 = 0x00_3E74_3C3E_7369_3C // "<is><t>" (seven bytes, the eighth masked off)
        static let openValue: UInt32 = 0x00_3E76_3C // "<v>" (three bytes, the fourth masked off)
        static let attributeR: UInt32 = 0x223D_7220 // ` r="`
        static let attributeT: UInt32 = 0x223D_7420 // ` t="`
        static let attributeS: UInt32 = 0x223D_7320 // ` s="`
        static let inlineStr: UInt64 = 0x7453_656E_696C_6E69 // "inlineSt"
        static let openRow: UInt64 = 0x223D_7220_776F_723C // `<row r="`
    }

    /// The number of a row whose start tag begins `<row r="123"` at `p` (as every writer emits it), and the index
    /// just after that number's closing quote; nil for anything else (the general path then reads the tag).
    @inline(__always)
    func fastRowNumber(at p: Int, _ e: Int) -> (number: Int, next: Int)? {
        guard p + 16 <= e, word64(p) == Literal.openRow else { return nil }
        return quotedNumber(at: p + 8, e)
    }

    /// `1` to `999999999` followed by `"` at `p`: the number and the index after the quote (nil for anything else,
    /// so longer numbers, signs and spaces are the general path's).
    @inline(__always)
    private func quotedNumber(at p: Int, _ e: Int) -> (number: Int, next: Int)? {
        var i = p
        var number = 0
        while i < e && buffer[i] &- 0x30 < 10 && i - p < 9 {
            number = number * 10 + Int(buffer[i] &- 0x30)
            i += 1
        }
        guard i > p && i < e && buffer[i] == 0x22 else { return nil }
        return (number, i + 1)
    }

    /// A cell matched by `fastCell`: what `nextRow` reports for it, and the index just after it.
    struct FastCell {
        var next: Int
        var column: Int
        var type: UInt8
        var style: Int
        var valueStart: Int
        var valueEnd: Int
    }

    @inline(__always) func word64(_ i: Int) -> UInt64 {
        UnsafeRawPointer(buffer + i).loadUnaligned(as: UInt64.self)
    }

    @inline(__always) private func word32(_ i: Int) -> UInt32 {
        UnsafeRawPointer(buffer + i).loadUnaligned(as: UInt32.self)
    }

    /// The cell shape nearly every writer emits, matched literally in one walk: `<c`, then optional ` r="A1"`,
    /// ` t="…"` and ` s="7"` in that order, then `/>`, or `>` followed by `<v>…</v></c>` or
    /// `<is><t>…</t></is></c>` with a value free of `<` and `&`. Reports the cell exactly as the general path would
    /// and where it ends; for anything else returns nil, and the general path
    /// parses the cell from `p`. This is the read's hottest loop: it avoids the general path's tag-name search, its
    /// second walk over the reference, and byte-by-byte literal compares.
    /// It takes no callback: a closure passed down here was specialised into a separate function that retained the
    /// closure's captures on every cell (15% of the read).
    @inline(__always)
    func fastCell(at p: Int, _ e: Int) -> FastCell? {
        let b = buffer
        // 24 bytes cover the tag's fixed parts and the longest literal load; shorter tails take the general path.
        guard p + 24 <= e, b[p] == 0x3C, b[p + 1] == 0x63 else { return nil }
        var i = p + 2
        var column = -1
        if word32(i) == Literal.attributeR {
            i += 4
            var col = 0
            var letters = 0
            while i < e && b[i] &- 0x41 < 26 && letters < 4 { // a fourth letter is refused below (no overflow)
                col = col * 26 + Int(b[i] &- 0x40)
                letters += 1
                i += 1
            }
            guard letters > 0 && letters <= 3 else { return nil }
            while i < e && b[i] &- 0x30 < 10 { i += 1 }
            guard i < e && b[i] == 0x22 else { return nil }
            i += 1
            column = col - 1
        }
        var type: UInt8 = 0
        if i + 4 < e && word32(i) == Literal.attributeT {
            let vs = i + 4
            var k = vs
            if vs + 10 <= e && word64(vs) == Literal.inlineStr && b[vs + 8] == 0x72 && b[vs + 9] == 0x22 {
                k = vs + 9 // `inlineStr"`, the commonest value, in one compare
            } else if vs + 1 < e && b[vs] &- 0x61 < 26 && b[vs + 1] == 0x22 {
                k = vs + 1 // one letter: `n`, `s`, `b`, `e`, `d`
            } else {
                while k < e && b[k] != 0x22 {
                    if b[k] == 0x3E { return nil }
                    k += 1
                }
                guard k < e else { return nil }
            }
            if k > vs { type = (b[vs] == 0x73 && k - vs == 3) ? 0x53 : b[vs] }
            if type == 0x6E { type = 0 } // t="n"
            i = k + 1
        }
        var style = 0
        if i + 4 < e && word32(i) == Literal.attributeS {
            guard let (number, next) = quotedNumber(at: i + 4, e) else { return nil }
            style = number
            i = next
        }
        guard i + 8 <= e else { return nil }
        if b[i] == 0x2F && b[i + 1] == 0x3E { // <c …/>: no value
            return FastCell(next: i + 2, column: column, type: 0xFF, style: style, valueStart: 0, valueEnd: 0)
        }
        guard b[i] == 0x3E else { return nil }
        i += 1
        if word32(i) & 0x00FF_FFFF == Literal.openValue {
            guard let end = plainValueEnd(i + 3, e), end + 8 <= e, word64(end) == Literal.closeValueCell else { return nil }
            return FastCell(next: end + 8, column: column, type: type, style: style, valueStart: i + 3, valueEnd: end)
        }
        if i + 8 <= e && word64(i) & 0x00FF_FFFF_FFFF_FFFF == Literal.openInline {
            guard let end = plainValueEnd(i + 7, e), end + 13 <= e, word64(end) == Literal.closeInlineHead,
                  word64(end + 5) == Literal.closeInlineTail else { return nil }
            return FastCell(next: end + 13, column: column, type: type, style: style, valueStart: i + 7, valueEnd: end)
        }
        return nil
    }
}
