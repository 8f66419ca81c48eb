import PluginABI
import PluginKit

/// Writes one cell as a SQL value of the standard generator.
///
/// Typed (default): `NULL` for empty cells (null or ""), numbers unquoted, text quoted and escaped for the
/// dialect, booleans `TRUE`/`FALSE` (PostgreSQL) or `1`/`0`, dates as literals (`'2024-01-05'::date` on
/// PostgreSQL). With `quote_all_values` (the original's behaviour, which read every cell as text): every value is
/// a quoted text literal of the text the original saw, and empty cells are `''`.
struct SQLValueFormatter {
    let dialect: SQLDialect
    let allText: Bool

    @inline(__always)
    func append(_ cell: pz_cell, to out: inout [UInt8]) {
        if allText {
            if cell.type == UInt32(PZ_CELL_TEXT.rawValue) {
                dialect.appendQuoted(cell.utf8, to: &out)
            } else {
                var text: [UInt8] = []
                CellText.appendOriginalText(cell, to: &text)
                text.withUnsafeBufferPointer { dialect.appendQuoted($0, to: &out) }
            }
            return
        }
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue):
            if cell.text_len == 0 { out.append(contentsOf: Self.null) } else { dialect.appendQuoted(cell.utf8, to: &out) }
        case UInt32(PZ_CELL_INT.rawValue): CellText.appendInt(cell.value.i, to: &out)
        case UInt32(PZ_CELL_FLOAT.rawValue): out.append(contentsOf: CellText.float(cell.value.f).utf8)
        case UInt32(PZ_CELL_BOOL.rawValue): out.append(contentsOf: (cell.value.b != 0 ? dialect.trueLiteral : dialect.falseLiteral).utf8)
        case UInt32(PZ_CELL_DATETIME.rawValue): dialect.appendDateTime(seconds: cell.value.f, flags: cell.flags, to: &out)
        default: out.append(contentsOf: Self.null)
        }
    }

    static let null: [UInt8] = Array("NULL".utf8)
}
