import PluginABI

/// What `excel/extract-columns` reports about one column, gathered row by row: the values (as JSON, each as its
/// type), counts, and for a numeric column `mean`, `median`, `min`, `max` and the sample `std`.
///
/// Holds the column's values (they are the answer) and, for de-duplication or `unique_count`, a set of typed keys.
public struct ColumnSummary {
    public let removeDuplicates: Bool
    public let countDistinct: Bool
    public private(set) var values: [JSONValue] = []
    public private(set) var total: Int64 = 0
    public private(set) var nonNull: Int64 = 0
    private var distinct = Set<CellKey>()
    private var numbers: [Double] = []

    /// - Parameters:
    ///   - removeDuplicates: keep each distinct non-empty value once, in first-appearance order.
    ///   - countDistinct: track `unique_count` even without de-duplication.
    public init(removeDuplicates: Bool, countDistinct: Bool) {
        self.removeDuplicates = removeDuplicates
        self.countDistinct = countDistinct
    }

    public mutating func add(_ cell: pz_cell) {
        total += 1
        let isNull = cell.kind == .null
        if !isNull { nonNull += 1 }
        if cell.kind == .int { numbers.append(Double(cell.value.i)) } else if cell.kind == .float { numbers.append(cell.value.f) }
        if removeDuplicates {
            guard !isNull, distinct.insert(CellKey.exact(cell)).inserted else { return }
        } else if countDistinct && !isNull {
            distinct.insert(CellKey.exact(cell))
        }
        values.append(Self.json(cell))
    }

    /// `values`, `value_count` and, with `statistics`, the counts, `data_type` and (numeric types only) `statistics`.
    public func result(typeName: String, includeStatistics: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [("values", .array(values)), ("value_count", .int(Int64(values.count)))]
        guard includeStatistics else { return .object(members) }
        members += [
            ("total_count", .int(total)), ("non_null_count", .int(nonNull)), ("null_count", .int(total - nonNull)),
            ("unique_count", .int(Int64(distinct.count))), ("data_type", .string(typeName)),
        ]
        if (typeName == "int64" || typeName == "float64") && !numbers.isEmpty {
            members.append(("statistics", statistics(integers: typeName == "int64")))
        }
        return .object(members)
    }

    private func statistics(integers: Bool) -> JSONValue {
        let sorted = numbers.sorted()
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let mid = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        // pandas' std: the sample standard deviation (n - 1), undefined (null) for a single value.
        let variance = sorted.count > 1 ? sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : Double.nan
        func number(_ v: Double) -> JSONValue {
            integers && v == v.rounded() && abs(v) < 9e15 ? .int(Int64(v)) : (v.isFinite ? .double(v) : .null)
        }
        return [
            "mean": mean.isFinite ? .double(mean) : .null, "median": median.isFinite ? .double(median) : .null,
            "min": number(sorted[0]), "max": number(sorted[sorted.count - 1]),
            "std": variance.isFinite ? .double(variance.squareRoot()) : .null,
        ]
    }

    /// A cell as JSON: numbers and booleans keep their type, dates are the original's text (`2024-01-05 10:00:00`).
    static func json(_ cell: pz_cell) -> JSONValue {
        switch cell.kind {
        case .null: return .null
        case .int: return .int(cell.value.i)
        case .float: return cell.value.f.isFinite ? .double(cell.value.f) : .null
        case .bool: return .bool(cell.value.b != 0)
        case .text: return .string(String(decoding: cell.textBytes, as: UTF8.self))
        case .dateTime: return .string(CellValue(cell).text)
        }
    }
}
