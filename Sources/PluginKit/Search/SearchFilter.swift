import PluginABI

/// A row predicate: the compiled conditions combined with AND (all must hold) or OR (any may).
/// Combining left to right, as the original combined its row masks, gives the same answer.
public struct SearchFilter {
    public enum Logic: String, Sendable {
        case and = "AND"
        case or = "OR"
    }

    public let conditions: [SearchCondition]
    public let logic: Logic

    public init(conditions: [SearchCondition], logic: Logic) {
        self.conditions = conditions
        self.logic = logic
    }

    /// - Parameter row: one row of the input (every condition's column index is inside it).
    public func matches(_ row: UnsafeBufferPointer<pz_cell>) throws(OperationFailure) -> Bool {
        switch logic {
        case .and:
            for c in conditions { if try !c.matches(row[c.column]) { return false } }
            return true
        case .or:
            for c in conditions { if try c.matches(row[c.column]) { return true } }
            return false
        }
    }
}
