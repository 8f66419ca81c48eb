/// A Python `re.sub` replacement string, parsed once: literal bytes and group references.
struct ReplacementTemplate {
    enum Piece {
        case literal([UInt8])
        case group(Int)
    }

    private(set) var pieces: [Piece] = []

    init(_ template: String, regex: Regex) throws(OperationFailure) {
        let b = Array(template.utf8)
        var literal: [UInt8] = []
        var i = 0
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
        }
        func bad(_ why: String) -> OperationFailure {
            .invalidArgument("Invalid replacement '\(template)' for regular expression '\(regex.pattern)': \(why)")
        }
        while i < b.count {
            guard b[i] == 0x5C else { literal.append(b[i]); i += 1; continue }
            guard i + 1 < b.count else { throw bad("a trailing backslash") }
            let c = b[i + 1]
            i += 2
            switch c {
            case 0x30...0x39:
                // \N or \NN (Python reads at most two digits); \0 is an octal escape in Python: refuse it plainly.
                var n = Int(c - 0x30)
                if i < b.count, b[i] >= 0x30, b[i] <= 0x39 { n = n * 10 + Int(b[i] - 0x30); i += 1 }
                guard n >= 1, n <= regex.captureCount else { throw bad("invalid group reference \(n)") }
                flush()
                pieces.append(.group(n))
            case 0x67: // \g<…>
                guard i < b.count, b[i] == 0x3C, let close = b[i...].firstIndex(of: 0x3E) else { throw bad("missing < or > after \\g") }
                let name = String(decoding: b[(i + 1)..<close], as: UTF8.self)
                i = close + 1
                let n: Int
                if let v = Int(name), v >= 0 { n = v } else if let v = regex.groupNumber(named: name) { n = v } else {
                    throw bad("unknown group name '\(name)'")
                }
                guard n <= regex.captureCount else { throw bad("invalid group reference \(n)") }
                flush()
                pieces.append(.group(n))
            case 0x5C: literal.append(0x5C)
            case 0x6E: literal.append(0x0A)
            case 0x74: literal.append(0x09)
            case 0x72: literal.append(0x0D)
            case 0x66: literal.append(0x0C)
            case 0x76: literal.append(0x0B)
            case 0x61: literal.append(0x07)
            case 0x62: literal.append(0x08)
            default:
                // Python 3.7+ refuses unknown escapes of ASCII letters and keeps the others as written.
                if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A { throw bad("bad escape \\\(Character(UnicodeScalar(c)))") }
                literal.append(0x5C)
                literal.append(c)
            }
        }
        flush()
    }

    /// Appends the replacement for one match (`ovector` holds start/end pairs; unset groups are PCRE2_UNSET).
    func append(to out: inout [UInt8], subject: UnsafeBufferPointer<UInt8>, ovector: UnsafeMutablePointer<Int>, groups: Int) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .group(let n):
                let s = ovector[2 * n], e = ovector[2 * n + 1]
                guard n <= groups, s >= 0, e >= s, e <= subject.count else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: subject[s..<e]))
            }
        }
    }
}
