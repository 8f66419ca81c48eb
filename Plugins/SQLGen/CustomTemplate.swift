import PluginKit

/// The custom template language of `sql/generate-custom-to-text` (§3.8.3), compiled once per call.
///
/// Placeholders are `{[%_…]name[:type][%_…][|default]}`. The template is split into text and placeholder pieces
/// up front; whether a placeholder sits inside a SQL string literal is decided from the template's own quotes
/// (substituted values are always quote-balanced, so this equals the original's count over the text produced so
/// far), and a value is never re-scanned for placeholders.
struct CustomTemplate {
    enum Hint {
        case none, int, float, bool, datetime, string

        init(_ text: String?) {
            switch text?.lowercased() {
            case "int"?: self = .int
            case "float"?: self = .float
            case "bool"?: self = .bool
            case "datetime"?: self = .datetime
            case "string"?, "str"?, "text"?: self = .string
            default: self = .none   // absent or unknown hints leave the value unchanged
            }
        }
    }

    enum Source: Equatable {
        case column(String)
        case autoID
        case currentTimestamp
        case unmapped
    }

    /// A class, so rendering a row reads it in place instead of copying (and retaining) its strings per slot.
    final class Placeholder {
        let source: Source
        let hint: Hint
        let defaultText: String?
        let likePrefix: String
        let likeSuffix: String

        init(source: Source, hint: Hint, defaultText: String?, likePrefix: String, likeSuffix: String) {
            self.source = source
            self.hint = hint
            self.defaultText = defaultText
            self.likePrefix = likePrefix
            self.likeSuffix = likeSuffix
        }
    }

    enum Piece {
        case text([UInt8])
        case slot(Int, insideLiteral: Bool)
    }

    let placeholders: [Placeholder]
    let pieces: [Piece]

    /// - Parameters:
    ///   - names: placeholder names that resolve to something (mapping keys, `auto_id`, the auto-increment
    ///     column, `current_timestamp`): they keep leading/trailing `_` (B13).
    ///   - resolve: the source of a name.
    init(_ template: String, names: Set<String>, resolve: (String) -> Source) {
        var specs: [String: Int] = [:]
        var placeholders: [Placeholder] = []
        var pieces: [Piece] = []
        var text: [UInt8] = []
        var quotes = 0
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let before = rest[..<open]
            text.append(contentsOf: before.utf8)
            quotes += before.utf8.reduce(0) { $0 + ($1 == 0x27 ? 1 : 0) }
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "}"), close > after else {
                text.append(0x7B)
                rest = rest[after...]
                continue
            }
            let inner = String(rest[after..<close])
            let index: Int
            if let known = specs[inner] {
                index = known
            } else {
                index = placeholders.count
                specs[inner] = index
                placeholders.append(Self.parse(inner, names: names, resolve: resolve))
            }
            if !text.isEmpty { pieces.append(.text(text)); text.removeAll() }
            pieces.append(.slot(index, insideLiteral: quotes % 2 == 1))
            rest = rest[rest.index(after: close)...]
        }
        text.append(contentsOf: rest.utf8)
        if !text.isEmpty { pieces.append(.text(text)) }
        self.placeholders = placeholders
        self.pieces = pieces
    }

    /// `[%_]*name[:type][%_]*[|default]`. Leading/trailing runs of `%`/`_` are LIKE wildcards — except the part of
    /// a run that belongs to a known name (`{_id}` for a mapped `_id` stays the name `_id`, fixing B13).
    static func parse(_ inner: String, names: Set<String>, resolve: (String) -> Source) -> Placeholder {
        var head = Substring(inner)
        var defaultText: String?
        if let bar = inner.firstIndex(of: "|") {
            head = inner[..<bar]
            defaultText = String(inner[inner.index(after: bar)...]).trimmingSpaces
        }
        let isWild: (Character) -> Bool = { $0 == "%" || $0 == "_" }
        let leading = head.prefix(while: isWild).count
        let trailing = head.count == leading ? 0 : head.reversed().prefix(while: isWild).count
        // The least stripping that leaves a known name wins (`{_id}` is the mapped `_id` even when `id` is mapped
        // too); with no known name, every wildcard is stripped, as the original did.
        var best: (Int, Int)?
        outer: for l in 0...leading {
            for t in 0...trailing {
                let body = head.dropFirst(l).dropLast(t)
                let name = String(body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmingSpaces
                if names.contains(name) { best = (l, t); break outer }
            }
        }
        let (l, t) = best ?? (leading, trailing)
        let body = head.dropFirst(l).dropLast(t)
        let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts.first ?? "").trimmingSpaces
        let hint = parts.count > 1 ? String(parts[1]).trimmingSpaces : nil
        return Placeholder(source: resolve(name), hint: Hint(hint), defaultText: defaultText,
                           likePrefix: String(head.prefix(l)), likeSuffix: String(head.suffix(t)))
    }
}
