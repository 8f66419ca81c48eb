import XCTest
@testable import TableIO

/// The zip writer's central directory has 16-bit counts and 32-bit offsets (no zip64): going past them must be an
/// error, not the trap a `UInt16(_:)` conversion of 65,535+ entries was.
final class ZipWriterLimitTests: XCTestCase {
    func testTooManyEntriesIsAnErrorNotATrap() throws {
        let dir = try TempDir()
        let zip = try ZipWriter(path: dir.path("many.zip"), level: 0)
        for i in 0..<0x10000 { try zip.addEntry("e\(i)", []) } // 65,536: UInt16(count) trapped
        XCTAssertThrowsError(try zip.finish()) { error in
            guard case TableIOError.limitExceeded(let m) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(m, "Output has more than 65,534 parts")
        }
    }
}
