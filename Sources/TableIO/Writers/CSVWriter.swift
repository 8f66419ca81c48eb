/// Writes UTF-8 CSV (no BOM, LF line ends, header row, minimal RFC 4180 quoting). Typed cells are rendered as text:
/// integers as digits, floats in shortest form, booleans `True`/`False`, dates `YYYY-MM-DD[ HH:MM:SS]`, null as
/// an empty field.
public final class CSVWriter: TableWriter {
    public let columnNames: [String]
    public private(set) var rowsWritten: Int64 = 0
    private let file: FileDescriptor
    private var out: [UInt8] = []
    private var finished = false

    public init(path: String, columnNames: [String]) throws {
        self.columnNames = columnNames
        file = try FileDescriptor(writingTo: path)
        out.reserveCapacity(1 << 18)
        if !columnNames.isEmpty {
            for (i, name) in columnNames.enumerated() {
                if i > 0 { out.append(0x2C) }
                var s = name
                s.withUTF8 { appendField($0) }
            }
            out.append(0x0A)
        }
    }

    private func appendField(_ bytes: UnsafeBufferPointer<UInt8>) {
        let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes { out.append(contentsOf: bytes); return }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        try TableShape.check(finished: finished, cells: cells.count, rows: rowCount, width: columnNames.count)
        let width = columnNames.count
        for r in 0..<rowCount {
            for c in 0..<width {
                if c > 0 { out.append(0x2C) }
                let cell = cells[r * width + c]
                switch cell.kind {
                case .null: break
                case .text: appendField(cell.textBytes)
                case .int: NumberFormatting.appendInt(cell.value.i, to: &out)
                case .float: NumberFormatting.appendDouble(cell.value.f, to: &out)
                case .bool: out.append(contentsOf: (cell.value.b != 0 ? "True" : "False").utf8)
                case .dateTime: out.append(contentsOf: DateFormatting.text(seconds: cell.value.f, flags: cell.flags).utf8)
                }
            }
            out.append(0x0A)
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
        try file.write(out)
        out.removeAll()
        try file.sync()
    }
}
