import Foundation
import TableIO

/// libFuzzer entry: the input is a whole CSV file; the reader must read it or throw `TableIOError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "pycelize-fuzz-csv-\(getpid()).csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    do {
        let reader = try CSVReader(path: path, batchRows: 7)
        while try reader.nextBatch(maxRows: 0).rowCount > 0 {}
        try reader.rewind()
        while try reader.nextBatch(maxRows: 3).rowCount > 0 {}
    } catch is TableIOError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
