import PluginABI

/// Reads an input table batch by batch for an operation that streams: checks cancellation between batches and
/// reports real progress through the host after every batch.
///
/// The batch size follows the table's row-count hint (about 1/50 of the rows, between 64 and 8,192 rows), so a
/// small file and a large one both report at least every ~2 % of their rows. A CSV's hint is an estimate that
/// firms up as it is read, so the first batch, read before any hint exists, is kept small (256 rows).
public struct BatchScan {
    public let input: InputTable
    private let call: OperationCall
    private let start: Double
    private let span: Double
    private let message: String
    /// Data rows handed out so far.
    public private(set) var rowsRead: Int64 = 0

    /// - Parameters:
    ///   - progress: the part of the operation's progress this scan covers (a second pass may take the rest).
    ///   - message: what the progress messages say the operation is doing, e.g. `Searching`.
    public init(_ input: InputTable, call: OperationCall, progress: ClosedRange<Double> = 0...1,
                message: String = "Reading") {
        self.input = input
        self.call = call
        start = progress.lowerBound
        span = progress.upperBound - progress.lowerBound
        self.message = message
    }

    /// The next batch, or nil at the end of the table.
    public mutating func next() throws(OperationFailure) -> InputTable.Batch? {
        if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
        let hint = input.rowCountHint
        if rowsRead > 0 && hint > 0 {
            call.progress(start + span * min(1, Double(rowsRead) / Double(hint)), "\(message): \(rowsRead) rows")
        }
        let size = hint > 0 ? Int(clamping: min(8192, max(64, hint / 50))) : 256
        let batch = try input.nextBatch(maxRows: size)
        guard batch.rowCount > 0 else {
            call.progress(start + span, "\(message): \(rowsRead) rows")
            return nil
        }
        rowsRead += Int64(batch.rowCount)
        return batch
    }
}
