import PluginABI

/// Streams one worksheet of an XLSX file as typed rows.
///
/// The first non-empty row is the header. Blank rows between data rows are kept (as all-null rows); trailing blank
/// rows are dropped. The width of the table is the header's width; values in columns right of the header are not
/// returned and are counted in `droppedCells` (see docs/compatibility.md).
public final class XLSXReader: TableReader {
    public let workbook: XLSXWorkbook
    public let sheet: XLSXWorkbook.Sheet
    public private(set) var columnNames: [String] = []
    public private(set) var rowsRead: Int64 = 0
    public private(set) var totalRowsHint: Int64 = -1
    /// Non-empty cells found right of the header's last column (not returned).
    public private(set) var droppedCells = 0

    /// Excel's limits: 1,048,576 rows and 16,384 columns.
    static let maxRows = 1_048_576
    static let maxColumns = 16_384

    private var scanner: XMLScanner
    private let batch: RowBatch
    private let defaultBatchRows: Int
    private var headerDone = false
    private var lastRowNumber = 0
    private var pendingBlank = 0
    /// A parsed row waiting for the next batch (only when blank rows before it did not fit).
    private var heldRow: [(Int, Cell)]?
    private let heldArena = TextArena(chunkSize: 4096)
    private var rowCells: [(Int, Cell)] = []
    private var valueBytes: [UInt8] = []
    private var sheetDone = false

    /// Opens `sheetName` (or the first sheet) of the workbook at `path`.
    public convenience init(path: String, sheetName: String? = nil, limits: ZipLimits = ZipLimits(),
                            batchRows: Int = 8192) throws {
        try self.init(workbook: XLSXWorkbook(path: path, limits: limits), sheetName: sheetName, batchRows: batchRows)
    }

    public init(workbook: XLSXWorkbook, sheetName: String? = nil, batchRows: Int = 8192) throws {
        self.workbook = workbook
        if let name = sheetName {
            guard let s = workbook.sheets.first(where: { $0.name == name }) else { throw TableIOError.sheetNotFound(name) }
            sheet = s
        } else {
            guard let s = workbook.sheets.first else { throw TableIOError.badInput("Not a valid XLSX file: the workbook has no sheets") }
            sheet = s
        }
        defaultBatchRows = batchRows
        batch = RowBatch(columnCount: 1, capacityRows: batchRows)
        scanner = try XLSXReader.openScanner(workbook: workbook, sheet: sheet)
        try readHeader()
    }

    private static func openScanner(workbook: XLSXWorkbook, sheet: XLSXWorkbook.Sheet) throws -> XMLScanner {
        guard let entry = workbook.archive.entry(named: sheet.partName) else {
            throw TableIOError.badInput("Not a valid XLSX file: sheet '\(sheet.name)' has no part '\(sheet.partName)'")
        }
        return XMLScanner(source: try workbook.archive.open(entry), partName: entry.name)
    }

    // MARK: - Row parsing

    private enum RowResult { case row(Int), eof }

    /// Parses events up to the end of the next `<row>`; its non-null cells land in `rowCells` (text in `arena`).
    private func parseRow(arena: TextArena) throws -> RowResult {
        rowCells.removeAll(keepingCapacity: true)
        var rowNumber = 0
        var inRow = false
        var col = -1
        var cellType: UInt8 = 0 // first byte of t= ("s", "i"nlineStr, "b", "e", "d", "str" → "S"), 0 = number
        var style = 0
        var inValue = false // inside <v> or inline <t>
        var inInline = false
        var inPhonetic = false
        var hasValue = false
        while true {
            switch try scanner.next() {
            case .eof:
                sheetDone = true
                return .eof
            case .start:
                if !inRow {
                    if scanner.nameIs("row") {
                        inRow = true
                        col = -1
                        if let r = scanner.rawAttribute("r"), let n = NumberParsing.int64(r) {
                            rowNumber = Int(n)
                        } else {
                            rowNumber = lastRowNumber + 1
                        }
                        guard rowNumber > lastRowNumber, rowNumber <= XLSXReader.maxRows else {
                            throw TableIOError.badInput("Not a valid XLSX file: row number \(rowNumber) out of order or out of range")
                        }
                        if scanner.selfClosing { _ = try scanner.next(); return .row(rowNumber) }
                    } else if scanner.nameIs("dimension"), totalRowsHint < 0,
                              let ref = try scanner.attribute("ref") {
                        // Only a hint for progress; nothing is allocated from it.
                        if let last = ref.split(separator: ":").last {
                            var bytes = Array(last.utf8)
                            if let r = bytes.withUnsafeMutableBufferPointer({ NumberParsing.row(ofReference: UnsafeBufferPointer($0)) }) {
                                totalRowsHint = Int64(max(0, r - 1))
                            }
                            bytes.removeAll()
                        }
                    }
                    continue
                }
                if scanner.nameIs("c") {
                    if let r = scanner.rawAttribute("r"), let c = NumberParsing.column(ofReference: r) {
                        guard c > col else { throw TableIOError.badInput("Not a valid XLSX file: cells out of order in row \(rowNumber)") }
                        col = c
                    } else {
                        col += 1
                    }
                    guard col < XLSXReader.maxColumns else { throw TableIOError.badInput("Not a valid XLSX file: column out of range in row \(rowNumber)") }
                    cellType = 0
                    if let t = scanner.rawAttribute("t"), let first = t.first {
                        cellType = (first == 0x73 && t.count == 3) ? 0x53 : first // "str" → 'S'
                    }
                    style = scanner.rawAttribute("s").flatMap { NumberParsing.int64($0) }.map { Int($0) } ?? 0
                    valueBytes.removeAll(keepingCapacity: true)
                    hasValue = false
                    if scanner.selfClosing { _ = try scanner.next() } // empty cell
                } else if scanner.nameIs("v") {
                    inValue = !scanner.selfClosing
                    hasValue = true
                } else if scanner.nameIs("is") {
                    inInline = true
                    hasValue = true
                } else if scanner.nameIs("t") && inInline {
                    inValue = !scanner.selfClosing
                } else if scanner.nameIs("rPh") {
                    inPhonetic = true
                }
            case .end:
                if scanner.nameIs("row") {
                    return .row(rowNumber)
                } else if scanner.nameIs("c") && inRow {
                    if hasValue, let cell = try makeCell(type: cellType, style: style, arena: arena, row: rowNumber) {
                        rowCells.append((col, cell))
                    }
                    hasValue = false
                } else if scanner.nameIs("v") || scanner.nameIs("t") {
                    inValue = false
                } else if scanner.nameIs("is") {
                    inInline = false
                } else if scanner.nameIs("rPh") {
                    inPhonetic = false
                }
            case .text:
                if inValue && !inPhonetic {
                    try scanner.appendText(to: &valueBytes)
                    if valueBytes.count > 32 << 20 {
                        throw TableIOError.limitExceeded("Not a valid XLSX file: a cell in row \(rowNumber) is larger than 32 MiB")
                    }
                }
            }
        }
    }

    private func makeCell(type: UInt8, style: Int, arena: TextArena, row: Int) throws -> Cell? {
        switch type {
        case 0x73: // s: shared string index
            let idx = valueBytes.withUnsafeBufferPointer { NumberParsing.int64($0) }
            guard let i = idx, let cell = workbook.sharedStrings.cell(Int(i)) else {
                throw TableIOError.badInput("Not a valid XLSX file: bad shared string index in row \(row)")
            }
            return cell
        case 0x69, 0x53: // inlineStr, str (formula result)
            return try textCell(arena: arena, row: row)
        case 0x62: // b
            return .bool(valueBytes.first == 0x31 || valueBytes == Array("true".utf8))
        case 0x65: // e: error → null, as pandas reads it
            return nil
        case 0x64: // d: ISO 8601 date (strict OOXML)
            let text = String(decoding: valueBytes, as: UTF8.self)
            if let (secs, flags) = ISODateParsing.parse(text) { return .dateTime(secs, flags: flags) }
            return try textCell(arena: arena, row: row)
        default: // number
            if valueBytes.isEmpty { return nil }
            let kind = workbook.dateKind(style: style)
            if kind == 0, let v = valueBytes.withUnsafeBufferPointer({ NumberParsing.int64($0) }) {
                return .int(v)
            }
            guard let d = valueBytes.withUnsafeBufferPointer({ NumberParsing.double($0) }) else {
                throw TableIOError.badInput("Not a valid XLSX file: bad number '\(String(decoding: valueBytes.prefix(40), as: UTF8.self))' in row \(row)")
            }
            if kind != 0 {
                if kind & 0x2 != 0 {
                    return .dateTime((d - d.rounded(.down)) * 86400, flags: UInt32(PZ_DT_TIME_ONLY))
                }
                let secs = DateFormatting.seconds(excelSerial: d, date1904: workbook.date1904)
                let dateOnly = kind & 0x1 != 0 && d == d.rounded(.down)
                return .dateTime(secs, flags: dateOnly ? UInt32(PZ_DT_DATE_ONLY) : 0)
            }
            if d == d.rounded(), abs(d) < 9.007_199_254_740_992e15 { return .int(Int64(d)) }
            return .float(d)
        }
    }

    private func textCell(arena: TextArena, row: Int) throws -> Cell {
        var v = UTF8Validator()
        valueBytes.withUnsafeBufferPointer { if let b = $0.baseAddress { v.feed(b, $0.count) } }
        guard v.complete else { throw TableIOError.badInput("Not a valid XLSX file: text in row \(row) is not valid UTF-8") }
        return valueBytes.withUnsafeBufferPointer { arena.textCell($0) }
    }

    // MARK: - Header and batches

    private func readHeader() throws {
        let arena = TextArena(chunkSize: 4096)
        while true {
            switch try parseRow(arena: arena) {
            case .eof:
                columnNames = []
                batch.setColumnCount(0)
                headerDone = true
                return
            case .row(let n):
                lastRowNumber = n
                guard let maxCol = rowCells.last?.0 else { continue }
                var raw = [String](repeating: "", count: maxCol + 1)
                for (c, cell) in rowCells { raw[c] = CellValue(cell).description }
                columnNames = HeaderNormalizer.normalize(raw)
                batch.setColumnCount(columnNames.count)
                headerDone = true
                if totalRowsHint >= 0 { totalRowsHint = max(0, totalRowsHint - Int64(n - 1)) }
                return
            }
        }
    }

    public func nextBatch(maxRows: Int) throws -> RowBatch {
        batch.clear()
        batch.firstRowIndex = UInt64(rowsRead)
        let limit = min(maxRows > 0 ? maxRows : defaultBatchRows, defaultBatchRows)
        let width = columnNames.count
        guard width > 0 else { return batch }
        // Drain what the previous batch could not take.
        while pendingBlank > 0 && batch.rowCount < limit { _ = batch.appendNullRow(); pendingBlank -= 1 }
        if pendingBlank > 0 { return finish() }
        if let held = heldRow {
            heldRow = nil
            emit(held, width: width, copyingTextInto: batch.arena)
            heldArena.reset()
        }
        while batch.rowCount < limit && !sheetDone {
            switch try parseRow(arena: batch.arena) {
            case .eof:
                pendingBlank = 0 // trailing blank rows are dropped
            case .row(let n):
                pendingBlank += n - lastRowNumber - 1
                lastRowNumber = n
                if rowCells.isEmpty { pendingBlank += 1; continue }
                while pendingBlank > 0 && batch.rowCount < limit { _ = batch.appendNullRow(); pendingBlank -= 1 }
                if pendingBlank > 0 || batch.rowCount >= limit {
                    // Keep the row for the next batch; its inline text must outlive this batch's arena.
                    heldRow = rowCells.map { (c, cell) in
                        cell.kind == .text ? (c, heldArena.textCell(cell.textBytes)) : (c, cell)
                    }
                    return finish()
                }
                emit(rowCells, width: width, copyingTextInto: nil)
            }
        }
        return finish()
    }

    private func emit(_ cells: [(Int, Cell)], width: Int, copyingTextInto arena: TextArena?) {
        let row = batch.appendNullRow()
        for (c, cell) in cells {
            guard c < width else { droppedCells += 1; continue }
            if let a = arena, cell.kind == .text { row[c] = a.textCell(cell.textBytes) } else { row[c] = cell }
        }
    }

    private func finish() -> RowBatch {
        rowsRead += Int64(batch.rowCount)
        return batch
    }

    public func rewind() throws {
        scanner = try XLSXReader.openScanner(workbook: workbook, sheet: sheet)
        headerDone = false
        lastRowNumber = 0
        pendingBlank = 0
        heldRow = nil
        sheetDone = false
        rowsRead = 0
        droppedCells = 0
        let names = columnNames
        batch.clear()
        try readHeader()
        columnNames = names
    }
}

/// Parses the ISO 8601 forms used by `t="d"` cells.
enum ISODateParsing {
    static func parse(_ s: String) -> (Double, UInt32)? {
        let parts = s.split(separator: "T", maxSplits: 1)
        let d = parts.first?.split(separator: "-").compactMap { Int($0) } ?? []
        guard d.count == 3 else { return nil }
        var secs = Double(DateFormatting.days(year: d[0], month: d[1], day: d[2])) * 86400
        if parts.count == 2 {
            let t = parts[1].prefix { $0 != "Z" && $0 != "+" }.split(separator: ":")
            guard t.count >= 2, let h = Int(t[0]), let m = Int(t[1]) else { return nil }
            let sec = t.count > 2 ? Double(t[2]) ?? 0 : 0
            secs += Double(h * 3600 + m * 60) + sec
            return (secs, 0)
        }
        return (secs, UInt32(PZ_DT_DATE_ONLY))
    }
}
