/// `type; key=value; key="quoted value"` headers (Content-Disposition, Content-Type): the lower-cased type and
/// parameters (lower-cased keys; the first of a repeated key wins).
///
/// Quoted strings follow what browsers send (WHATWG HTML): `"` inside a file name is sent as `%22`, and a backslash
/// is not an escape (old browsers send `C:\dir\a.csv`), so only `\"` and `\\` are unescaped.
enum HeaderParameters {
    /// The boundary of a `multipart/form-data` Content-Type, or nil when the type is different or has none.
    static func multipartBoundary(contentType: String) -> String? {
        guard let (type, params) = try? parse(Array(contentType.utf8)), type == "multipart/form-data",
              let boundary = params["boundary"], !boundary.isEmpty else { return nil }
        return boundary
    }

    static func parse(_ s: [UInt8]) throws(MultipartError) -> (type: String, parameters: [String: String]) {
        var i = 0
        let n = s.count
        func skipSpace() { while i < n, s[i] == 0x20 || s[i] == 0x09 { i += 1 } }
        skipSpace()
        let typeStart = i
        while i < n, s[i] != 0x3B { i += 1 }
        let type = trimmed(s[typeStart..<i]).lowercased()
        var params: [String: String] = [:]
        while i < n {
            i += 1 // the ';'
            skipSpace()
            let keyStart = i
            while i < n, s[i] != 0x3D, s[i] != 0x3B { i += 1 }
            let key = trimmed(s[keyStart..<i]).lowercased()
            guard i < n, s[i] == 0x3D else { continue } // a bare word: ignored
            i += 1
            skipSpace()
            var value: [UInt8] = []
            if i < n, s[i] == 0x22 {
                i += 1
                var closed = false
                while i < n {
                    let b = s[i]
                    if b == 0x22 { closed = true; i += 1; break }
                    if b == 0x5C, i + 1 < n, s[i + 1] == 0x22 || s[i + 1] == 0x5C { i += 1 }
                    value.append(s[i])
                    i += 1
                }
                guard closed else { throw .malformed("unterminated quoted string in a part header") }
                skipSpace()
                guard i == n || s[i] == 0x3B else { throw .malformed("unexpected text after a quoted header parameter") }
            } else {
                let start = i
                while i < n, s[i] != 0x3B { i += 1 }
                value = Array(trimmed(s[start..<i]).utf8)
            }
            if !key.isEmpty, params[key] == nil { params[key] = String(decoding: value, as: UTF8.self) }
        }
        return (type, params)
    }

    /// RFC 5987 `charset'language'percent-encoded` → text (UTF-8 or ISO-8859-1), nil if it is not well formed.
    static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        guard charset == "utf-8" || charset == "iso-8859-1" else { return nil }
        var bytes: [UInt8] = []
        var it = Array(pieces[2].utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25 {
                guard let h = it.popFirst().flatMap(hexValue), let l = it.popFirst().flatMap(hexValue) else { return nil }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(b)
            }
        }
        if charset == "utf-8" { return String(decoding: bytes, as: UTF8.self) }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    private static func trimmed(_ s: ArraySlice<UInt8>) -> String {
        var a = s.startIndex
        var b = s.endIndex
        while a < b, s[a] == 0x20 || s[a] == 0x09 { a += 1 }
        while b > a, s[b - 1] == 0x20 || s[b - 1] == 0x09 { b -= 1 }
        return String(decoding: s[a..<b], as: UTF8.self)
    }
}
