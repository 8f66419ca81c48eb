/// The operators of `excel/search` and `csv/search`: the original's fifteen plus `regex`.
public enum SearchOperator: String, CaseIterable, Sendable {
    case equals
    case notEquals = "not_equals"
    case contains
    case notContains = "not_contains"
    case startsWith = "starts_with"
    case endsWith = "ends_with"
    case isEmpty = "is_empty"
    case isNotEmpty = "is_not_empty"
    case greaterThan = "greater_than"
    case greaterThanOrEqual = "greater_than_or_equal"
    case lessThan = "less_than"
    case lessThanOrEqual = "less_than_or_equal"
    case between
    case before
    case after
    case regex

    /// The operators suggested for a column of `typeName` (a pandas-style name from `ColumnTypeTracker`), chosen by
    /// the original's substring tests in its order: numbers, then dates and times, then booleans, else text.
    public static func suggestions(forType typeName: String) -> [SearchOperator] {
        let t = typeName.lowercased()
        if ["int", "float", "number", "numeric"].contains(where: { t.contains($0) }) {
            return [.equals, .notEquals, .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual, .between]
        }
        if ["date", "time"].contains(where: { t.contains($0) }) { return [.equals, .before, .after, .between] }
        if t.contains("bool") { return [.equals, .notEquals] }
        return [.equals, .notEquals, .contains, .notContains, .startsWith, .endsWith, .isEmpty, .isNotEmpty]
    }
}
