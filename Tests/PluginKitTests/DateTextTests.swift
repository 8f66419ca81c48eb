import PycelizeCore
import XCTest

final class DateTextTests: XCTestCase {
    private func iso(_ s: String) -> String? {
        DateText.parse(s).map { DateFormatting.text(seconds: $0.seconds, flags: $0.flags) }
    }

    func testAcceptedForms() {
        XCTAssertEqual(iso("2024-01-05"), "2024-01-05")
        XCTAssertEqual(iso("  2024-1-5 "), "2024-01-05")
        XCTAssertEqual(iso("2024/01/05"), "2024-01-05")
        XCTAssertEqual(iso("2024.01.05"), "2024-01-05")
        XCTAssertEqual(iso("2024-01-05 10:30"), "2024-01-05 10:30:00")
        XCTAssertEqual(iso("2024-01-05T10:30:15"), "2024-01-05 10:30:15")
        XCTAssertEqual(iso("2024-01-05T10:30:15.250Z"), "2024-01-05 10:30:15")
        XCTAssertEqual(iso("2024-01-05T10:30:15+07:00"), "2024-01-05 10:30:15")
        XCTAssertEqual(iso("2024-01-05 10:30:15-0500"), "2024-01-05 10:30:15")
        XCTAssertEqual(iso("25/12/2024"), "2024-12-25", "day first when the first number is above 12")
        XCTAssertEqual(iso("12/25/2024"), "2024-12-25")
        XCTAssertEqual(iso("03/04/2024"), "2024-03-04", "ambiguous: month first, as dateutil")
        XCTAssertEqual(iso("25.12.2024"), "2024-12-25")
        XCTAssertEqual(iso("25-12-2024 08:00"), "2024-12-25 08:00:00")
        XCTAssertEqual(iso("Jan 5, 2024"), "2024-01-05")
        XCTAssertEqual(iso("January 5 2024"), "2024-01-05")
        XCTAssertEqual(iso("5 Jan 2024"), "2024-01-05")
        XCTAssertEqual(iso("05-Jan-2024"), "2024-01-05")
        XCTAssertEqual(iso("5 September, 2024"), "2024-09-05")
        XCTAssertEqual(iso("Sept 5 2024"), "2024-09-05")
        XCTAssertEqual(iso("10:30"), "10:30:00")
        XCTAssertEqual(iso("23:59:59"), "23:59:59")
    }

    func testFlags() {
        XCTAssertEqual(DateText.parse("2024-01-05")?.flags, 0x1)
        XCTAssertEqual(DateText.parse("2024-01-05 00:00")?.flags, 0)
        XCTAssertEqual(DateText.parse("00:00")?.flags, 0x2)
        XCTAssertEqual(DateText.parse("1970-01-02")?.seconds, 86400)
        XCTAssertEqual(DateText.parse("2024-01-05 10:30:15.5")?.seconds.truncatingRemainder(dividingBy: 1), 0.5)
    }

    func testRefusals() {
        for s in ["", " ", "2024", "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "24:00",
                  "10:60", "10:30:61", "2024-01-05 25:00", "hello", "Jan 2024", "2024-01-05 10", "2024-01-05T",
                  "2024-01/05", "123456789012345678901234567890-01-01", "5 Janx 2024", "2024-01-05 10:30 junk",
                  "1.5", "42", "-3", "0901234567", String(repeating: "1", count: 100)] {
            XCTAssertNil(DateText.parse(s), s)
        }
        XCTAssertEqual(iso("2024-02-29"), "2024-02-29")
    }

    func testTotalOnArbitraryBytes() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789-/.: TZ+,JanDecSept".utf8) + [0, 0xFF, 0xC3]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...30, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
            _ = bytes.withUnsafeBufferPointer { DateText.parse($0) }
        }
    }

    func testFormat() {
        guard let t = DateText.parse("2024-03-07 14:05:09.123456")?.seconds else { return XCTFail() }
        XCTAssertEqual(DateText.format(seconds: t, pattern: "%Y-%m-%d %H:%M:%S"), "2024-03-07 14:05:09")
        XCTAssertEqual(DateText.format(seconds: t, pattern: "%d/%m/%y %I:%M %p"), "07/03/24 02:05 PM")
        XCTAssertEqual(DateText.format(seconds: t, pattern: "%a %A %b %B %j"), "Thu Thursday Mar March 067")
        XCTAssertEqual(DateText.format(seconds: t, pattern: "%f|%%|%Q|%"), "123456|%|%Q|%")
        XCTAssertEqual(DateText.format(seconds: 0, pattern: "%A %Y"), "Thursday 1970")
    }
}
