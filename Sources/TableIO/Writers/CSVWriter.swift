import PycelizeCore

/// Writes UTF-8 CSV (no BOM, LF line ends, header row, minimal RFC 4180 quoting). Typed cells are rendered as text:
/// integers as digits, floats in shortest form, booleans `True`/`False`, dates `YYYY-MM-DD[ HH:MM:SS]`, null as
/// an empty field.
public final class CSVWriter: TableWriter {
    public let columnNames: [String]
    public private(set) var rowsWritten: Int64 = 0
    private let file: FileDescriptor
    private let out = ByteSink()
    private var finished = false

    public init(path: String, columnNames: [String]) throws {
        self.columnNames = columnNames
        file = try FileDescriptor(writingTo: path)
        if !columnNames.isEmpty {
            for (i, name) in columnNames.enumerated() {
                if i > 0 { out.append(UInt8(0x2C)) }
                var s = name
                s.withUTF8 { appendField($0) }
            }
            out.append(UInt8(0x0A))
        }
    }

    private func appendField(_ bytes: UnsafeBufferPointer<UInt8>) {
        let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes { out.append(bytes); return }
        out.append(UInt8(0x22))
        for b in bytes {
            if b == 0x22 { out.append(UInt8(0x22)) }
            out.append(b)
        }
        out.append(UInt8(0x22))
    }

    public func append(rows cells: UnsafeBufferPointer<Cell>, rowCount: Int) throws {
        try TableShape.check(finished: finished, cells: cells.count, rows: rowCount, width: columnNames.count)
        let width = columnNames.count
        for r in 0..<rowCount {
            for c in 0..<width {
                if c > 0 { out.append(UInt8(0x2C)) }
                let cell = cells[r * width + c]
                switch cell.kind {
                case .null: break
                case .text: appendField(cell.textBytes)
                case .int: out.append(int: cell.value.i)
                case .float: if cell.value.f.isFinite { out.append(double: cell.value.f) } // NaN/∞: empty
                case .bool: if cell.value.b != 0 { out.append("True") } else { out.append("False") }
                case .dateTime: out.append(string: DateFormatting.text(seconds: cell.value.f, flags: cell.flags))
                }
            }
            out.append(UInt8(0x0A))
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
        try flush()
        try file.sync()
    }
}
