import PluginKit

/// The boolean family: `boolean_convert` (→ boolean cells) and `yes_no_convert` (→ `Yes`/`No`). A value is true
/// when its lower-cased text is one of `true_values` (compared lower-cased); boolean cells keep their truth, numbers
/// use their canonical text (`1` → true); empty cells stay empty.
final class BooleanNormalizer: ColumnNormalizer {
    let trueValues: Set<String>
    let yesNo: Bool

    init(trueValues: [String], yesNo: Bool) {
        self.trueValues = Set(trueValues.map { $0.lowercased() })
        self.yesNo = yesNo
    }

    override func apply(_ value: CellValue) -> CellValue {
        let truth: Bool
        switch value {
        case .null: return .null
        case .bool(let b): truth = b
        default: truth = trueValues.contains(value.text.lowercased())
        }
        return yesNo ? .text(truth ? "Yes" : "No") : .bool(truth)
    }
}
