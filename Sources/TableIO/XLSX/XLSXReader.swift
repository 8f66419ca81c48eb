import PycelizeCore
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

    private var parser: SheetDataParser
    private let batch: RowBatch
    private let defaultBatchRows: Int
    private var headerDone = false
    private var lastRowNumber = 0
    private var pendingBlank = 0
    /// A parsed row waiting for the next batch (only when blank rows before it did not fit), `width` cells.
    private var heldRow: [Cell]?
    private let heldArena = TextArena(chunkSize: 4096)
    private var rowCells: [(Int, Cell)] = []
    private var escapeScratch: [UInt8] = []
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
        parser = try XLSXReader.openParser(workbook: workbook, sheet: sheet)
        try readHeader()
    }

    private static func openParser(workbook: XLSXWorkbook, sheet: XLSXWorkbook.Sheet) throws -> SheetDataParser {
        guard let entry = workbook.archive.entry(named: sheet.partName) else {
            throw TableIOError.badInput("Not a valid XLSX file: sheet '\(sheet.name)' has no part '\(sheet.partName)'")
        }
        return SheetDataParser(source: try workbook.archive.openReadingAhead(entry), partName: entry.name)
    }

    // MARK: - Row parsing

    private enum RowResult { case row(number: Int, hasCells: Bool), eof }

    /// Parses the next `<row>`. With `target`, its cells go straight into that row of `width` nulls (cells right of
    /// the header are counted in `droppedCells`); without, into `rowCells` (the header, whose width is not known
    /// yet). Text goes into `arena`. `hasCells` is false for a row with no value (a blank row).
    /// `parser` and `arena` are passed in (not read from properties here) so that a row costs no reference counting:
    /// reading them per row retained and released each one around the call (~5% of a read).
    private func parseRow(into target: UnsafeMutablePointer<Cell>?, width: Int, arena: TextArena,
                          parser: SheetDataParser) throws -> RowResult {
        if !rowCells.isEmpty { rowCells.removeAll(keepingCapacity: true) } // only the header fills it
        var col = -1
        var rowNumber = lastRowNumber + 1
        var hasCells = false
        var dropped = 0
        // The closure captures unmanaged references, used as guaranteed ones (all three outlive the call): it is
        // specialised into the parser's functions with its captures as owned arguments, and strong captures were
        // retained and released per row, `unowned(unsafe)` ones per cell.
        let me = Unmanaged.passUnretained(self)
        let arenaRef = Unmanaged.passUnretained(arena)
        let workbookRef = Unmanaged.passUnretained(workbook)
        let r = try parser.nextRow { column, type, style, value in
            if column >= 0 {
                guard column > col else { throw TableIOError.badInput("Not a valid XLSX file: cells out of order in row \(rowNumber)") }
                col = column
            } else if column == -1 {
                col += 1
            } else {
                throw TableIOError.badInput("Not a valid XLSX file: bad cell reference in row \(rowNumber)")
            }
            guard col < XLSXReader.maxColumns else {
                throw TableIOError.badInput("Not a valid XLSX file: column out of range in row \(rowNumber)")
            }
            if type == 0xFF { return } // no value
            let cell: Cell
            // The two commonest cells inline (plain inline text, an integer without a date style); the rest in makeCell.
            if type == 0x69 && XLSXReader.isPlainASCII(value) {
                cell = arenaRef._withUnsafeGuaranteedRef { $0.textCell(value) }
            } else if type == 0, let v = NumberParsing.int64(value),
                      workbookRef._withUnsafeGuaranteedRef({ $0.dateKind(style: style) }) == 0 {
                cell = .int(v)
            } else {
                let made = try me._withUnsafeGuaranteedRef { reader in
                    try arenaRef._withUnsafeGuaranteedRef { a in
                        try reader.makeCell(type: type, style: style, value: value, arena: a, row: rowNumber)
                    }
                }
                guard let made else { return }
                cell = made
            }
            hasCells = true
            if let target {
                if col < width { target[col] = cell } else { dropped += 1 }
            } else {
                me._withUnsafeGuaranteedRef { $0.rowCells.append((col, cell)) }
            }
        }
        droppedCells += dropped
        if totalRowsHint < 0, let last = parser.dimensionLastRow { totalRowsHint = Int64(max(0, last - 1)) }
        guard let number = r else {
            sheetDone = true
            return .eof
        }
        if number >= 0 { rowNumber = number }
        guard rowNumber > lastRowNumber, rowNumber <= XLSXReader.maxRows else {
            throw TableIOError.badInput("Not a valid XLSX file: row number \(rowNumber) out of order or out of range")
        }
        return .row(number: rowNumber, hasCells: hasCells)
    }

    private func makeCell(type: UInt8, style: Int, value valueBytes: UnsafeBufferPointer<UInt8>, arena: TextArena,
                          row: Int) throws -> Cell? {
        switch type {
        case 0x73: // s: shared string index
            guard let i = NumberParsing.int64(valueBytes), let cell = workbook.sharedStrings.cell(Int(i)) else {
                throw TableIOError.badInput("Not a valid XLSX file: bad shared string index in row \(row)")
            }
            return cell
        case 0x69, 0x53: // inlineStr, str (formula result)
            return try textCell(valueBytes, arena: arena, row: row)
        case 0x62: // b
            return .bool(valueBytes.first == 0x31 || valueBytes.elementsEqual("true".utf8))
        case 0x65: // e: error → null, as pandas reads it
            return nil
        case 0x64: // d: ISO 8601 date (strict OOXML)
            let text = String(decoding: valueBytes, as: UTF8.self)
            if let (secs, flags) = ISODateParsing.parse(text) { return .dateTime(secs, flags: flags) }
            return try textCell(valueBytes, arena: arena, row: row)
        default: // number
            if valueBytes.isEmpty { return nil }
            let kind = workbook.dateKind(style: style)
            if kind == 0, let v = NumberParsing.int64(valueBytes) {
                return .int(v)
            }
            guard let d = NumberParsing.double(valueBytes) else {
                throw TableIOError.badInput("Not a valid XLSX file: bad number '\(String(decoding: valueBytes.prefix(40), as: UTF8.self))' in row \(row)")
            }
            if kind != 0 {
                if kind & 0x2 != 0 {
                    // Millisecond precision, like Excel itself.
                    return .dateTime(((d - d.rounded(.down)) * 86_400_000).rounded() / 1000, flags: UInt32(PZ_DT_TIME_ONLY))
                }
                let secs = DateFormatting.seconds(excelSerial: d, date1904: workbook.date1904)
                let dateOnly = kind & 0x1 != 0 && d == d.rounded(.down)
                return .dateTime(secs, flags: dateOnly ? UInt32(PZ_DT_DATE_ONLY) : 0)
            }
            // Integer-looking text became .int above; anything with a point or exponent stays a float, so a
            // float written as `633.0` comes back a float.
            return .float(d)
        }
    }

    private func textCell(_ bytes: UnsafeBufferPointer<UInt8>, arena: TextArena, row: Int) throws -> Cell {
        // Most text is ASCII without '_': valid UTF-8 that cannot hold an `_xHHHH_` escape.
        if XLSXReader.isPlainASCII(bytes) { return arena.textCell(bytes) }
        var v = UTF8Validator()
        if let b = bytes.baseAddress { v.feed(b, bytes.count) }
        guard v.complete else { throw TableIOError.badInput("Not a valid XLSX file: text in row \(row) is not valid UTF-8") }
        if ExcelEscapes.mayContainEscape(bytes) {
            escapeScratch.removeAll(keepingCapacity: true)
            ExcelEscapes.decode(bytes, into: &escapeScratch)
            return escapeScratch.withUnsafeBufferPointer { arena.textCell($0) }
        }
        return arena.textCell(bytes)
    }

    /// True if every byte is ASCII and none is `_`, checked 8 bytes at a time (a word has a byte with the high bit
    /// set, or a zero byte after XOR with `_`s, exactly when one of its bytes is non-ASCII or `_`).
    @inline(__always) static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        let underscores: UInt64 = 0x5F5F_5F5F_5F5F_5F5F
        var i = 0
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let x = w ^ underscores
            if (w | ((x &- ones) & ~x)) & high != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 || base[i] == 0x5F { return false }
            i += 1
        }
        return true
    }

    // MARK: - Header and batches

    private func readHeader() throws {
        let arena = TextArena(chunkSize: 4096)
        while true {
            switch try parseRow(into: nil, width: 0, arena: arena, parser: parser) {
            case .eof:
                columnNames = []
                batch.setColumnCount(0)
                headerDone = true
                return
            case .row(let n, _):
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
        // A held row waits for room too (blank rows that exactly fill a batch left none: writing it anyway was an
        // overflow of the batch, found by SheetFastPathTests with batches of 3).
        if pendingBlank > 0 || batch.rowCount >= limit { return finish() }
        if let held = heldRow {
            heldRow = nil
            let row = batch.appendNullRow()
            for c in 0..<width { row[c] = held[c].kind == .text ? batch.arena.textCell(held[c].textBytes) : held[c] }
            heldArena.reset()
        }
        let arena = batch.arena
        let parser = self.parser
        while batch.rowCount < limit && !sheetDone {
            // Parse straight into the next row of the batch; undone below if the row is blank or must wait.
            let row = batch.appendNullRow()
            switch try parseRow(into: row, width: width, arena: arena, parser: parser) {
            case .eof:
                batch.removeLastRow()
                pendingBlank = 0 // trailing blank rows are dropped
            case .row(let n, let hasCells):
                pendingBlank += n - lastRowNumber - 1
                lastRowNumber = n
                guard hasCells else {
                    batch.removeLastRow()
                    pendingBlank += 1
                    continue
                }
                guard pendingBlank > 0 else { continue }
                let slot = batch.rowCount - 1
                if slot + pendingBlank < limit {
                    // Blank rows came before this one: move it after them.
                    for _ in 0..<pendingBlank { _ = batch.appendNullRow() }
                    let moved = batch.rowPointer(batch.rowCount - 1)
                    moved.update(from: row, count: width)
                    row.update(repeating: .null, count: width)
                    pendingBlank = 0
                } else {
                    // Keep the row for the next batch; its inline text must outlive this batch's arena.
                    heldRow = (0..<width).map { c in row[c].kind == .text ? heldArena.textCell(row[c].textBytes) : row[c] }
                    batch.removeLastRow()
                    while pendingBlank > 0 && batch.rowCount < limit { _ = batch.appendNullRow(); pendingBlank -= 1 }
                    return finish()
                }
            }
        }
        return finish()
    }

    private func finish() -> RowBatch {
        rowsRead += Int64(batch.rowCount)
        return batch
    }

    public func rewind() throws {
        parser.close() // its read-ahead thread must stop before another one inflates from the archive
        parser = try XLSXReader.openParser(workbook: workbook, sheet: sheet)
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
