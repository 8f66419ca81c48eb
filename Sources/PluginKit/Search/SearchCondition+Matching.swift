#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PluginABI

/// What each operator means for one cell. Cells keep their types, so numbers, dates and text are compared as what
/// they are; text that looks like a number or a date (every CSV value) is read as one where the operator needs it.
///
/// - `equals` / `not_equals`: text cells compare their exact bytes (case-sensitive), and a JSON-number value also
///   matches numeric text by value (`2500.5` equals `"2500.50"`); number cells compare by value (`"1500"`, `1500`
///   and `1500.0` all equal the cell 1500); booleans match `true`/`false`; date cells match a value that parses as
///   the same instant; an empty cell equals `""` or null. `not_equals` is the exact negation.
/// - `contains` / `not_contains`: a literal substring, case-insensitive (see `FoldedNeedle`), of the cell's text.
/// - `starts_with` / `ends_with`: a literal, case-sensitive prefix or suffix of the cell's text.
/// - `is_empty` / `is_not_empty`: null or zero-length text.
/// - `greater_than`, `greater_than_or_equal`, `less_than`, `less_than_or_equal`, `between` (inclusive): number
///   cells and numeric text; other cells never match. `between` with two dates compares dates instead.
/// - `before` / `after`: strictly earlier / later; date cells and text dates in any format `DateText` accepts.
/// - `regex`: PCRE2 search anywhere in the cell's text (case-sensitive unless the pattern says `(?i)`).
///
/// "The cell's text" of a non-text cell is its canonical text (`42`, `2.5`, `True`, `2024-01-05`); an empty cell's
/// is `""`.
extension SearchCondition {
    public func matches(_ cell: pz_cell) throws(OperationFailure) -> Bool {
        switch operand {
        case .none:
            let empty = cell.kind == .null || (cell.kind == .text && cell.text_len == 0)
            return op == .isEmpty ? empty : !empty
        case .value(let v):
            return v.equals(cell) == (op == .equals)
        case .literal(let bytes):
            return Self.withText(cell) { t in
                guard t.count >= bytes.count else { return false }
                let part = op == .startsWith ? UnsafeBufferPointer(rebasing: t[0..<bytes.count])
                    : UnsafeBufferPointer(rebasing: t[(t.count - bytes.count)...])
                return part.elementsEqual(bytes)
            }
        case .needle(let needle):
            let found = Self.withText(cell) { t in needle.isFound(in: t, scratch: &scratch) }
            return found == (op == .contains)
        case .number(let x):
            guard let n = Self.number(cell) else { return false }
            switch op {
            case .greaterThan: return n > x
            case .greaterThanOrEqual: return n >= x
            case .lessThan: return n < x
            default: return n <= x
            }
        case .numbers(let lo, let hi):
            guard let n = Self.number(cell) else { return false }
            return n >= lo && n <= hi
        case .dates(let lo, let hi):
            guard let d = Self.date(cell) else { return false }
            return d >= lo && d <= hi
        case .date(let x):
            guard let d = Self.date(cell) else { return false }
            return op == .before ? d < x : d > x
        case .pattern(let regex):
            if cell.kind == .text || cell.kind == .null { return try regex.matches(cell.textBytes) }
            return try regex.matches(CellValue(cell).text)
        }
    }

    /// Number cells, and text that is a plain decimal or scientific number.
    static func number(_ cell: pz_cell) -> Double? {
        switch cell.kind {
        case .int: return Double(cell.value.i)
        case .float: return cell.value.f
        case .text: return NumericText.parse(cell.textBytes)
        default: return nil
        }
    }

    /// Date cells, and text `DateText` accepts.
    static func date(_ cell: pz_cell) -> Double? {
        switch cell.kind {
        case .dateTime: return cell.value.f
        case .text: return DateText.parse(cell.textBytes)?.seconds
        default: return nil
        }
    }

    /// Calls `body` with the cell's text bytes (borrowed for text cells; rendered for numbers, booleans and dates).
    static func withText(_ cell: pz_cell, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        switch cell.kind {
        case .text, .null: return body(cell.textBytes)
        default: return Array(CellValue(cell).text.utf8).withUnsafeBufferPointer(body)
        }
    }
}

extension ComparisonValue {
    func equals(_ cell: pz_cell) -> Bool {
        switch cell.kind {
        case .null:
            return matchesEmpty
        case .text:
            let t = cell.textBytes
            if t.count == 0 { return matchesEmpty }
            if t.count == text.count, let tb = t.baseAddress,
               text.withUnsafeBufferPointer({ v in v.baseAddress.map { memcmp($0, tb, t.count) == 0 } ?? false }) {
                return true
            }
            if isJSONNumber, let n = number, let c = NumericText.parse(t) { return c == n }
            return false
        case .int:
            return number == Double(cell.value.i)
        case .float:
            return number == cell.value.f
        case .bool:
            return bool == (cell.value.b != 0)
        case .dateTime:
            if let d = date { return d == cell.value.f }
            return Array(CellValue(cell).text.utf8) == text
        }
    }
}
