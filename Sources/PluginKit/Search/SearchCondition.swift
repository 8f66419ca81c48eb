import PluginABI

/// One search condition compiled against an input's header: the column, the operator and its checked operand.
///
/// Everything about a condition is validated here, before any row is read or any output created, so a bad
/// condition is a 422 that leaves nothing behind: unknown column (`Column 'X' not found in data`), unknown operator
/// (`Unsupported operator: x`), a value the operator cannot use (not a number, not a date, a bad `between` pair, a
/// regular expression that does not compile). See `SearchCondition+Matching.swift` for what each operator means.
///
/// A condition keeps scratch space for case folding, so one instance serves one operation call.
public final class SearchCondition {
    public let column: Int
    public let op: SearchOperator
    let operand: Operand
    var scratch: [UInt8] = []

    /// The operator's checked right-hand side.
    enum Operand {
        case none
        case value(ComparisonValue)
        case literal([UInt8])
        case needle(FoldedNeedle)
        case number(Double)
        case numbers(Double, Double)
        case dates(Double, Double)
        case date(Double)
        case pattern(Regex)
    }

    /// Compiles `{"column", "operator", "value"}`. Column names are case-sensitive; operator names are not.
    public init(_ json: JSONValue, lookup: ColumnLookup) throws(OperationFailure) {
        let name = json["column"]?.stringValue ?? ""
        guard let column = lookup.index(of: name) else { throw .invalidArgument("Column '\(name)' not found in data") }
        let opName = (json["operator"]?.stringValue ?? "").lowercased()
        guard let op = SearchOperator(rawValue: opName) else { throw .invalidArgument("Unsupported operator: \(opName)") }
        self.column = column
        self.op = op
        operand = try Self.operand(op, json["value"] ?? .null)
    }

    private static func operand(_ op: SearchOperator, _ value: JSONValue) throws(OperationFailure) -> Operand {
        let shown = JSONSerializer.string(value)
        switch op {
        case .equals, .notEquals:
            guard let v = ComparisonValue(value) else {
                throw .invalidArgument("Value for '\(op.rawValue)' must be text, a number, a boolean or null, got \(shown)")
            }
            return .value(v)
        case .contains, .notContains, .startsWith, .endsWith:
            guard let text = pythonText(value) else {
                throw .invalidArgument("Value for '\(op.rawValue)' must be text or a number, got \(shown)")
            }
            return op == .contains || op == .notContains ? .needle(FoldedNeedle(text)) : .literal(Array(text.utf8))
        case .isEmpty, .isNotEmpty:
            return .none
        case .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual:
            guard let n = number(value) else {
                throw .invalidArgument("Value for '\(op.rawValue)' must be a number, got \(shown)")
            }
            return .number(n)
        case .between:
            guard let pair = value.arrayValue, pair.count == 2 else {
                throw .invalidArgument("For 'between' operator, value must be a list with [min, max]")
            }
            if let lo = number(pair[0]), let hi = number(pair[1]) { return .numbers(lo, hi) }
            if let lo = date(pair[0]), let hi = date(pair[1]) { return .dates(lo, hi) }
            throw .invalidArgument("For 'between' operator, min and max must both be numbers or both be dates, got \(shown)")
        case .before, .after:
            guard let d = date(value) else {
                throw .invalidArgument("Value for '\(op.rawValue)' must be a date such as 2024-01-31, got \(shown)")
            }
            return .date(d)
        case .regex:
            guard let pattern = value.stringValue else {
                throw .invalidArgument("Value for 'regex' must be a regular expression string, got \(shown)")
            }
            return .pattern(try Regex(pattern))
        }
    }

    /// A JSON number, or text that is a plain decimal or scientific number.
    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d.isFinite ? d : nil
        case .string(let s): return NumericText.parse(s)
        default: return nil
        }
    }

    /// Text in a form `DateText` accepts.
    static func date(_ v: JSONValue) -> Double? { v.stringValue.flatMap { DateText.parse($0)?.seconds } }

    /// The text the original compared against (Python's `str(value)`): `1000`, `2.0`, `True`.
    static func pythonText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e16 ? "\(Int64(d)).0" : "\(d)"
        case .bool(let b): return b ? "True" : "False"
        default: return nil
        }
    }
}

/// The operand of `equals` / `not_equals`, in every form a cell might be compared with.
struct ComparisonValue {
    let text: [UInt8]
    /// A JSON number, or text that parses as one.
    let number: Double?
    let isJSONNumber: Bool
    /// `true`/`false` (JSON, or text in any case).
    let bool: Bool?
    let date: Double?
    /// `""` or null: equal to empty cells.
    let matchesEmpty: Bool

    init?(_ v: JSONValue) {
        switch v {
        case .null:
            self.init(text: [], number: nil, isJSONNumber: false, bool: nil, date: nil, matchesEmpty: true)
        case .string(let s):
            let lower = s.lowercased()
            self.init(text: Array(s.utf8), number: NumericText.parse(s), isJSONNumber: false,
                      bool: lower == "true" ? true : lower == "false" ? false : nil,
                      date: DateText.parse(s)?.seconds, matchesEmpty: s.isEmpty)
        case .int, .double:
            self.init(text: Array((SearchCondition.pythonText(v) ?? "").utf8), number: SearchCondition.number(v),
                      isJSONNumber: true, bool: nil, date: nil, matchesEmpty: false)
        case .bool(let b):
            self.init(text: Array((b ? "True" : "False").utf8), number: nil, isJSONNumber: false, bool: b, date: nil,
                      matchesEmpty: false)
        default:
            return nil
        }
    }

    init(text: [UInt8], number: Double?, isJSONNumber: Bool, bool: Bool?, date: Double?, matchesEmpty: Bool) {
        self.text = text
        self.number = number
        self.isJSONNumber = isJSONNumber
        self.bool = bool
        self.date = date
        self.matchesEmpty = matchesEmpty
    }
}
