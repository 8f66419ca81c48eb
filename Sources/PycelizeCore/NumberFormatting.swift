/// The text form of a double for display (`CellValue.description`, column widths). The writers format numbers
/// through `ByteSink.append(int:)` / `append(double:)`.
public enum NumberFormatting {
    /// Integral doubles print without a fraction (`2.0` → `2`, as the original's text view shows them); others use
    /// Swift's shortest round-trip form (`1.5`, `0.1`).
    public static func shortest(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 {
            return String(Int64(v))
        }
        return v.description
    }
}
