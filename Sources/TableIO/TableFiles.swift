/// Entry points that pick a reader or writer by file format.
public enum TableFiles {
    /// Formats the engine can read, by extension.
    public enum InputFormat: Sendable { case csv, xlsx }

    /// Decides the input format from the name, falling back to the content (a zip signature means XLSX).
    public static func inputFormat(path: String, name: String) throws -> InputFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return .csv }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        if lower.hasSuffix(".xls") {
            throw TableIOError.badInput("Legacy .xls (BIFF) workbooks are not supported; save the file as .xlsx")
        }
        let fd = try FileDescriptor(readingFrom: path)
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = try withUnsafeMutableBytes(of: &magic) { try fd.pread(into: $0.baseAddress!, count: 4, offset: 0) }
        if n == 4 && magic == (0x50, 0x4B, 3, 4) { return .xlsx }
        return .csv
    }

    /// Rows per batch of a reader wrapped in a `PrefetchingReader`: its two copies and the reader's own batch then
    /// hold fewer rows together than one batch of a plain reader (8192).
    public static let prefetchBatchRows = 2048

    /// Opens a reader for `path` (client name `name` decides the format). With `prefetching`, the next batch is
    /// parsed on a second thread while the caller works (for whole-table reads; a preview of a few rows would
    /// only waste that work).
    public static func openReader(path: String, name: String, sheetName: String? = nil,
                                  limits: ZipLimits = ZipLimits(), prefetching: Bool = false) throws -> any TableReader {
        let batchRows = prefetching ? prefetchBatchRows : 8192
        let reader: any TableReader
        switch try inputFormat(path: path, name: name) {
        case .csv:
            if let sheet = sheetName, !sheet.isEmpty, sheet != "Sheet1" {
                throw TableIOError.sheetNotFound(sheet)
            }
            reader = try CSVReader(path: path, batchRows: batchRows)
        case .xlsx:
            reader = try XLSXReader(path: path, sheetName: sheetName, limits: limits, batchRows: batchRows)
        }
        return prefetching ? PrefetchingReader(reader) : reader
    }

    /// Creates a writer for `format` at `path`.
    public static func createWriter(format: TableFormat, path: String, columnNames: [String],
                                    xlsxOptions: XLSXWriteOptions = XLSXWriteOptions()) throws -> any TableWriter {
        switch format {
        case .xlsx: return try XLSXWriter(path: path, columnNames: columnNames, options: xlsxOptions)
        case .csv: return try CSVWriter(path: path, columnNames: columnNames)
        case .json: return try JSONRecordsWriter(path: path, columnNames: columnNames)
        }
    }
}
