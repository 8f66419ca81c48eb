import PycelizeCore

/// A table being written row by row. Writers stream: they keep at most a small buffer, never the whole table.
public protocol TableWriter: AnyObject {
    var columnNames: [String] { get }
    /// Appends `rowCount` rows of `columnNames.count` cells each, row-major.
    func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws
    /// Completes the file. The writer must not be used afterwards.
    func finish() throws
    /// Data rows written so far.
    var rowsWritten: Int64 { get }
}

extension TableWriter {
    /// Appends one row given as owning values (tests, small tables).
    public func append(values: [CellValue]) throws {
        var pool: [UInt8] = []
        var spans: [(Int, Int)] = []
        for v in values {
            if case .text(let s) = v {
                spans.append((pool.count, s.utf8.count))
                pool.append(contentsOf: s.utf8)
            }
        }
        try pool.withUnsafeBufferPointer { buf in
            var cells: [Cell] = []
            var k = 0
            for v in values {
                switch v {
                case .text:
                    let (o, n) = spans[k]
                    k += 1
                    cells.append(.text(buf.baseAddress.map { $0 + o }, n))
                case .null: cells.append(.null)
                case .int(let i): cells.append(.int(i))
                case .float(let f): cells.append(.float(f))
                case .bool(let b): cells.append(.bool(b))
                case .dateTime(let s, let f): cells.append(.dateTime(s, flags: f))
                }
            }
            try cells.withUnsafeBufferPointer { try append(rows: $0, rowCount: 1) }
        }
    }

    /// Copies every remaining row of `reader` into this writer.
    public func copyAll(from reader: any TableReader) throws {
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { return }
            try append(rows: batch.cells, rowCount: batch.rowCount)
        }
    }
}

/// Output formats the engine writes.
public enum TableFormat: String, Sendable, CaseIterable {
    case xlsx, csv, json

    public var fileExtension: String { rawValue }
}

/// Options for the XLSX writer.
public struct XLSXWriteOptions: Sendable {
    public var sheetName: String = "Sheet1"
    /// Append the original's `Info` sheet (File, Created, Rows, Columns, Column Names).
    public var infoSheet: InfoSheet?
    /// Column width cap (the original's `excel.max_column_width`).
    public var maxColumnWidth: Int = 50
    /// Level 0–9 on zlib's scale: 0 stored, 1–3 ISA-L's igzip (1 and 2 both igzip's level 2), 4–9 zlib.
    public var compressionLevel: Int = 1
    /// Deflate on a second thread while XML is generated (uses both cores; memory bounded by 4 chunks).
    public var pipelinedCompression = true

    public struct InfoSheet: Sendable {
        public var fileName: String
        /// Local "YYYY-MM-DD HH:MM:SS".
        public var created: String
        public init(fileName: String, created: String) {
            self.fileName = fileName
            self.created = created
        }
    }

    public init(sheetName: String = "Sheet1", infoSheet: InfoSheet? = nil, maxColumnWidth: Int = 50,
                compressionLevel: Int = 1) {
        self.sheetName = sheetName
        self.infoSheet = infoSheet
        self.maxColumnWidth = maxColumnWidth
        self.compressionLevel = compressionLevel
    }

    /// Excel's sheet-name rules: 1–31 characters, none of `[]:*?/\`, not starting or ending with `'`.
    public static func validateSheetName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 31 else {
            throw TableIOError.usage("Invalid sheet name '\(name)': it must have 1 to 31 characters")
        }
        if name.contains(where: { "[]:*?/\\".contains($0) }) || name.hasPrefix("'") || name.hasSuffix("'") {
            throw TableIOError.usage("Invalid sheet name '\(name)': it must not contain []:*?/\\ or start/end with '")
        }
    }
}

/// The argument checks every writer's `append(rows:rowCount:)` makes.
enum TableShape {
    static func check(finished: Bool, cells: Int, rows: Int, width: Int) throws {
        guard !finished else { throw TableIOError.usage("writer already finished") }
        guard cells == rows * width else {
            throw TableIOError.usage("expected \(rows) rows of \(width) cells, got \(cells) cells")
        }
    }
}
