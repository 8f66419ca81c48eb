import Foundation

/// File-name sanitising, a port of werkzeug's `secure_filename` that the original used everywhere (so clients see
/// the same stored names): NFKD + ASCII only, path separators to spaces, whitespace runs to `_`, only
/// `[A-Za-z0-9_.-]` kept, leading/trailing `.`/`_` stripped. An empty result means "no usable name".
public enum SecureFilename {
    public static func sanitize(_ name: String) -> String {
        let decomposed = name.decomposedStringWithCompatibilityMapping
        var ascii = String(decomposed.unicodeScalars.filter { $0.isASCII }.map(Character.init))
        ascii = ascii.replacingOccurrences(of: "/", with: " ").replacingOccurrences(of: "\\", with: " ")
        let words = ascii.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        let joined = words.joined(separator: "_")
        let kept = joined.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
        var result = Substring(kept)
        while let f = result.first, f == "." || f == "_" { result.removeFirst() }
        while let l = result.last, l == "." || l == "_" { result.removeLast() }
        return String(result)
    }

    /// True when a client-supplied name tries to leave its folder: a `..` segment (with `/` or `\\`), or, when
    /// `allowSeparators` is false, any path separator at all.
    public static func isTraversal(_ name: String, allowSeparators: Bool) -> Bool {
        if !allowSeparators && (name.contains("/") || name.contains("\\")) { return true }
        let segments = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
        return segments.contains { $0 == ".." } || name.hasPrefix("/")
    }

    /// A client's upload file name, sanitised; a `..` segment is refused with 400 (a full Windows path is not).
    /// The result may be empty (a name made only of characters that are dropped); callers decide what that means.
    public static func uploadName(_ clientName: String) throws(RequestError) -> String {
        if isTraversal(clientName, allowSeparators: true) { throw RequestError.badRequest("Invalid file name: \(clientName)") }
        return sanitize(clientName)
    }

    /// A file name taken from a URL path segment (percent-decoded): any separator or `..` → 400, and so is a name
    /// that sanitises to nothing.
    public static func downloadName(_ rawSegment: String) throws(RequestError) -> String {
        let decoded = rawSegment.removingPercentEncoding ?? rawSegment
        if isTraversal(decoded, allowSeparators: false) { throw RequestError.badRequest("Invalid file path") }
        let name = sanitize(decoded)
        guard !name.isEmpty else { throw RequestError.badRequest("Invalid file path") }
        return name
    }

    /// The name without its last extension (`a.b.csv` → `a.b`).
    public static func baseName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The lower-cased extension with its dot (`.xlsx`), or "".
    public static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[dot...].lowercased()
    }
}
