import PluginKit

/// The numeric family: `round_decimal`, `integer_convert`, `currency_format`.
///
/// Numeric types work on number cells and on numeric text (`CellValue.number`); text that is not a number becomes
/// empty, as the original's `to_numeric(errors="coerce")`. Booleans and dates are not numbers and are left alone.
enum NumericCell {
    static func isNumericKind(_ v: CellValue) -> Bool {
        switch v {
        case .int, .float, .text: return true
        default: return false
        }
    }
}

/// Rounds half to even on the scaled value, as numpy (`2.25` → `2.2`, `2.35` → `2.4` at 1 decimal); negative
/// `decimals` round to tens, hundreds, …. Integers stay integers.
final class RoundNormalizer: ColumnNormalizer {
    let decimals: Int
    let scale: Double

    init(decimals: Int) {
        self.decimals = max(-308, min(308, decimals))
        scale = RoundNormalizer.pow10(self.decimals)
    }

    static func round(_ x: Double, scale: Double) -> Double {
        let scaled = x * scale
        guard scaled.isFinite, scale.isFinite, scale != 0 else { return x }
        let r = scaled.rounded(.toNearestOrEven) / scale
        return r.isFinite ? r : x
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(n) { r *= 10 }
        return n < 0 ? 1 / r : r
    }

    override func apply(_ value: CellValue) -> CellValue {
        switch value {
        case .null, .bool, .dateTime: return value
        case .int(let i):
            guard decimals < 0 else { return value }
            let r = RoundNormalizer.round(Double(i), scale: scale)
            return Int64(exactly: r).map { .int($0) } ?? .float(r)
        default:
            guard let x = value.number else { return .null }
            return .float(RoundNormalizer.round(x, scale: scale))
        }
    }
}

/// Truncates toward zero to an integer; empty and non-numeric values become 0 (the original's `fillna(0)`);
/// booleans become 1/0; numbers beyond the 64-bit range become empty.
final class IntegerNormalizer: ColumnNormalizer {
    override func apply(_ value: CellValue) -> CellValue {
        switch value {
        case .int, .dateTime: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .null: return .int(0)
        default:
            guard let x = value.number else { return .int(0) }
            let t = x.rounded(.towardZero)
            guard t >= -9.223372036854775e18, t <= 9.223372036854775e18, let i = Int64(exactly: t) else { return .null }
            return .int(i)
        }
    }
}

/// Deletes every character except digits, `.` and `-` and parses the rest (`$1,234.50` → 1234.5, `(12)` → 12);
/// what does not parse becomes empty. Number cells are already numbers.
final class CurrencyNormalizer: ColumnNormalizer {
    override func apply(_ value: CellValue) -> CellValue {
        guard case .text(let s) = value else { return value }
        let kept = String(decoding: s.utf8.filter { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }, as: UTF8.self)
        guard !kept.isEmpty, let x = Double(kept), x.isFinite else { return .null }
        return .float(x)
    }
}
