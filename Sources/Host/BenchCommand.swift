import ArgumentParser
import Foundation
import PluginABI
import TableIO

/// `pycelize bench`: measures the engine alone (no HTTP) on the reference data set
/// (`shared/bench/gen_data.py --rows 200000`), one case at a time, on one core.
/// Reports seconds, rows/s, MB/s of input and the peak RSS reached during each case.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the XLSX/CSV engine (read CSV, read XLSX, CSV→XLSX, XLSX→XLSX filter).")

    @Option(help: "CSV input (e.g. bench_200000.csv).")
    var csv: String
    @Option(help: "XLSX input (e.g. bench_200000.xlsx).")
    var xlsx: String
    @Option(help: "Folder for written files (default: a temporary folder).")
    var outDir: String?
    @Option(help: "zlib level for written XLSX files.")
    var compressionLevel = 1
    @Option(help: "Run only the cases whose name contains this text (e.g. 'read XLSX').")
    var only: String?
    @Option(help: "Repetitions per case (the best is reported).")
    var repetitions: Int = 1

    func run() throws {
        let out = outDir ?? NSTemporaryDirectory() + "pycelize-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        print("case                         seconds      rows/s     MB/s   peak RSS (MiB, +over start)")
        try measure("read CSV", input: csv) { try drain(CSVReader(path: csv)) }
        try measure("read XLSX", input: xlsx) { try drain(XLSXReader(path: xlsx)) }
        // The conversions read as operations do: the next batch parsed on a second thread (PrefetchingReader).
        try measure("CSV -> XLSX", input: csv) {
            let reader = try TableFiles.openReader(path: csv, name: csv, prefetching: true)
            let writer = try XLSXWriter(path: out + "/csv_to_xlsx.xlsx", columnNames: reader.columnNames,
                                        options: XLSXWriteOptions(compressionLevel: compressionLevel))
            try writer.copyAll(from: reader)
            try writer.finish()
            return writer.rowsWritten
        }
        if only == nil || "write XLSX".contains(only ?? "") || (only ?? "").contains("write") {
            let table = try InMemoryTable(csv: csv)
            try measure("write XLSX", input: csv) { try table.write(to: out + "/written.xlsx", level: compressionLevel) }
            try measure("write XLSX (level 0)", input: csv) { try table.write(to: out + "/stored.xlsx", level: 0) }
        }
        try measure("XLSX -> XLSX filter", input: xlsx) {
            try filter(TableFiles.openReader(path: xlsx, name: xlsx, prefetching: true), out + "/filtered.xlsx")
        }
        try measure("CSV -> XLSX filter", input: csv) {
            try filter(TableFiles.openReader(path: csv, name: csv, prefetching: true), out + "/filtered_csv.xlsx")
        }
    }

    private func drain(_ reader: any TableReader) throws -> Int64 {
        while try reader.nextBatch(maxRows: 0).rowCount > 0 {}
        return reader.rowsRead
    }

    /// status = active AND amount > 500, streamed (amount may be a number or, from CSV, text).
    private func filter(_ reader: any TableReader, _ path: String) throws -> Int64 {
        guard let s = reader.columnNames.firstIndex(of: "status"), let a = reader.columnNames.firstIndex(of: "amount") else {
            throw ValidationError("the XLSX needs status and amount columns")
        }
        let writer = try XLSXWriter(path: path, columnNames: reader.columnNames,
                                    options: XLSXWriteOptions(compressionLevel: compressionLevel))
        let active = Array("active".utf8)
        var kept: [Cell] = []
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { break }
            kept.removeAll(keepingCapacity: true)
            var rows = 0
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                let amount = row[a]
                let value: Double
                switch amount.kind {
                case .float: value = amount.value.f
                case .int: value = Double(amount.value.i)
                case .text: value = Double(String(decoding: amount.textBytes, as: UTF8.self)) ?? 0
                default: value = 0
                }
                if value > 500 && row[s].textBytes.elementsEqual(active) {
                    kept.append(contentsOf: row)
                    rows += 1
                }
            }
            try kept.withUnsafeBufferPointer { try writer.append(rows: $0, rowCount: rows) }
        }
        try writer.finish()
        return reader.rowsRead
    }

    private func measure(_ name: String, input: String, _ body: () throws -> Int64) throws {
        if let only, !name.contains(only) { return }
        let size = Double((try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber)?.intValue ?? 0)
        var best = Double.infinity
        var rows: Int64 = 0
        var peak = 0
        let start = PeakMemory.currentRSS()
        for _ in 0..<max(1, repetitions) {
            PeakMemory.reset()
            let t0 = DispatchTime.now().uptimeNanoseconds
            do { rows = try body() } catch {
                print(name.padding(toLength: 26, withPad: " ", startingAt: 0) + " failed: \(error)")
                return
            }
            let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, t)
            peak = max(peak, PeakMemory.peakRSS())
        }
        let padded = name.padding(toLength: 26, withPad: " ", startingAt: 0)
        let figures = String(format: "%9.3f %11.0f %8.1f   %6.1f (+%.1f)", best, Double(rows) / best,
                             size / 1_048_576 / best, Double(peak) / 1024, Double(peak - start) / 1024)
        print(padded + " " + figures)
    }
}

/// Peak resident memory from /proc (Linux), resettable between cases.
enum PeakMemory {
    /// KiB.
    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
    static func currentRSS() -> Int { field("VmRSS:") }
    static func peakRSS() -> Int { field("VmHWM:") }
    /// Writing 5 to clear_refs resets VmHWM to the current RSS.
    static func reset() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }
}

/// The reference table held in memory with typed cells (id and amount numeric), so that "write XLSX" measures the
/// writer alone. Text bytes live in one pool that outlives the cells.
final class InMemoryTable {
    let columnNames: [String]
    private(set) var cells: [Cell] = []
    private let pool: UnsafeMutablePointer<UInt8>
    let rows: Int

    init(csv: String) throws {
        let size = Int((try FileManager.default.attributesOfItem(atPath: csv)[.size] as? NSNumber)?.intValue ?? 0)
        pool = .allocate(capacity: max(1, size * 2))
        let reader = try CSVReader(path: csv)
        columnNames = reader.columnNames
        let numeric = Set(["id", "amount"].compactMap { reader.columnNames.firstIndex(of: $0) })
        var used = 0
        var count = 0
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                for (c, cell) in batch.row(r).enumerated() {
                    let bytes = cell.textBytes
                    if numeric.contains(c), let v = Double(String(decoding: bytes, as: UTF8.self)) {
                        cells.append(v == v.rounded() ? .int(Int64(v)) : .float(v))
                    } else if let base = bytes.baseAddress, bytes.count > 0, used + bytes.count <= size * 2 {
                        (pool + used).update(from: base, count: bytes.count)
                        cells.append(.text(UnsafePointer(pool + used), bytes.count))
                        used += bytes.count
                    } else {
                        cells.append(.null)
                    }
                }
                count += 1
            }
        }
        rows = count
    }

    deinit { pool.deallocate() }

    func write(to path: String, level: Int) throws -> Int64 {
        let writer = try XLSXWriter(path: path, columnNames: columnNames,
                                    options: XLSXWriteOptions(compressionLevel: level))
        let width = columnNames.count
        let batch = 8192
        try cells.withUnsafeBufferPointer { all in
            var start = 0
            while start < rows {
                let n = min(batch, rows - start)
                try writer.append(rows: UnsafeBufferPointer(rebasing: all[(start * width)..<((start + n) * width)]), rowCount: n)
                start += n
            }
        }
        try writer.finish()
        return writer.rowsWritten
    }
}
