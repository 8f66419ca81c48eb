import XCTest
@testable import TableIO

/// Regressions for what the fuzzer found in the readers' initializers (a double free, then a leak).
final class ReaderLifetimeTests: XCTestCase {
    /// The process's data size in KiB (heap and anonymous mappings, touched or not: leaked buffers that were never
    /// written count here, unlike in VmRSS).
    func dataKiB() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("VmData:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
        return 0
    }

    /// Refused files (binary, UTF-16, unbalanced header) must free everything: 300 refusals used to keep ~200 MiB.
    func testRefusedOpensDoNotLeak() throws {
        let dir = try TempDir()
        let files = [try dir.write("nul.csv", bytes: [0x61, 0x00, 0x62]),
                     try dir.write("utf16.csv", bytes: [0xFF, 0xFE, 0x61, 0x00]),
                     try dir.write("header.csv", "a,\"open\n")]
        for f in files { XCTAssertThrowsError(try CSVReader(path: f)) }
        let before = dataKiB()
        for _ in 0..<100 {
            for f in files { XCTAssertThrowsError(try CSVReader(path: f)) }
        }
        XCTAssertLessThan(dataKiB() - before, 40_000, "KiB kept after 300 refused opens")
    }
}
