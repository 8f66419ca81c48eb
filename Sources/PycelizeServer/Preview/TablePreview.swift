import Foundation
import PycelizeJSON
import TableIO

/// The first rows of a CSV or XLSX file as typed JSON (the `…/preview` routes): read through the engine's streaming
/// readers, so only the header and `limit + 1` rows are ever read, whatever the file's size.
enum TablePreview {
    static let defaultLimit = 50
    static let maxLimit = 1000

    /// The `limit` query value: absent → 50; an integer above 1000 is clamped to 1000; anything else → 422.
    static func limit(_ raw: Substring?) throws -> Int {
        guard let raw else { return defaultLimit }
        guard let value = Int(raw), value >= 0 else {
            throw APIError.validation("limit must be a non-negative integer (at most \(maxLimit) rows are returned)")
        }
        return min(value, maxLimit)
    }

    /// The preview of `path` (its client-visible name is `name`) as the route's `data`, read off the event loops.
    static func json(path: String, name: String, limit: Int, sheetName: String?, limits: ZipLimits) async throws -> JSONValue {
        let format = try format(of: name)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result(catching: {
                    try read(path: path, name: name, format: format, limit: limit, sheetName: sheetName, limits: limits)
                }))
            }
        }
    }

    /// Only tables are previewed: `.csv`, `.xlsx` and `.xlsm` (by name, as the download route names them).
    static func format(of name: String) throws -> TableFiles.InputFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        throw APIError.validation("Preview is only available for .csv and .xlsx files")
    }

    static func read(path: String, name: String, format: TableFiles.InputFormat, limit: Int, sheetName: String?,
                     limits: ZipLimits) throws -> JSONValue {
        let reader: any TableReader
        switch format {
        case .csv:
            if let sheetName, !sheetName.isEmpty, sheetName != "Sheet1" { throw TableIOError.sheetNotFound(sheetName) }
            reader = try CSVReader(path: path, batchRows: limit + 1)
        case .xlsx:
            reader = try XLSXReader(path: path, sheetName: sheetName, limits: limits, batchRows: limit + 1)
        }
        let width = reader.columnNames.count
        var rows: [[JSONValue]] = []
        var kinds = [Set<String>](repeating: [], count: width)
        var more = false
        // One row past the limit tells whether the file goes on.
        while rows.count <= limit {
            let batch = try reader.nextBatch(maxRows: limit + 1 - rows.count)
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                if rows.count == limit { more = true; break }
                let cells = batch.row(r)
                rows.append((0..<width).map { c -> JSONValue in
                    guard c < cells.count else { return .null }
                    let (json, kind) = typed(cells[c], csv: format == .csv)
                    if let kind { kinds[c].insert(kind) }
                    return json
                })
            }
            if more { break }
        }
        let types = kinds.map(columnType)
        let hint = reader.totalRowsHint
        let total: JSONValue = !more ? .int(Int64(rows.count)) : (format == .xlsx && hint >= 0 ? .int(hint) : .null)
        return .object([
            ("file_name", .string(name)),
            ("format", .string(format == .csv ? "csv" : "xlsx")),
            ("columns", .array(reader.columnNames.map(JSONValue.string))),
            ("column_types", .array(types.map(JSONValue.string))),
            ("rows", .array(rows.map(JSONValue.array))),
            ("row_count", .int(Int64(rows.count))),
            ("limit", .int(Int64(limit))),
            ("truncated", .bool(more)),
            ("total_rows", total),
        ])
    }

    /// A cell as JSON: numbers and booleans as themselves, dates as ISO text, empty as null. CSV has no types (every
    /// cell is text); a CSV cell that is a plain decimal number (`42`, `-3.5`, `2.50`; not `007`, `1e3`, `+4` or ` 4`,
    /// whose leading zeros, exponent or spaces would be lost) becomes a number, anything else stays text.
    /// Also returns the cell's type name for `column_types` (nil for an empty cell).
    static func typed(_ cell: Cell, csv: Bool) -> (JSONValue, String?) {
        switch cell.kind {
        case .null: return (.null, nil)
        case .int: return (.int(cell.value.i), "integer")
        case .float: return cell.value.f.isFinite ? (.double(cell.value.f), "number") : (.null, nil)
        case .bool: return (.bool(cell.value.b != 0), "boolean")
        case .dateTime: return (.string(DateFormatting.iso(seconds: cell.value.f, flags: cell.flags)), "date")
        case .text:
            let text = String(decoding: cell.textBytes, as: UTF8.self)
            if text.isEmpty { return (.null, nil) }
            if csv, let number = canonicalNumber(text) {
                if case .int = number { return (number, "integer") }
                return (number, "number")
            }
            return (.string(text), "text")
        }
    }

    /// `text` as a number when it is `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: integers within Int64, decimals of at most 15
    /// digits (exact in a double).
    static func canonicalNumber(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
        var i = bytes[0] == UInt8(ascii: "-") ? 1 : 0
        let intStart = i
        while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        let intDigits = i - intStart
        guard intDigits > 0, intDigits == 1 || bytes[intStart] != 0x30 else { return nil }
        if i == bytes.count { return Int64(text).map(JSONValue.int) }
        guard bytes[i] == UInt8(ascii: "."), i + 1 < bytes.count else { return nil }
        let fraction = bytes[(i + 1)...]
        guard fraction.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), intDigits + fraction.count <= 15 else { return nil }
        return Double(text).map(JSONValue.double)
    }

    /// `integer`, `number`, `boolean`, `date`, `text`, `mixed`, or `empty` (no value in the previewed rows).
    static func columnType(_ kinds: Set<String>) -> String {
        if kinds.isEmpty { return "empty" }
        if kinds == ["integer", "number"] { return "number" }
        return kinds.count == 1 ? kinds.first ?? "mixed" : "mixed"
    }
}
