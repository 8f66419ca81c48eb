import PluginABI
import PluginKit

/// The standard generator (§3.8.2): the header entries, the transaction, and one `INSERT` per row — or per
/// `batch_size` rows (`INSERT … VALUES (…), (…);`) when batching was asked for — or one template statement per row.
struct StandardStatements {
    let dialect: SQLDialect
    let table: String
    let formatter: SQLValueFormatter
    /// Input column index of each mapped column, in mapping order.
    let sources: [Int]
    let autoIncrement: AutoIncrement?
    let includeTransaction: Bool
    /// Rows per INSERT (1 = the original's one statement per row).
    let batchSize: Int
    let template: BuilderTemplate?
    /// `INSERT INTO t (id, a, b) VALUES `
    private let insertPrefix: [UInt8]

    /// - Parameters:
    ///   - columns: the validated (and possibly quoted) column identifiers, in mapping order.
    ///   - autoColumn: the validated identifier of the auto-increment column.
    init(dialect: SQLDialect, table: String, columns: [String], sources: [Int], autoIncrement: AutoIncrement?,
         autoColumn: String?, allText: Bool, includeTransaction: Bool, batchSize: Int, template: BuilderTemplate?) {
        self.dialect = dialect
        self.table = table
        formatter = SQLValueFormatter(dialect: dialect, allText: allText)
        self.sources = sources
        self.autoIncrement = autoIncrement
        self.includeTransaction = includeTransaction
        self.batchSize = template == nil ? max(1, batchSize) : 1
        self.template = template
        // The id column is listed only when the increment type gives it a value (serial types leave it to the
        // database).
        var names = columns
        if let auto = autoColumn, autoIncrement?.expression(row: 0, dialect: dialect) != nil { names.insert(auto, at: 0) }
        insertPrefix = Array("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES ".utf8)
    }

    /// Statements for `rows` rows, as the original counted them (header and transaction lines included).
    func statementCount(rows: Int) -> Int {
        6 + (includeTransaction ? 2 : 0) + (rows + batchSize - 1) / batchSize
    }

    /// The six header entries (the last one empty) and the opening transaction statement.
    func header(rows: Int, generatedAt: String) -> [String] {
        var lines = ["-- Generated SQL statements", "-- Database: \(dialect.rawValue)", "-- Table: \(table)",
                     "-- Generated at: \(generatedAt)", "-- Total rows: \(rows)", ""]
        if includeTransaction { lines.append(dialect.beginTransaction) }
        return lines
    }

    var footer: [String] { includeTransaction ? ["COMMIT;"] : [] }

    /// Appends row `index` (0-based). Statements end with `;` when `index` closes a batch; after the last row, a
    /// statement still open (a short last batch) is the caller's to end with `;`.
    /// - Returns: true when a statement was completed.
    @discardableResult
    func appendRow(_ row: UnsafeBufferPointer<pz_cell>, index: Int, to out: inout [UInt8]) -> Bool {
        if let template {
            appendTemplate(template, row, index: index, to: &out)
            return true
        }
        let first = index % batchSize == 0
        out.append(contentsOf: first ? insertPrefix : Self.tupleSeparator)
        out.append(0x28)
        var needsComma = false
        if let auto = autoIncrement, let id = auto.expression(row: Int64(index), dialect: dialect) {
            out.append(contentsOf: id.utf8)
            needsComma = true
        }
        for c in sources {
            if needsComma { out.append(0x2C); out.append(0x20) }
            formatter.append(row[c], to: &out)
            needsComma = true
        }
        out.append(0x29)
        let ends = (index + 1) % batchSize == 0
        if ends { out.append(0x3B) }
        return ends
    }

    private func appendTemplate(_ t: BuilderTemplate, _ row: UnsafeBufferPointer<pz_cell>, index: Int, to out: inout [UInt8]) {
        for piece in t.pieces {
            switch piece {
            case .text(let bytes): out.append(contentsOf: bytes)
            case .column(let i): formatter.append(row[sources[i]], to: &out)
            case .raw(let s): out.append(contentsOf: s.utf8)
            case .autoID:
                if let auto = autoIncrement {
                    let id = auto.expression(row: Int64(index), dialect: dialect) ?? String(auto.counter(Int64(index)))
                    out.append(contentsOf: id.utf8)
                }
            }
        }
    }

    static let tupleSeparator: [UInt8] = Array(", ".utf8)
}
