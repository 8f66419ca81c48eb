import PluginKit

/// The text family: `uppercase`, `lowercase`, `title_case`, `trim_whitespace`, `email_format`, `name_format`.
///
/// Text types change text cells only: numbers, booleans and dates are left alone (an XLSX number is not text to
/// upper-case) unless the item asks for it with the parameter `convert_non_text: true`, which turns such cells into
/// their canonical text first. Empty cells stay empty.
class TextNormalizer: ColumnNormalizer {
    let convertNonText: Bool

    init(convertNonText: Bool) { self.convertNonText = convertNonText }

    func transform(_ s: String) throws(OperationFailure) -> String { s }

    override func apply(_ value: CellValue) throws(OperationFailure) -> CellValue {
        switch value {
        case .null: return .null
        case .text(let s): return .text(try transform(s))
        default: return convertNonText ? .text(try transform(value.text)) : value
        }
    }
}

final class CaseNormalizer: TextNormalizer {
    enum Style { case upper, lower, title, trim, email, name }
    let style: Style

    init(_ style: Style, convertNonText: Bool) {
        self.style = style
        super.init(convertNonText: convertNonText)
    }

    override func transform(_ s: String) -> String {
        switch style {
        case .upper: return s.uppercased()
        case .lower: return s.lowercased()
        case .title: return TextCase.title(s)
        case .trim: return TextCase.trimmed(s)
        case .email: return TextCase.trimmed(s.lowercased())
        case .name: return TextCase.trimmed(TextCase.title(s))
        }
    }
}

enum TextCase {
    /// Python's `str.title()`: a cased letter after an uncased character is upper-cased (title-cased), every other
    /// cased letter lower-cased (`o'brien` → `O'Brien`, `1st` → `1St`); spaces are kept.
    static func title(_ s: String) -> String {
        if let ascii = asciiTitle(s) { return ascii }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var previousCased = false
        for ch in s {
            let cased = ch.isCased
            if cased {
                out += previousCased ? ch.lowercased() : ch.titlecased
            } else {
                out.append(ch)
            }
            previousCased = cased
        }
        return out
    }

    /// `title` for ASCII text, byte by byte (Unicode property lookups per character dominated the chain's time);
    /// nil when the text has non-ASCII bytes.
    static func asciiTitle(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { bytes -> String? in
            var out = [UInt8](repeating: 0, count: bytes.count)
            var previousCased = false
            for (i, b) in bytes.enumerated() {
                guard b < 0x80 else { return nil }
                let isUpper = b >= 0x41 && b <= 0x5A, isLower = b >= 0x61 && b <= 0x7A
                let cased = isUpper || isLower
                if cased && previousCased && isUpper { out[i] = b + 0x20 } else if cased && !previousCased && isLower { out[i] = b - 0x20 } else { out[i] = b }
                previousCased = cased
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Leading and trailing whitespace removed (Unicode whitespace, as Python's `str.strip()`).
    static func trimmed(_ s: String) -> String {
        // ASCII ends (nearly always): whitespace there is \t \n \v \f \r and space; the middle may hold anything.
        var s = s
        let ascii = s.withUTF8 { bytes -> (Int, Int)? in
            guard let f = bytes.first, let l = bytes.last, f < 0x80, l < 0x80 else { return nil }
            func space(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            var start = 0, end = bytes.count
            while start < end && space(bytes[start]) { start += 1 }
            while end > start && space(bytes[end - 1]) { end -= 1 }
            // A non-ASCII byte now at either end may be Unicode whitespace (U+00A0, U+3000…): the general path.
            if start < end && (bytes[start] >= 0x80 || bytes[end - 1] >= 0x80) { return nil }
            return (start, end)
        }
        if let (start, end) = ascii {
            if start == 0 && end == s.utf8.count { return s }
            return s.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
        }
        guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        guard let last = s.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(s[first...last])
    }
}

extension Character {
    /// Has case (upper, lower or title), as Python's notion of a cased character.
    var isCased: Bool { isUppercase || isLowercase || (isLetter && uppercased() != lowercased()) }

    /// Title case of a single character (`ǆ` → `ǅ`); upper case for everything that has no distinct title form.
    var titlecased: String {
        let scalars = unicodeScalars
        if scalars.count == 1, let t = scalars.first?.properties.titlecaseMapping { return t }
        return uppercased()
    }
}
