import PluginKit

/// The pattern family: `remove_special_chars`, `regex_replace` (PCRE2 through PluginKit `Regex`, Python-style
/// `\1` replacement templates) and `phone_format`. A pattern that fails to compile fails the whole request with
/// 422 naming it (raised while the items are prepared, before any row is read).
final class RegexNormalizer: TextNormalizer {
    let regex: Regex
    let replacement: String

    init(regex: Regex, replacement: String, convertNonText: Bool) {
        self.regex = regex
        self.replacement = replacement
        super.init(convertNonText: convertNonText)
    }

    override func transform(_ s: String) throws(OperationFailure) -> String {
        try regex.replacingAll(in: s, with: replacement)
    }
}

/// Keeps the digits; 10 digits → `(AAA) BBB-CCCC`, 11 digits starting with 1 → `+1 (AAA) BBB-CCCC`; any other
/// text is left as it was.
final class PhoneNormalizer: TextNormalizer {
    override func transform(_ s: String) -> String {
        let digits = Array(s.utf8.filter { $0 >= 0x30 && $0 <= 0x39 })
        func part(_ r: Range<Int>) -> String { String(decoding: digits[r], as: UTF8.self) }
        if digits.count == 10 { return "(\(part(0..<3))) \(part(3..<6))-\(part(6..<10))" }
        if digits.count == 11 && digits[0] == 0x31 { return "+1 (\(part(1..<4))) \(part(4..<7))-\(part(7..<11))" }
        return s
    }
}
