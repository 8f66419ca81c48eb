/// The tokenizer and grammar behind `DateText.parse` (see there for the accepted forms).
struct DateScanner {
    enum Token: Equatable {
        case number(Int, digits: Int)
        case word(String)
        case separator(UInt8)
    }

    private var tokens: [Token] = []
    private var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var k = 0
        while k < bytes.count {
            let b = bytes[k]
            if b >= 0x30 && b <= 0x39 {
                var v = 0, n = 0
                while k < bytes.count, bytes[k] >= 0x30, bytes[k] <= 0x39 {
                    if n < 9 { v = v * 10 + Int(bytes[k] - 0x30) }
                    n += 1
                    k += 1
                }
                tokens.append(.number(v, digits: n))
            } else if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                var w = ""
                while k < bytes.count, (bytes[k] | 0x20) >= 0x61, (bytes[k] | 0x20) <= 0x7A {
                    w.unicodeScalars.append(UnicodeScalar(bytes[k] | 0x20))
                    k += 1
                }
                tokens.append(.word(w))
            } else if b == 0x20 || b == 0x09 {
                while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
                tokens.append(.separator(0x20))
            } else {
                tokens.append(.separator(b))
                k += 1
            }
        }
        while tokens.first == .separator(0x20) { tokens.removeFirst() }
        while tokens.last == .separator(0x20) { tokens.removeLast() }
    }

    mutating func parse() -> DateText.Parsed? {
        if let time = timeOnly() { return time }
        i = 0
        guard let (y, m, d) = datePart() else { return nil }
        if i == tokens.count {
            return DateText.seconds(year: y, month: m, day: d).map { ($0, 0x1) }
        }
        // A time follows after `T` or a space.
        guard tokens[i] == .word("t") || tokens[i] == .separator(0x20) else { return nil }
        i += 1
        guard let (h, mi, s, us) = timePart(), skipOffset(), i == tokens.count,
              let secs = DateText.seconds(year: y, month: m, day: d, hour: h, minute: mi, second: s, micros: us)
        else { return nil }
        return (secs, 0)
    }

    private mutating func timeOnly() -> DateText.Parsed? {
        i = 0
        guard let (h, m, s, us) = timePart(), i == tokens.count,
              let secs = DateText.seconds(year: 1970, month: 1, day: 1, hour: h, minute: m, second: s, micros: us)
        else { return nil }
        return (secs, 0x2)
    }

    // MARK: grammar

    private mutating func datePart() -> (Int, Int, Int)? {
        let start = i
        if let r = numericDate() { return r }
        i = start
        if let r = monthFirst() { return r }
        i = start
        return dayFirst()
    }

    /// `YYYY-MM-DD` (also `/`, `.`) or `DD/MM/YYYY` / `MM/DD/YYYY` (also `-`, `.`).
    private mutating func numericDate() -> (Int, Int, Int)? {
        guard case .number(let a, let ad)? = next(), case .separator(let s1)? = next(), [0x2D, 0x2F, 0x2E].contains(s1),
              case .number(let b, let bd)? = next(), bd <= 2, next() == .separator(s1),
              case .number(let c, let cd)? = next() else { return nil }
        if ad == 4 && cd <= 2 { return (a, b, c) }
        guard ad <= 2, cd == 4 else { return nil }
        return a > 12 ? (c, b, a) : (c, a, b)
    }

    /// `Jan 5, 2024`, `January 5 2024`.
    private mutating func monthFirst() -> (Int, Int, Int)? {
        guard let m = month(next()) else { return nil }
        skip(separators: [0x20, 0x2D])
        guard case .number(let d, let dd)? = next(), dd <= 2 else { return nil }
        skip(separators: [0x20, 0x2C, 0x2D])
        guard case .number(let y, 4)? = next() else { return nil }
        return (y, m, d)
    }

    /// `5 Jan 2024`, `05-Jan-2024`, `5 January, 2024`.
    private mutating func dayFirst() -> (Int, Int, Int)? {
        guard case .number(let d, let dd)? = next(), dd <= 2 else { return nil }
        skip(separators: [0x20, 0x2D])
        guard let m = month(next()) else { return nil }
        skip(separators: [0x20, 0x2C, 0x2D])
        guard case .number(let y, 4)? = next() else { return nil }
        return (y, m, d)
    }

    /// `HH:MM[:SS[.ffffff]]`.
    private mutating func timePart() -> (Int, Int, Int, Int)? {
        guard case .number(let h, let hd)? = next(), hd <= 2, next() == .separator(0x3A),
              case .number(let m, 2)? = next() else { return nil }
        var s = 0, micros = 0
        if peek() == .separator(0x3A) {
            i += 1
            guard case .number(let sv, 2)? = next() else { return nil }
            s = sv
            if peek() == .separator(0x2E) || peek() == .separator(0x2C) {
                i += 1
                guard case .number(let f, let fd)? = next(), fd >= 1 else { return nil }
                // `f` holds at most the first 9 digits; scale them to microseconds.
                let used = min(fd, 9)
                var v = f
                if used > 6 { for _ in 0..<(used - 6) { v /= 10 } } else { for _ in 0..<(6 - used) { v *= 10 } }
                micros = v
            }
        }
        return (h, m, s, micros)
    }

    /// `Z`, `±HH:MM`, `±HHMM`, `±HH` (accepted and ignored: cells are wall-clock values).
    private mutating func skipOffset() -> Bool {
        guard i < tokens.count else { return true }
        if tokens[i] == .word("z") { i += 1; return true }
        guard tokens[i] == .separator(0x2B) || tokens[i] == .separator(0x2D) else { return false }
        i += 1
        guard case .number(_, let d)? = next(), d == 2 || d == 4 else { return false }
        if d == 2, peek() == .separator(0x3A) {
            i += 1
            guard case .number(_, 2)? = next() else { return false }
        }
        return true
    }

    // MARK: helpers

    private func month(_ token: Token?) -> Int? {
        guard case .word(let w)? = token, w.count >= 3 else { return nil }
        if w == "sept" { return 9 }
        guard let idx = DateText.monthNames.firstIndex(where: { $0 == w || ($0.hasPrefix(w) && w.count == 3) })
        else { return nil }
        return idx + 1
    }

    private mutating func next() -> Token? {
        guard i < tokens.count else { return nil }
        defer { i += 1 }
        return tokens[i]
    }

    private func peek() -> Token? { i < tokens.count ? tokens[i] : nil }

    private mutating func skip(separators: [UInt8]) {
        while case .separator(let s)? = peek(), separators.contains(s) { i += 1 }
    }
}
