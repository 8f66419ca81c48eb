/// Writes a table as a JSON array of objects (one per row, keys in column order), UTF-8, two-space indentation.
/// Values keep their types: numbers, booleans, strings, null; dates as ISO 8601 text.
public final class JSONRecordsWriter: TableWriter {
    public let columnNames: [String]
    public private(set) var rowsWritten: Int64 = 0
    private let file: FileDescriptor
    private var out: [UInt8] = []
    private let keys: [[UInt8]]
    private var finished = false

    public init(path: String, columnNames: [String]) throws {
        self.columnNames = columnNames
        file = try FileDescriptor(writingTo: path)
        keys = columnNames.map { name in
            var k: [UInt8] = []
            JSONRecordsWriter.appendString(Array(name.utf8), to: &k)
            return k
        }
        out.append(0x5B)
    }

    /// Appends a JSON string literal (quotes, escapes for `"`, `\`, and control characters).
    public static func appendString<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x00..<0x20:
                let hex = String(b, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// Appends the JSON form of a cell.
    public static func appendValue(_ cell: Cell, to out: inout [UInt8]) {
        switch cell.kind {
        case .null: out.append(contentsOf: "null".utf8)
        case .text: appendString(cell.textBytes, to: &out)
        case .int: NumberFormatting.appendInt(cell.value.i, to: &out)
        case .float: out.append(contentsOf: cell.value.f.description.utf8)
        case .bool: out.append(contentsOf: (cell.value.b != 0 ? "true" : "false").utf8)
        case .dateTime: appendString(Array(DateFormatting.iso(seconds: cell.value.f, flags: cell.flags).utf8), to: &out)
        }
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        try TableShape.check(finished: finished, cells: cells.count, rows: rowCount, width: columnNames.count)
        let width = columnNames.count
        for r in 0..<rowCount {
            out.append(contentsOf: (rowsWritten == 0 && r == 0 ? "\n  {" : ",\n  {").utf8)
            for c in 0..<width {
                out.append(contentsOf: (c == 0 ? "\n    " : ",\n    ").utf8)
                out.append(contentsOf: keys[c])
                out.append(contentsOf: ": ".utf8)
                JSONRecordsWriter.appendValue(cells[r * width + c], to: &out)
            }
            out.append(contentsOf: "\n  }".utf8)
            if out.count >= 1 << 18 {
                try file.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        rowsWritten += Int64(rowCount)
    }

    public func finish() throws {
        guard !finished else { throw TableIOError.usage("writer already finished") }
        finished = true
        out.append(contentsOf: (rowsWritten == 0 ? "]\n" : "\n]\n").utf8)
        try file.write(out)
        try file.sync()
    }
}
