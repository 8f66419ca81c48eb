import PluginKit

/// The two-pass family: `min_max_scale`, `z_score`, `outlier_removal`, `fill_null_values` (mean/median/mode).
/// The first streaming pass gathers what the formula needs; only `outlier_removal` and the median keep the
/// column's numbers (one `Double` per row of that one column), and the mode keeps one count per distinct value.

/// `(x − min) / (max − min)`; when every number is equal the numbers are kept. Non-numeric text becomes empty.
final class MinMaxNormalizer: ColumnNormalizer {
    private var low = Double.infinity, high = -Double.infinity
    override var needsFirstPass: Bool { true }

    override func observe(_ value: CellValue) {
        guard NumericCell.isNumericKind(value), let x = value.number else { return }
        low = Swift.min(low, x)
        high = Swift.max(high, x)
    }

    override func apply(_ value: CellValue) -> CellValue {
        guard NumericCell.isNumericKind(value) else { return value }
        guard let x = value.number else { return .null }
        guard high > low else { if case .text = value { return .float(x) }; return value }
        return .float((x - low) / (high - low))
    }
}

/// `(x − mean) / std` with the sample standard deviation (n − 1); `x − mean` when it is 0 or undefined.
final class ZScoreNormalizer: ColumnNormalizer {
    private var count = 0.0, mean = 0.0, m2 = 0.0
    override var needsFirstPass: Bool { true }

    override func observe(_ value: CellValue) {
        guard NumericCell.isNumericKind(value), let x = value.number else { return }
        count += 1
        let delta = x - mean
        mean += delta / count
        m2 += delta * (x - mean)
    }

    override func apply(_ value: CellValue) -> CellValue {
        guard NumericCell.isNumericKind(value) else { return value }
        guard let x = value.number else { return .null }
        let std = count > 1 ? (m2 / (count - 1)).squareRoot() : 0
        return .float(std > 0 && std.isFinite ? (x - mean) / std : x - mean)
    }
}

/// Numbers outside `[Q1 − k·IQR, Q3 + k·IQR]` (linear-interpolated quartiles, as pandas) become empty.
final class OutlierNormalizer: ColumnNormalizer {
    let multiplier: Double
    private var numbers: [Double] = []
    private var bounds: (Double, Double)?
    override var needsFirstPass: Bool { true }

    init(multiplier: Double) { self.multiplier = multiplier }

    override func observe(_ value: CellValue) {
        if NumericCell.isNumericKind(value), let x = value.number { numbers.append(x) }
    }

    override func finishFirstPass() {
        numbers.sort()
        guard let q1 = Quantile.linear(numbers, 0.25), let q3 = Quantile.linear(numbers, 0.75) else { return }
        let iqr = q3 - q1
        bounds = (q1 - multiplier * iqr, q3 + multiplier * iqr)
        numbers = []
    }

    override func apply(_ value: CellValue) -> CellValue {
        guard let b = bounds, NumericCell.isNumericKind(value), let x = value.number else { return value }
        return x < b.0 || x > b.1 ? .null : value
    }
}

/// Fills empty cells (null or empty text) with `value`, or with the column's mean, median or mode.
final class FillNullNormalizer: ColumnNormalizer {
    enum Method: String { case value, mean, median, mode }
    let method: Method
    private var fill: CellValue
    private var sum = 0.0, count = 0.0
    private var numbers: [Double] = []
    private var counts: [CellKey: (count: Int, first: Int, value: CellValue)] = [:]
    override var needsFirstPass: Bool { method != .value }

    init(method: Method, value: CellValue) {
        self.method = method
        fill = value
    }

    override func observe(_ value: CellValue) {
        guard !value.isEmpty else { return }
        switch method {
        case .value: break
        case .mean:
            if let x = value.number { sum += x; count += 1 }
        case .median:
            if let x = value.number { numbers.append(x) }
        case .mode:
            let id = CellKey.exact(value)
            if let c = counts[id] { counts[id] = (c.count + 1, c.first, c.value) } else { counts[id] = (1, counts.count, value) }
        }
    }

    override func finishFirstPass() {
        switch method {
        case .value: break
        case .mean: fill = count > 0 ? .float(sum / count) : .null
        case .median:
            numbers.sort()
            fill = Quantile.linear(numbers, 0.5).map { .float($0) } ?? .null
            numbers = []
        case .mode:
            // The most frequent value; a tie goes to the value seen first.
            fill = counts.values.max { a, b in a.count != b.count ? a.count < b.count : a.first > b.first }?.value ?? .null
            counts = [:]
        }
    }

    override func apply(_ value: CellValue) -> CellValue {
        guard value.isEmpty else { return value }
        if method != .value, case .null = fill { return value }
        return fill
    }
}

enum Quantile {
    /// The `q` quantile of sorted numbers with linear interpolation (numpy's default); nil when empty.
    static func linear(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = Double(sorted.count - 1) * q
        let lo = Int(position.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }
}
