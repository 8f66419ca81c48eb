import PycelizeCore

/// The package-level facts of an XLSX file: its sheets (name → part), the 1904 flag, which cell styles are dates,
/// and the shared strings. Sheet data itself is streamed by `XLSXReader`.
public final class XLSXWorkbook {
    public struct Sheet: Sendable, Equatable {
        public let name: String
        public let partName: String
    }

    public let archive: ZipArchive
    public private(set) var sheets: [Sheet] = []
    public private(set) var date1904 = false
    /// For each cellXfs index: 0 = not a date, else the `PZ_DT_*` flags + 0x100 (date/time style).
    private(set) var styleDateKinds: [UInt32] = []
    public private(set) var sharedStrings = SharedStrings()

    /// Largest side part (workbook, rels, styles) read into memory.
    static let maxSmallPartBytes = 32 << 20

    public init(path: String, limits: ZipLimits = ZipLimits(), loadSharedStrings: Bool = true) throws {
        archive = try ZipArchive(path: path, limits: limits)
        let workbookPart = try officeDocumentPart()
        guard let wbEntry = archive.entry(named: workbookPart) else {
            throw TableIOError.badInput("Not a valid XLSX file: no workbook part (is it an .xlsx?)")
        }
        let rels = try relationships(of: workbookPart)
        try parseWorkbook(wbEntry, rels: rels)
        let dir = XLSXWorkbook.directory(of: workbookPart)
        if let stylesTarget = rels.values.first(where: { $0.type.hasSuffix("/styles") }),
           let entry = archive.entry(named: XLSXWorkbook.resolve(stylesTarget.target, from: dir)) {
            try parseStyles(entry)
        }
        if loadSharedStrings,
           let ssTarget = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") }),
           let entry = archive.entry(named: XLSXWorkbook.resolve(ssTarget.target, from: dir)) {
            try sharedStrings.load(from: archive.openReadingAhead(entry), partName: entry.name)
        }
    }

    /// Names of all sheets in workbook order.
    public var sheetNames: [String] { sheets.map(\.name) }

    // MARK: - Parts

    private func officeDocumentPart() throws -> String {
        guard let entry = archive.entry(named: "_rels/.rels") else { return "xl/workbook.xml" }
        let scanner = try XMLScanner(source: archive.open(entry), partName: entry.name)
        while true {
            switch try scanner.next() {
            case .eof: return "xl/workbook.xml"
            case .start where scanner.nameIs("Relationship"):
                if let type = try scanner.attribute("Type"), type.hasSuffix("/officeDocument"),
                   let target = try scanner.attribute("Target") {
                    return XLSXWorkbook.resolve(target, from: "")
                }
            default: continue
            }
        }
    }

    struct Relationship { let type: String; let target: String }

    private func relationships(of part: String) throws -> [String: Relationship] {
        let dir = XLSXWorkbook.directory(of: part)
        let file = String(part.split(separator: "/").last ?? "")
        let relsName = (dir.isEmpty ? "" : dir + "/") + "_rels/" + file + ".rels"
        guard let entry = archive.entry(named: relsName) else { return [:] }
        let scanner = try XMLScanner(source: archive.open(entry), partName: entry.name)
        var out: [String: Relationship] = [:]
        while true {
            switch try scanner.next() {
            case .eof: return out
            case .start where scanner.nameIs("Relationship"):
                if let id = try scanner.attribute("Id"), let target = try scanner.attribute("Target") {
                    out[id] = Relationship(type: try scanner.attribute("Type") ?? "", target: target)
                }
            default: continue
            }
        }
    }

    private func parseWorkbook(_ entry: ZipArchive.Entry, rels: [String: Relationship]) throws {
        let scanner = try XMLScanner(source: archive.open(entry), partName: entry.name)
        let dir = XLSXWorkbook.directory(of: entry.name)
        var index = 0
        while true {
            switch try scanner.next() {
            case .eof: return
            case .start where scanner.nameIs("workbookPr"):
                if let v = try scanner.attribute("date1904") { date1904 = v == "1" || v == "true" }
            case .start where scanner.nameIs("sheet"):
                index += 1
                let name = try scanner.attribute("name") ?? "Sheet\(index)"
                var part = "xl/worksheets/sheet\(index).xml"
                if let rid = try scanner.attribute("id"), let rel = rels[rid] {
                    part = XLSXWorkbook.resolve(rel.target, from: dir)
                }
                sheets.append(Sheet(name: name, partName: part))
            default: continue
            }
        }
    }

    private func parseStyles(_ entry: ZipArchive.Entry) throws {
        let scanner = try XMLScanner(source: archive.open(entry), partName: entry.name)
        var customFormats: [Int: UInt32] = [:]
        var inCellXfs = false
        while true {
            switch try scanner.next() {
            case .eof: return
            case .start where scanner.nameIs("numFmt"):
                if let id = try scanner.attribute("numFmtId").flatMap({ Int($0) }),
                   let code = try scanner.attribute("formatCode") {
                    customFormats[id] = DateFormatDetector.kind(ofFormatCode: code)
                }
            case .start where scanner.nameIs("cellXfs"):
                inCellXfs = !scanner.selfClosing
            case .end where scanner.nameIs("cellXfs"):
                inCellXfs = false
            case .start where inCellXfs && scanner.nameIs("xf"):
                let id = try scanner.attribute("numFmtId").flatMap { Int($0) } ?? 0
                styleDateKinds.append(customFormats[id] ?? DateFormatDetector.kind(ofBuiltinFormat: id))
            default: continue
            }
        }
    }

    /// The date kind of style index `s` (see `styleDateKinds`).
    @inline(__always) func dateKind(style s: Int) -> UInt32 {
        s >= 0 && s < styleDateKinds.count ? styleDateKinds[s] : 0
    }

    // MARK: - Paths

    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[..<slash])
    }

    /// Resolves a relationship target against the source part's directory (absolute targets start with '/').
    static func resolve(_ target: String, from dir: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : dir.split(separator: "/")
        for seg in target.split(separator: "/") {
            if seg == ".." { _ = parts.popLast() } else if seg != "." { parts.append(seg) }
        }
        return parts.joined(separator: "/")
    }
}

/// Decides whether a number format shows a date, a time, or both.
public enum DateFormatDetector {
    static let dateFlag: UInt32 = 0x100

    /// Built-in ids: 14–17 dates, 18–21 and 45–47 times, 22 date-time (ECMA-376 §18.8.30).
    public static func kind(ofBuiltinFormat id: Int) -> UInt32 {
        switch id {
        case 14...17: return dateFlag | 0x1
        case 18...21, 45...47: return dateFlag | 0x2
        case 22: return dateFlag
        default: return 0
        }
    }

    /// A custom format is a date if, outside quoted text, escapes and `[...]` sections, it uses y/d/m or h/s codes.
    public static func kind(ofFormatCode code: String) -> UInt32 {
        var hasDate = false, hasTime = false, hasMonthOrMinute = false
        var inQuote = false, inBracket = false, escaped = false
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
        for ch in section.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" { inBracket = false }
                else if ch == "h" || ch == "s" { hasTime = true } // [h]:mm elapsed time
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case "y", "d": hasDate = true
            case "h", "s": hasTime = true
            case "m": hasMonthOrMinute = true
            case "0", "#", "?", "@": if !hasDate && !hasTime && !hasMonthOrMinute { return 0 }
            default: break
            }
        }
        if !hasDate && !hasTime && hasMonthOrMinute { hasDate = true }
        if hasDate && hasTime { return dateFlag }
        if hasDate { return dateFlag | 0x1 }
        if hasTime { return dateFlag | 0x2 }
        return 0
    }
}
