import PycelizeCore
import PluginABI

/// Streams a typed table into an `.xlsx` file: XML is generated into a byte buffer and deflated into the zip as it
/// grows, so memory stays flat whatever the row count.
///
/// Text is written as inline strings (`t="inlineStr"`), which needs no shared-string table in memory; text that
/// starts with `=` is text, never a formula. Dates use custom number formats (`yyyy-mm-dd`, `yyyy-mm-dd hh:mm:ss`,
/// `hh:mm:ss`). Column widths follow the original (longest value + 2, capped), measured over the header and the
/// first batch of rows because `<cols>` precedes the data.
public final class XLSXWriter: TableWriter {
    public let columnNames: [String]
    public private(set) var rowsWritten: Int64 = 0
    private let options: XLSXWriteOptions
    private let zip: ZipWriter
    private let xml = ByteSink()
    private var started = false
    private var finished = false
    private let columnRefs: [[UInt8]]
    private var rowNumber = 1

    public init(path: String, columnNames: [String], options: XLSXWriteOptions = XLSXWriteOptions()) throws {
        try XLSXWriteOptions.validateSheetName(options.sheetName)
        guard columnNames.count <= 16_384 else { throw TableIOError.usage("An XLSX sheet holds at most 16,384 columns") }
        self.columnNames = columnNames
        self.options = options
        zip = try ZipWriter(path: path, level: options.compressionLevel, pipelined: options.pipelinedCompression)
        columnRefs = (0..<columnNames.count).map { Array(XLSXWriter.columnLetters($0).utf8) }
    }

    /// `0 → A`, `25 → Z`, `26 → AA`.
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var s: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            s.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(s)
    }

    // MARK: - Sheet data

    private func start(firstRows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        started = true
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        xml.append(string: XLSXParts.sheetPrologue)
        // Widths from header and the first rows.
        if !columnNames.isEmpty {
            var widths = columnNames.map { $0.count }
            let width = columnNames.count
            for r in 0..<rowCount {
                for c in 0..<width {
                    widths[c] = max(widths[c], XLSXWriter.displayLength(cells[r * width + c]))
                }
            }
            xml.append("<cols>")
            for (i, w) in widths.enumerated() {
                let capped = min(w + 2, options.maxColumnWidth)
                xml.append(string: "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(capped)\" customWidth=\"1\"/>")
            }
            xml.append("</cols>")
        }
        xml.append("<sheetData>")
        if !columnNames.isEmpty {
            try writeRow(columnNames.map { CellValue.text($0) })
        }
    }

    static func displayLength(_ cell: Cell) -> Int {
        switch cell.kind {
        case .null: return 4 // the original measured str(None)
        case .text:
            var n = 0
            for b in cell.textBytes where b & 0xC0 != 0x80 { n += 1 }
            return n
        case .int: return String(cell.value.i).count
        case .float: return NumberFormatting.shortest(cell.value.f).count
        case .bool: return cell.value.b != 0 ? 4 : 5
        case .dateTime: return DateFormatting.text(seconds: cell.value.f, flags: cell.flags).count
        }
    }

    private func writeRow(_ values: [CellValue]) throws {
        var pool: [UInt8] = []
        var spans: [(Int, Int)] = []
        for v in values { if case .text(let s) = v { spans.append((pool.count, s.utf8.count)); pool.append(contentsOf: s.utf8) } }
        try pool.withUnsafeBufferPointer { buf in
            var k = 0
            let cells: [Cell] = values.map { v in
                if case .text = v { let (o, n) = spans[k]; k += 1; return .text(buf.baseAddress.map { $0 + o }, n) }
                switch v {
                case .int(let i): return .int(i)
                case .float(let f): return .float(f)
                case .bool(let b): return .bool(b)
                case .dateTime(let s, let f): return .dateTime(s, flags: f)
                default: return .null
                }
            }
            try cells.withUnsafeBufferPointer { try appendRowXML($0) }
        }
    }

    private func appendRowXML(_ row: UnsafeBufferPointer<Cell>) throws {
        let rn = rowNumber
        rowNumber += 1
        guard rn <= 1_048_576 else { throw TableIOError.limitExceeded("An XLSX sheet holds at most 1,048,576 rows") }
        xml.append("<row r=\"")
        xml.append(int: Int64(rn))
        xml.append("\">")
        var previous = -1
        for (c, cell) in row.enumerated() {
            let kind = cell.kind
            // Null, and NaN/∞ (a plugin may produce them; XLSX cannot hold them), leave the cell empty.
            if kind == .null || (kind == .float && !cell.value.f.isFinite) { continue }
            // `r` only where a null cell was skipped: readers place an unreferenced cell right after the previous
            // one, and the sheet XML (hence deflate time) shrinks by a sixth.
            if c == previous + 1 {
                xml.append("<c")
            } else {
                xml.append("<c r=\"")
                if c < columnRefs.count {
                    columnRefs[c].withUnsafeBufferPointer { xml.append($0) }
                } else {
                    xml.append(string: XLSXWriter.columnLetters(c))
                }
                xml.append(int: Int64(rn))
                xml.append(UInt8(0x22))
            }
            previous = c
            switch kind {
            case .text:
                let bytes = cell.textBytes
                let preserve = bytes.first.map(XLSXWriter.isXMLSpace) == true || bytes.last.map(XLSXWriter.isXMLSpace) == true
                if preserve { xml.append(" t=\"inlineStr\"><is><t xml:space=\"preserve\">") } else { xml.append(" t=\"inlineStr\"><is><t>") }
                if let base = bytes.baseAddress, XLSXWriter.isPlainText(base, bytes.count) {
                    xml.append(bytes) // most text: nothing to escape, one check and one copy
                } else {
                    XLSXWriter.appendEscaped(bytes, to: xml)
                }
                xml.append("</t></is></c>")
            case .int:
                xml.append("><v>")
                xml.append(int: cell.value.i)
                xml.append("</v></c>")
            case .float:
                xml.append("><v>")
                let v = cell.value.f
                if v == v.rounded(), abs(v) < 1e15 {
                    xml.append(int: Int64(v))
                    xml.append(".0") // keeps an integral float a float for readers that look (ours does)
                } else {
                    xml.append(double: v)
                }
                xml.append("</v></c>")
            case .bool:
                if cell.value.b != 0 { xml.append(" t=\"b\"><v>1</v></c>") } else { xml.append(" t=\"b\"><v>0</v></c>") }
            case .dateTime:
                let style: UInt8 = cell.flags & UInt32(PZ_DT_DATE_ONLY) != 0 ? 0x31
                    : cell.flags & UInt32(PZ_DT_TIME_ONLY) != 0 ? 0x33 : 0x32
                let serial = cell.flags & UInt32(PZ_DT_TIME_ONLY) != 0
                    ? cell.value.f / 86400 : DateFormatting.excelSerial(seconds: cell.value.f)
                xml.append(" s=\"")
                xml.append(style)
                xml.append("\"><v>")
                xml.append(double: serial)
                xml.append("</v></c>")
            case .null: break
            }
        }
        xml.append("</row>")
        if xml.count >= XLSXWriter.flushThreshold { try flushXML() }
    }

    @inline(__always) static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// True if no byte of the text can need escaping: none is `<`, `>`, `&`, `_` or below 0x20 (tab, LF and CR
    /// included, to keep the test to one mask). Checked a word at a time; 4–7 bytes as one word made of two
    /// overlapping halves (only "any flagged" matters, so their order does not).
    @inline(__always) static func isPlainText(_ base: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n >= 8 {
            var i = 0
            while i &+ 8 <= n {
                if WordScan.xmlSpecial(WordScan.load(base + i)) != 0 { return false }
                i &+= 8
            }
            return i == n || WordScan.xmlSpecial(WordScan.load(base + (n &- 8))) == 0
        }
        if n >= 4 {
            let raw = UnsafeRawPointer(base)
            let w = UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)) << 32
            return WordScan.xmlSpecial(w) == 0
        }
        for k in 0..<n where base[k] < 0x20 || mayNeedEscape(base[k]) { return false }
        return true
    }

    /// Escapes `<`, `>`, `&` and writes characters XML 1.0 forbids as Excel's `_xHHHH_` escapes. Plain bytes are
    /// skipped 8 at a time (`WordScan.xmlSpecial`; the last bytes of a text of 8 or more as one word overlapping
    /// the previous one); the first flagged byte of a word goes to the exact byte test.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: ByteSink) {
        guard let base = bytes.baseAddress else { return }
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            if n &- i >= 8 {
                let candidates = WordScan.xmlSpecial(WordScan.load(base + i))
                if candidates == 0 {
                    i &+= 8
                    continue
                }
                i &+= WordScan.firstFlagged(candidates)
            } else if n >= 8 {
                // Bytes before i are done: shift their flags out (a flag that survives may be a borrow from one of
                // them; the byte test below sorts that out).
                let done = UInt64(truncatingIfNeeded: (i &- (n &- 8)) &* 8)
                let candidates = WordScan.xmlSpecial(WordScan.load(base + (n &- 8))) >> done
                if candidates == 0 { break }
                i &+= WordScan.firstFlagged(candidates)
            }
            let b = base[i]
            guard mayNeedEscape(b), b != 0x5F || ExcelEscapes.escape(at: i, in: bytes) != nil else {
                i &+= 1 // a plain byte, or an ordinary underscore
                continue
            }
            out.append(UnsafeBufferPointer(start: base + runStart, count: i &- runStart))
            switch b {
            case 0x3C: out.append("&lt;")
            case 0x3E: out.append("&gt;")
            case 0x26: out.append("&amp;")
            case 0x5F: out.append("_x005F_") // protects a literal _xHHHH_ in the text
            default:
                out.append("_x00")
                out.append(XLSXWriter.hexDigit(b >> 4))
                out.append(XLSXWriter.hexDigit(b & 0xF))
                out.append(UInt8(0x5F))
            }
            i &+= 1
            runStart = i
        }
        out.append(UnsafeBufferPointer(start: base + runStart, count: n &- runStart))
    }

    /// `<`, `>`, `&`, `_` and the C0 controls XML 1.0 forbids (all but tab, LF, CR): a bitmap of the bytes below
    /// 0x40 and `_` above it (every one of them is below 0x60).
    @inline(__always) static func mayNeedEscape(_ b: UInt8) -> Bool {
        if b >= 0x60 { return false }
        if b >= 0x40 { return b == 0x5F }
        return (0x5000_0040_FFFF_D9FF as UInt64) >> UInt64(b) & 1 != 0
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x37 + v }

    static let flushThreshold = 1 << 18

    private func flushXML() throws {
        try zip.write(xml.bytes)
        xml.removeAll()
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        try TableShape.check(finished: finished, cells: cells.count, rows: rowCount, width: columnNames.count)
        let width = columnNames.count
        if !started { try start(firstRows: cells, rowCount: rowCount) }
        for r in 0..<rowCount {
            try appendRowXML(UnsafeBufferPointer(rebasing: cells[(r * width)..<((r + 1) * width)]))
        }
        rowsWritten += Int64(rowCount)
    }

    public func finish() throws {
        guard !finished else { throw TableIOError.usage("writer already finished") }
        if !started { try start(firstRows: UnsafeBufferPointer(start: nil, count: 0), rowCount: 0) }
        finished = true
        xml.append("</sheetData></worksheet>")
        try flushXML()
        try zip.endEntry()
        var sheetNames = [options.sheetName]
        if let info = options.infoSheet {
            let infoName = options.sheetName == "Info" ? "Info1" : "Info"
            sheetNames.append(infoName)
            try writeInfoSheet(info)
        }
        try zip.addEntry("[Content_Types].xml", Array(XLSXParts.contentTypes(sheetCount: sheetNames.count).utf8))
        try zip.addEntry("_rels/.rels", Array(XLSXParts.rootRels.utf8))
        try zip.addEntry("xl/workbook.xml", Array(XLSXParts.workbook(sheetNames: sheetNames).utf8))
        try zip.addEntry("xl/_rels/workbook.xml.rels", Array(XLSXParts.workbookRels(sheetCount: sheetNames.count).utf8))
        try zip.addEntry("xl/styles.xml", Array(XLSXParts.styles.utf8))
        try zip.finish()
    }

    private func writeInfoSheet(_ info: XLSXWriteOptions.InfoSheet) throws {
        try zip.beginEntry("xl/worksheets/sheet2.xml")
        xml.append(string: XLSXParts.sheetPrologue)
        xml.append("<sheetData>")
        rowNumber = 1
        let rows: [[CellValue]] = [
            [.text("Property"), .text("Value")],
            [.text("File"), .text(info.fileName)],
            [.text("Created"), .text(info.created)],
            [.text("Rows"), .int(rowsWritten)],
            [.text("Columns"), .int(Int64(columnNames.count))],
            [.text("Column Names"), .text(columnNames.joined(separator: ", "))],
        ]
        for r in rows { try writeRow(r) }
        xml.append("</sheetData></worksheet>")
        try flushXML()
        try zip.endEntry()
    }
}
