import CPycelizePCRE2

/// A regular expression compiled with PCRE2, the one engine every operation uses (search's `regex` operator,
/// `regex_replace`, `remove_special_chars`).
///
/// - Syntax is Perl/Python-compatible (`(?P<name>…)`, `(?i)`, lookarounds); subjects are UTF-8 and character
///   classes are Unicode-aware (`PCRE2_UCP`), as Python's `re` is for `str` patterns.
/// - A hostile pattern cannot hang a worker: every match runs under match, depth and heap limits and a limit hit is
///   a 422, not a stall. Patterns longer than 10,000 bytes are refused.
/// - JIT-compiled when the platform supports it.
///
/// One instance belongs to one operation call (it owns its match data); it is not for concurrent use.
public final class Regex {
    public let pattern: String
    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let matchContext: OpaquePointer?

    static let maxPatternBytes = 10_000
    static let matchLimit: UInt32 = 5_000_000
    static let depthLimit: UInt32 = 10_000
    static let heapLimitKiB: UInt32 = 64 * 1024

    /// - Parameter literal: match `pattern` as plain text (`PCRE2_LITERAL`): with `caseInsensitive`, this is a
    ///   Unicode-aware, case-insensitive substring search (`contains`), with no special characters at all.
    public init(_ pattern: String, caseInsensitive: Bool = false, literal: Bool = false) throws(OperationFailure) {
        self.pattern = pattern
        let bytes = Array(pattern.utf8)
        guard bytes.count <= Regex.maxPatternBytes else {
            throw .invalidArgument("Invalid regular expression: longer than \(Regex.maxPatternBytes) bytes")
        }
        // PCRE2_LITERAL refuses PCRE2_UCP (which only changes \w, \d, … anyway); UTF keeps caseless matching Unicode-aware.
        var options = UInt32(PCRE2_UTF) | (literal ? UInt32(PCRE2_LITERAL) : UInt32(PCRE2_UCP))
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = bytes.withUnsafeBufferPointer { b in
            pcre2_compile_8(b.baseAddress ?? Regex.empty, b.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .invalidArgument("Invalid regular expression '\(pattern)': \(Regex.message(errorCode)) at position \(errorOffset)")
        }
        guard let data = pcre2_match_data_create_from_pattern_8(compiled, nil) else {
            pcre2_code_free_8(compiled)
            throw .internalError("Out of memory compiling a regular expression")
        }
        code = compiled
        matchData = data
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) // failure only means the interpreter runs
        matchContext = pcre2_match_context_create_8(nil)
        if let ctx = matchContext {
            pcre2_set_match_limit_8(ctx, Regex.matchLimit)
            pcre2_set_depth_limit_8(ctx, Regex.depthLimit)
            pcre2_set_heap_limit_8(ctx, Regex.heapLimitKiB)
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let matchContext { pcre2_match_context_free_8(matchContext) }
        pcre2_code_free_8(code)
    }

    /// Number of capturing groups in the pattern.
    public var captureCount: Int {
        var n: UInt32 = 0
        _ = pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &n)
        return Int(n)
    }

    /// True when the pattern matches anywhere in `utf8` (`re.search`). Throws 422 when a match limit is hit.
    public func matches(_ utf8: UnsafeBufferPointer<UInt8>) throws(OperationFailure) -> Bool {
        try match(utf8, from: 0, options: 0) != nil
    }

    public func matches(_ s: String) throws(OperationFailure) -> Bool {
        try Regex.withUTF8(s) { b throws(OperationFailure) in try matches(b) }
    }

    /// Replaces every match in `s` (`re.sub` with a count of 0). `pythonTemplate` uses Python's replacement syntax:
    /// `\1`…`\99`, `\g<1>`, `\g<name>`, `\\`, and the escapes `\n \t \r \f \v \a \b`; groups that did not take part
    /// in the match insert nothing. A reference to a group the pattern does not have is a 422.
    public func replacingAll(in s: String, with pythonTemplate: String) throws(OperationFailure) -> String {
        let template = try ReplacementTemplate(pythonTemplate, regex: self)
        return try Regex.withUTF8(s) { b throws(OperationFailure) in try replaceAll(b, template) }
    }

    /// Group number for a named group, or nil.
    func groupNumber(named name: String) -> Int? {
        let n = name.withCString { p in
            pcre2_substring_number_from_name_8(code, UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self))
        }
        return n > 0 ? Int(n) : nil
    }

    // MARK: matching

    /// The ovector pairs of a match starting the search at `offset`, or nil for no match.
    private func match(_ subject: UnsafeBufferPointer<UInt8>, from offset: Int, options: UInt32) throws(OperationFailure) -> UnsafeMutablePointer<Int>? {
        let rc = pcre2_match_8(code, subject.baseAddress ?? Regex.empty, subject.count, offset, options, matchData, matchContext)
        if rc >= 0 { return pcre2_get_ovector_pointer_8(matchData) }
        switch rc {
        case PCRE2_ERROR_NOMATCH, PCRE2_ERROR_PARTIAL: return nil
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            throw .invalidArgument("Regular expression '\(pattern)' exceeded its match limit (\(Regex.message(rc))); simplify the pattern")
        default:
            // Invalid UTF-8 in a subject cannot come from the host's readers; treat any other failure as no match.
            return nil
        }
    }

    private func replaceAll(_ b: UnsafeBufferPointer<UInt8>, _ template: ReplacementTemplate) throws(OperationFailure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0, offset = 0
        var options: UInt32 = 0
        while offset <= b.count {
            guard let ov = try match(b, from: offset, options: options) else {
                // After an empty match, retry one character further on; otherwise we are done.
                if options == 0 { break }
                options = 0
                offset = Regex.nextCharacter(b, offset)
                continue
            }
            let start = ov[0], end = ov[1]
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<start]))
            template.append(to: &out, subject: b, ovector: ov, groups: captureCount)
            copied = end
            offset = end
            // Like Perl and Python ≥ 3.7: an empty match may not repeat at the same place.
            options = start == end ? UInt32(PCRE2_NOTEMPTY_ATSTART) | UInt32(PCRE2_ANCHORED) : 0
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[min(copied, b.count)..<b.count]))
        return String(decoding: out, as: UTF8.self)
    }

    static func nextCharacter(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var j = i + 1
        while j < b.count, b[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }

    static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "error \(code)"
    }

    /// PCRE2 wants a non-NULL subject even when it is empty.
    static var empty: UnsafePointer<UInt8> { ("" as StaticString).utf8Start }

    /// `String.withUTF8` with a typed throw (the standard library's is `rethrows`, which widens to `any Error`).
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws(OperationFailure) -> R) throws(OperationFailure) -> R {
        var copy = s
        let result: Result<R, OperationFailure> = copy.withUTF8 { b in
            do throws(OperationFailure) { return .success(try body(b)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
