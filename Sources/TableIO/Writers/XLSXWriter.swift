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
    private var xml: [UInt8] = []
    private var started = false
    private var finished = false
    private let columnRefs: [[UInt8]]
    private var rowNumber = 1

    public init(path: String, columnNames: [String], options: XLSXWriteOptions = XLSXWriteOptions()) throws {
        try XLSXWriteOptions.validateSheetName(options.sheetName)
        guard columnNames.count <= 16_384 else { throw TableIOError.usage("An XLSX sheet holds at most 16,384 columns") }
        self.columnNames = columnNames
        self.options = options
        zip = try ZipWriter(path: path, level: options.compressionLevel)
        columnRefs = (0..<columnNames.count).map { Array(XLSXWriter.columnLetters($0).utf8) }
        xml.reserveCapacity(1 << 18)
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
        xml.append(contentsOf: XLSXParts.sheetPrologue.utf8)
        // Widths from header and the first rows.
        if !columnNames.isEmpty {
            var widths = columnNames.map { $0.count }
            let width = columnNames.count
            for r in 0..<rowCount {
                for c in 0..<width {
                    widths[c] = max(widths[c], XLSXWriter.displayLength(cells[r * width + c]))
                }
            }
            xml.append(contentsOf: "<cols>".utf8)
            for (i, w) in widths.enumerated() {
                let capped = min(w + 2, options.maxColumnWidth)
                xml.append(contentsOf: "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(capped)\" customWidth=\"1\"/>".utf8)
            }
            xml.append(contentsOf: "</cols>".utf8)
        }
        xml.append(contentsOf: "<sheetData>".utf8)
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
        xml.append(contentsOf: "<row r=\"".utf8)
        NumberFormatting.appendInt(Int64(rn), to: &xml)
        xml.append(contentsOf: "\">".utf8)
        for (c, cell) in row.enumerated() {
            let kind = cell.kind
            if kind == .null { continue }
            xml.append(contentsOf: "<c r=\"".utf8)
            if c < columnRefs.count { xml.append(contentsOf: columnRefs[c]) } else { xml.append(contentsOf: XLSXWriter.columnLetters(c).utf8) }
            NumberFormatting.appendInt(Int64(rn), to: &xml)
            switch kind {
            case .text:
                let bytes = cell.textBytes
                let preserve = bytes.first.map(XLSXWriter.isXMLSpace) == true || bytes.last.map(XLSXWriter.isXMLSpace) == true
                xml.append(contentsOf: preserve ? "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8
                                                : "\" t=\"inlineStr\"><is><t>".utf8)
                XLSXWriter.appendEscaped(bytes, to: &xml)
                xml.append(contentsOf: "</t></is></c>".utf8)
            case .int:
                xml.append(contentsOf: "\"><v>".utf8)
                NumberFormatting.appendInt(cell.value.i, to: &xml)
                xml.append(contentsOf: "</v></c>".utf8)
            case .float:
                xml.append(contentsOf: "\"><v>".utf8)
                xml.append(contentsOf: cell.value.f.description.utf8)
                xml.append(contentsOf: "</v></c>".utf8)
            case .bool:
                xml.append(contentsOf: (cell.value.b != 0 ? "\" t=\"b\"><v>1</v></c>" : "\" t=\"b\"><v>0</v></c>").utf8)
            case .dateTime:
                let style = cell.flags & UInt32(PZ_DT_DATE_ONLY) != 0 ? "1"
                    : cell.flags & UInt32(PZ_DT_TIME_ONLY) != 0 ? "3" : "2"
                let serial = cell.flags & UInt32(PZ_DT_TIME_ONLY) != 0
                    ? cell.value.f / 86400 : DateFormatting.excelSerial(seconds: cell.value.f)
                xml.append(contentsOf: "\" s=\"\(style)\"><v>".utf8)
                xml.append(contentsOf: serial.description.utf8)
                xml.append(contentsOf: "</v></c>".utf8)
            case .null: break
            }
        }
        xml.append(contentsOf: "</row>".utf8)
        if xml.count >= 1 << 18 { try flushXML() }
    }

    @inline(__always) static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Escapes `<`, `>`, `&` and writes characters XML 1.0 forbids as Excel's `_xHHHH_` escapes.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for (i, b) in bytes.enumerated() {
            let replacement: String?
            switch b {
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x26: replacement = "&amp;"
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F:
                let hex = String(b, radix: 16, uppercase: true)
                replacement = "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
            default: replacement = nil
            }
            if let r = replacement {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                out.append(contentsOf: r.utf8)
                runStart = i + 1
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    private func flushXML() throws {
        try zip.write(xml)
        xml.removeAll(keepingCapacity: true)
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        guard !finished else { throw TableIOError.usage("writer already finished") }
        let width = columnNames.count
        guard cells.count == rowCount * width else {
            throw TableIOError.usage("expected \(rowCount) rows of \(width) cells, got \(cells.count) cells")
        }
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
        xml.append(contentsOf: "</sheetData></worksheet>".utf8)
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
        xml.append(contentsOf: XLSXParts.sheetPrologue.utf8)
        xml.append(contentsOf: "<sheetData>".utf8)
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
        xml.append(contentsOf: "</sheetData></worksheet>".utf8)
        try flushXML()
        try zip.endEntry()
    }
}
