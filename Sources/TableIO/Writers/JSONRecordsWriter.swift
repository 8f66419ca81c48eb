import PycelizeCore

/// Writes a table as a JSON array of objects (one per row, keys in column order), UTF-8, two-space indentation.
/// Values keep their types: numbers, booleans, strings, null; dates as ISO 8601 text.
public final class JSONRecordsWriter: TableWriter {
    public let columnNames: [String]
    public private(set) var rowsWritten: Int64 = 0
    private let file: FileDescriptor
    private let out = ByteSink()
    /// Each key, already escaped and quoted.
    private let keys: [[UInt8]]
    private var finished = false

    public init(path: String, columnNames: [String]) throws {
        self.columnNames = columnNames
        file = try FileDescriptor(writingTo: path)
        keys = columnNames.map { name in
            let sink = ByteSink(capacity: 64)
            var s = name
            s.withUTF8 { JSONRecordsWriter.appendString($0, to: sink) }
            return Array(UnsafeBufferPointer(start: sink.base, count: sink.count))
        }
        out.append(UInt8(0x5B))
    }

    /// Appends a JSON string literal (quotes; escapes for `"`, `\` and control characters).
    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: ByteSink) {
        out.append(UInt8(0x22))
        for b in bytes {
            switch b {
            case 0x22: out.append("\\\"")
            case 0x5C: out.append("\\\\")
            case 0x0A: out.append("\\n")
            case 0x0D: out.append("\\r")
            case 0x09: out.append("\\t")
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append("\\u00")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(0x22))
    }

    /// Appends the JSON form of a cell.
    static func appendValue(_ cell: Cell, to out: ByteSink) {
        switch cell.kind {
        case .null: out.append("null")
        case .text: appendString(cell.textBytes, to: out)
        case .int: out.append(int: cell.value.i)
        case .float: if cell.value.f.isFinite { out.append(double: cell.value.f) } else { out.append("null") }
        case .bool: if cell.value.b != 0 { out.append("true") } else { out.append("false") }
        case .dateTime:
            var iso = DateFormatting.iso(seconds: cell.value.f, flags: cell.flags)
            iso.withUTF8 { appendString($0, to: out) }
        }
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        try TableShape.check(finished: finished, cells: cells.count, rows: rowCount, width: columnNames.count)
        let width = columnNames.count
        for r in 0..<rowCount {
            if rowsWritten == 0 && r == 0 { out.append("\n  {") } else { out.append(",\n  {") }
            for c in 0..<width {
                if c == 0 { out.append("\n    ") } else { out.append(",\n    ") }
                keys[c].withUnsafeBufferPointer { out.append($0) }
                out.append(": ")
                JSONRecordsWriter.appendValue(cells[r * width + c], to: out)
            }
            out.append("\n  }")
            if out.count >= 1 << 18 { try flush() }
        }
        rowsWritten += Int64(rowCount)
    }

    private func flush() throws {
        if let base = out.bytes.baseAddress, out.count > 0 { try file.write(base, count: out.count) }
        out.removeAll()
    }

    public func finish() throws {
        guard !finished else { throw TableIOError.usage("writer already finished") }
        finished = true
        if rowsWritten == 0 { out.append("]\n") } else { out.append("\n]\n") }
        try flush()
        try file.sync()
    }
}
