import Foundation
import PluginKit

/// The report of §3.7, with the original's keys: timestamps (local ISO, microseconds), success, total_rows, the
/// requested items as given, one entry per applied item with before/after column statistics, errors and warnings.
struct NormalizationReport {
    let startedAt = LocalTime.iso()
    var totalRows: Int64 = 0
    var requested: [JSONValue] = []
    var processed: [JSONValue] = []
    var errors: [JSONValue] = []
    var warnings: [JSONValue] = []

    mutating func warn(_ message: String) { warnings.append(Self.entry(message)) }
    mutating func fail(_ message: String) { errors.append(Self.entry(message)) }

    static func entry(_ message: String) -> JSONValue {
        .object([("message", .string(message)), ("timestamp", .string(LocalTime.iso()))])
    }

    mutating func processed(column: String, type: String, parameters: JSONValue, before: ColumnStats, after: ColumnStats) {
        processed.append(.object([
            ("column_name", .string(column)), ("normalization_type", .string(type)), ("parameters", parameters),
            ("before_stats", before.json), ("after_stats", after.json), ("success", .bool(true)),
        ]))
    }

    var json: JSONValue {
        .object([
            ("started_at", .string(startedAt)), ("completed_at", .string(LocalTime.iso())),
            ("success", .bool(errors.isEmpty)), ("total_rows", .int(totalRows)),
            ("requested_normalizations", .array(requested)), ("columns_processed", .array(processed)),
            ("errors", .array(errors)), ("warnings", .array(warnings)),
        ])
    }
}

/// `{total_values, null_count, unique_count, data_type}` of a column at one point of the chain, gathered while
/// streaming. `unique_count` excludes empty cells (pandas `nunique`); `data_type` uses pandas dtype names.
struct ColumnStats {
    private var total: Int64 = 0
    private var nulls: Int64 = 0
    private var unique: Set<CellKey> = []
    private var kinds: UInt8 = 0

    mutating func observe(_ value: CellValue) {
        total += 1
        switch value {
        case .null: nulls += 1; return
        case .int: kinds |= 1
        case .float: kinds |= 2
        case .text: kinds |= 4
        case .bool: kinds |= 8
        case .dateTime: kinds |= 16
        }
        unique.insert(CellKey.exact(value))
    }

    var dataType: String {
        switch kinds {
        case 0, 4: return "str"
        case 1: return "int64"
        case 2, 3: return "float64"
        case 8: return "bool"
        case 16: return "datetime64[ns]"
        default: return "object"
        }
    }

    var json: JSONValue {
        .object([("total_values", .int(total)), ("null_count", .int(nulls)), ("unique_count", .int(Int64(unique.count))),
                 ("data_type", .string(dataType))])
    }
}

/// Local wall-clock time as the original's `datetime.now().isoformat()`: `2026-11-25T02:36:00.368624`.
enum LocalTime {
    static func iso() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(tv.tv_usec))
    }
}
