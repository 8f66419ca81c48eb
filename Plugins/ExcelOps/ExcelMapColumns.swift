import PluginABI
import PluginKit

/// `excel/map-columns`: a new workbook whose columns are exactly the mapping's keys, in mapping order.
///
/// Per key: `"src"` copies column `src` (absent → an empty column); `{"source": s, "default": d}` copies `s`,
/// filling its empty cells with `d` (absent → a constant column of `d`); `{"default": d}` is a constant column;
/// any other value is an empty column. Defaults keep their JSON type (a number is written as a number).
/// Streams one batch at a time.
enum ExcelMapColumns {
    static let operation = PluginDefinition.Operation(
        name: "excel/map-columns",
        summary: "Build a workbook whose columns are the mapping's keys: copied, defaulted or constant columns",
        argumentsSchema: #"{"type":"object","properties":{"mapping":{"type":"object","description":"Output column -> source column name, or {source, default}"}}}"#,
        successMessage: "Extracted Excel file generated successfully",
        body: run
    )

    /// Where an output column's cells come from.
    enum Rule {
        case column(Int, fallback: pz_cell?)
        case constant(pz_cell)
    }

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        // A key given twice keeps its first position and its last rule, as a Python dict would.
        var mapping: [(String, JSONValue)] = []
        for (key, rule) in args["mapping"]?.objectValue ?? [] {
            if let i = mapping.firstIndex(where: { $0.0 == key }) { mapping[i].1 = rule } else { mapping.append((key, rule)) }
        }
        guard !mapping.isEmpty else { throw .invalidArgument("No column mapping provided") }

        let input = try call.openInput(0)
        defer { input.close() }
        let lookup = ColumnLookup(input.columnNames)
        let constants = PinnedTexts()
        defer { withExtendedLifetime(constants) {} } // output cells point into it until the last append
        let rules = mapping.map { rule(for: $0.1, lookup: lookup, constants: constants) }

        let output = try call.createOutputTable(columns: mapping.map(\.0), suffix: "mapped")
        var scan = BatchScan(input, call: call, message: "Mapping")
        var cells: [pz_cell] = []
        while let batch = try scan.next() {
            cells.removeAll(keepingCapacity: true)
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                for rule in rules {
                    switch rule {
                    case .constant(let cell):
                        cells.append(cell)
                    case .column(let c, let fallback):
                        let cell = row[c]
                        if let fallback, cell.kind == .null { cells.append(fallback) } else { cells.append(cell) }
                    }
                }
            }
            try cells.withUnsafeBufferPointer { buf throws(OperationFailure) in
                try output.append(rows: buf, rowCount: batch.rowCount)
            }
        }
        try output.finish()
    }

    static func rule(for spec: JSONValue, lookup: ColumnLookup, constants: PinnedTexts) -> Rule {
        switch spec {
        case .string(let source):
            return lookup.index(of: source).map { Rule.column($0, fallback: nil) } ?? .constant(.null)
        case .object:
            let fallback = spec["default"].map { constants.cell($0) }
            if let source = spec["source"]?.stringValue, let c = lookup.index(of: source) {
                return .column(c, fallback: fallback.flatMap { $0.kind == .null ? nil : $0 })
            }
            return .constant(fallback ?? .null)
        default:
            return .constant(.null)
        }
    }
}

/// Text cells for constant values, whose bytes live as long as this object (the whole call).
final class PinnedTexts {
    private var buffers: [UnsafeMutableBufferPointer<UInt8>] = []

    deinit { buffers.forEach { $0.deallocate() } }

    /// The cell for a JSON value: numbers, booleans and null keep their type; arrays and objects become JSON text.
    func cell(_ value: JSONValue) -> pz_cell {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .float(d)
        case .string(let s): return text(s)
        default: return text(JSONSerializer.string(value))
        }
    }

    private func text(_ s: String) -> pz_cell {
        let bytes = Array(s.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
        _ = buffer.initialize(from: bytes)
        buffers.append(buffer)
        return .text(UnsafePointer(buffer.baseAddress), bytes.count)
    }
}
