import Foundation
@_spi(Testing) import TableIO

/// libFuzzer entry: the input is a whole CSV file; the reader must read it or throw `TableIOError`, and must give the
/// same names, cells or error with a read buffer of a few bytes (every field then crosses a refill) as with its
/// usual 1 MiB one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "pycelize-fuzz-csv-\(getpid()).csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    let usual = readAll(path, bufferBytes: 1 << 20, batchRows: 7)
    let tiny = readAll(path, bufferBytes: 1 + size % 13, batchRows: 3)
    if usual != tiny { fatalError("the result depends on the buffer size: \(usual) vs \(tiny)") }
    return 0
}

private enum Outcome: Equatable {
    case table([String], [[CellValue]])
    case failure(TableIOError)
}

private func readAll(_ path: String, bufferBytes: Int, batchRows: Int) -> Outcome {
    do {
        let reader = try CSVReader(path: path, batchRows: batchRows, maxFieldBytes: 64 << 20, bufferBytes: bufferBytes)
        var rows: [[CellValue]] = []
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount { rows.append(batch.row(r).map(CellValue.init)) }
        }
        try reader.rewind()
        var again = 0
        while true {
            let n = try reader.nextBatch(maxRows: 3).rowCount
            if n == 0 { break }
            again += n
        }
        if again != rows.count { fatalError("rewind read \(again) rows, the first pass \(rows.count)") }
        return .table(reader.columnNames, rows)
    } catch let error as TableIOError {
        return .failure(error)
    } catch {
        fatalError("unexpected error type: \(error)")
    }
}
