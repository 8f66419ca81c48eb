/// The checked headers of one part: every header line, plus the `Content-Disposition: form-data` parameters RFC 7578
/// requires (`name`) and allows (`filename`, or its RFC 5987 form `filename*=UTF-8''…`, which wins).
public struct MultipartPartHeaders: Sendable, Equatable {
    /// Header lines in order; names lower-cased, values trimmed and decoded as UTF-8 (invalid bytes replaced).
    public let fields: [Field]
    /// The form field name (may be empty).
    public let name: String
    /// The client's file name when the part is a file (present, possibly empty), else nil.
    public let filename: String?

    public struct Field: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    init(lines: [(String, String)]) throws(MultipartError) {
        fields = lines.map { Field(name: $0.0, value: $0.1) }
        guard let disposition = lines.first(where: { $0.0 == "content-disposition" })?.1 else {
            throw .malformed("a part has no Content-Disposition header")
        }
        let (type, params) = try HeaderParameters.parse(Array(disposition.utf8))
        guard type == "form-data" else { throw .malformed("a part's Content-Disposition is not form-data") }
        guard let name = params["name"] else { throw .malformed("a part's Content-Disposition has no name") }
        self.name = name
        if let extended = params["filename*"], let decoded = HeaderParameters.decodeExtended(extended) {
            filename = decoded
        } else {
            filename = params["filename"]
        }
    }

    /// `Name: value` → (lower-cased name, trimmed value). Names are RFC 9110 tokens; values may hold any byte but
    /// controls (other than tab), so a NUL or a stray CR is refused rather than passed on.
    static func parseLine(_ line: [UInt8]) throws(MultipartError) -> (String, String) {
        guard let colon = line.firstIndex(of: 0x3A), colon > 0 else {
            throw .malformed("a part header line has no name")
        }
        for b in line[..<colon] where !isTokenByte(b) {
            throw .malformed("a part header name contains an invalid character (0x\(String(b, radix: 16)))")
        }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        for b in line[start..<end] where (b < 0x20 && b != 0x09) || b == 0x7F {
            throw .malformed("a part header contains a control character (0x\(String(b, radix: 16)))")
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        return (name, String(decoding: line[start..<end], as: UTF8.self))
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }
}
