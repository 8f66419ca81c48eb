/// Serializes `JSONValue` to UTF-8 text.
public enum JSONSerializer {
    public struct Options: Sendable {
        /// Sort object keys (the original's envelope did).
        public var sortKeys = false
        /// Indentation width; 0 = compact.
        public var indent = 0
        /// Escape non-ASCII as `\uXXXX`.
        public var asciiOnly = false
        public init(sortKeys: Bool = false, indent: Int = 0, asciiOnly: Bool = false) {
            self.sortKeys = sortKeys
            self.indent = indent
            self.asciiOnly = asciiOnly
        }
    }

    public static func bytes(_ value: JSONValue, options: Options = Options()) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out, options: options, level: 0)
        return out
    }

    public static func string(_ value: JSONValue, options: Options = Options()) -> String {
        String(decoding: bytes(value, options: options), as: UTF8.self)
    }

    private static func newline(_ out: inout [UInt8], _ options: Options, _ level: Int) {
        guard options.indent > 0 else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: options.indent * level))
    }

    static func write(_ v: JSONValue, to out: inout [UInt8], options: Options, level: Int) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite { out.append(contentsOf: (d == d.rounded() && abs(d) < 1e15 ? "\(Int64(d)).0" : "\(d)").utf8) }
            else { out.append(contentsOf: "null".utf8) }
        case .string(let s): writeString(s, to: &out, asciiOnly: options.asciiOnly)
        case .array(let items):
            out.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x2C); if options.indent == 0 { out.append(0x20) } }
                newline(&out, options, level + 1)
                write(item, to: &out, options: options, level: level + 1)
            }
            if !items.isEmpty { newline(&out, options, level) }
            out.append(0x5D)
        case .object(let members):
            let ordered = options.sortKeys ? members.sorted { $0.0 < $1.0 } : members
            out.append(0x7B)
            for (k, (key, item)) in ordered.enumerated() {
                if k > 0 { out.append(0x2C); if options.indent == 0 { out.append(0x20) } }
                newline(&out, options, level + 1)
                writeString(key, to: &out, asciiOnly: options.asciiOnly)
                out.append(0x3A); out.append(0x20)
                write(item, to: &out, options: options, level: level + 1)
            }
            if !ordered.isEmpty { newline(&out, options, level) }
            out.append(0x7D)
        }
    }

    public static func writeString(_ s: String, to out: inout [UInt8], asciiOnly: Bool = false) {
        out.append(0x22)
        if !asciiOnly {
            var s = s
            s.withUTF8 { appendEscaped($0, to: &out) }
            out.append(0x22)
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            default:
                if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
                    if u.value > 0xFFFF {
                        let v = u.value - 0x10000
                        appendEscape(0xD800 + (v >> 10), to: &out)
                        appendEscape(0xDC00 + (v & 0x3FF), to: &out)
                    } else {
                        appendEscape(u.value, to: &out)
                    }
                } else {
                    out.append(contentsOf: String(u).utf8)
                }
            }
        }
        out.append(0x22)
    }

    /// Appends UTF-8 bytes escaped for the inside of a JSON string (no quotes), as Python's
    /// `json.dumps(ensure_ascii=False)` does: `"`, `\\` and control characters escaped (`\n \r \t \b \f`, else
    /// `\u00XX`); everything else, non-ASCII included, copied in runs.
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b == 0x22 || b == 0x5C || b < 0x20 else { continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            start = i + 1
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            case 0x08: out.append(0x62)
            case 0x0C: out.append(0x66)
            default:
                out.append(0x75); out.append(0x30); out.append(0x30)
                out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0xF)])
            }
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscape(_ v: UInt32, to out: inout [UInt8]) {
        let hex = String(v, radix: 16)
        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
    }
}
