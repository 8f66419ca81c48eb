import PluginKit

/// The category family: `categorical_mapping` and `remove_duplicates`.

/// Replaces values found in `mapping` (keys compared with the cell's canonical text, so `1` matches `"1"`) by the
/// mapped JSON value; other values get `default` when one is given, else stay as they are. Empty cells stay empty.
final class CategoryMapNormalizer: ColumnNormalizer {
    let mapping: [String: CellValue]
    let fallback: CellValue?

    init(mapping: [String: CellValue], fallback: CellValue?) {
        self.mapping = mapping
        self.fallback = fallback
    }

    override func apply(_ value: CellValue) -> CellValue {
        if case .null = value { return .null }
        return mapping[value.text] ?? fallback ?? value
    }
}

/// Drops every row whose value in the column was already seen (typed comparison; the first row is kept). Holds
/// the distinct values of this one column (as `CellKey.exact`).
final class DuplicateRowFilter: ColumnNormalizer {
    private var seen: Set<CellKey> = []

    override func beginPass() { seen.removeAll(keepingCapacity: true) }

    override func keepsRow(_ value: CellValue) -> Bool { seen.insert(CellKey.exact(value)).inserted }
}
