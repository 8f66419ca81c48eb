import PycelizeCore

/// A table being read in batches: a header row (column names) and typed data rows.
///
/// Readers stream: memory is bounded by the batch size and the format's side tables (the XLSX shared strings),
/// never by the number of rows.
public protocol TableReader: AnyObject {
    /// Header labels, de-duplicated and never empty (see `HeaderNormalizer`).
    var columnNames: [String] { get }
    /// Fills the reader's batch with up to `maxRows` rows (0 = the reader's default) and returns it. A batch with
    /// `rowCount == 0` means the end. The batch's contents are valid until the next call on this reader.
    func nextBatch(maxRows: Int) throws -> RowBatch
    /// Starts again from the first data row.
    func rewind() throws
    /// Data rows handed out so far.
    var rowsRead: Int64 { get }
    /// Total data rows if known without reading them all, else -1.
    var totalRowsHint: Int64 { get }
}

extension TableReader {
    /// Reads every remaining row as owning values. For tests and small files only.
    public func readAllValues() throws -> [[CellValue]] {
        var rows: [[CellValue]] = []
        while true {
            let batch = try nextBatch(maxRows: 0)
            if batch.rowCount == 0 { return rows }
            for r in 0..<batch.rowCount {
                rows.append(batch.row(r).map(CellValue.init))
            }
        }
    }
}

/// Turns raw header cells into usable, unique column names the way the original (pandas) did:
/// a blank header becomes `Unnamed: {index}`, a repeated one `name.1`, `name.2`, …
public enum HeaderNormalizer {
    public static func normalize(_ raw: [String]) -> [String] {
        var seen: [String: Int] = [:]
        var used = Set<String>()
        var out: [String] = []
        out.reserveCapacity(raw.count)
        for (i, r) in raw.enumerated() {
            var name = r.isEmpty ? "Unnamed: \(i)" : r
            if used.contains(name) {
                var k = seen[name, default: 0]
                var candidate: String
                repeat {
                    k += 1
                    candidate = "\(name).\(k)"
                } while used.contains(candidate)
                seen[name] = k
                name = candidate
            }
            used.insert(name)
            out.append(name)
        }
        return out
    }
}
