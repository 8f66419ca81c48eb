import Foundation
import XCTest
@testable import RequestParsing

/// Files streamed to disk byte for byte, fields kept, and nothing left behind when a body is refused.
final class MultipartFormBuilderTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "mpb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func leftovers() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] }

    func feed(_ builder: MultipartFormBuilder, _ body: [UInt8], chunk: (Int) -> Int) throws(RequestError) {
        var i = 0
        var n = 0
        while i < body.count {
            let end = min(body.count, i + max(1, chunk(n)))
            do {
                try body[i..<end].withUnsafeBytes { try builder.feed($0) }
            } catch let error as RequestError {
                throw error
            } catch {
                throw .internalError("unexpected \(error)")
            }
            i = end
            n += 1
        }
    }

    func testLargeBinaryFileIsStoredExactlyWhateverTheChunks() throws {
        // 2 MiB + a bit of bytes full of CR, LF, dashes and X, so partial delimiters (`CRLF--X`) turn up everywhere
        // (never a whole one: there is no B).
        let alphabet: [UInt8] = [0x0D, 0x0A, 0x2D, 0x58, 0x00, 0xFF, 0x41, 0x0D]
        var state: UInt32 = 12345
        let data = (0..<(2 << 20) + 12345).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return alphabet[Int(state >> 16) & 7]
        }
        var body = Array("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n".utf8)
        body += data
        body += Array("\r\n--XB\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XB--\r\n".utf8)
        for chunking in [{ (_: Int) in 65536 }, { (n: Int) in [1, 7, 100, 4096, 1 << 20, 2 << 20][n % 6] }] {
            let builder = try MultipartFormBuilder(boundary: "XB", directory: directory)
            try feed(builder, body, chunk: chunking)
            let (fields, files) = try builder.finish()
            XCTAssertEqual(fields, ["note": "hello"])
            let file = try XCTUnwrap(files["file"])
            XCTAssertEqual(file.clientName, "big.bin")
            XCTAssertEqual(file.size, data.count)
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data(data), "stored bytes differ")
            unlink(file.path)
        }
        XCTAssertEqual(leftovers(), [])
    }

    func testRefusedBodiesLeaveNoFile() throws {
        let fileStart = "--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\r\n"
        let cases: [(String, Int)] = [
            (fileStart, 400),                                                             // never closed
            (fileStart + "\r\n--XB\r\nBad\u{1}Header: x\r\n\r\n", 400),                    // bad second part
            (fileStart + "\r\n--XB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b\"\r\n\r\nzz", 400),
        ]
        for (text, status) in cases {
            let builder = try MultipartFormBuilder(boundary: "XB", directory: directory)
            do {
                try feed(builder, Array(text.utf8)) { _ in 5 }
                _ = try builder.finish()
                XCTFail("accepted \(text.debugDescription)")
            } catch {
                XCTAssertEqual(error.status, status, error.message)
                XCTAssertTrue(error.message.hasPrefix("Malformed multipart body: "), error.message)
                XCTAssertFalse(leftovers().isEmpty, "the partial upload exists until abandoned")
                builder.abandon()
            }
            XCTAssertEqual(leftovers(), [], text.debugDescription)
        }
    }

    func testFieldLimitsAre413() throws {
        var limits = MultipartFormBuilder.Limits()
        limits.maxFieldBytes = 10
        limits.maxTotalFieldBytes = 15
        func run(_ text: String) -> RequestError? {
            do {
                let b = try MultipartFormBuilder(boundary: "XB", directory: directory, limits: limits)
                try feed(b, Array(text.utf8)) { _ in 3 }
                _ = try b.finish()
                b.abandon()
                return nil
            } catch { return error }
        }
        let field = { (v: String) in "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\(v)\r\n" }
        XCTAssertNil(run(field("0123456789") + "--XB--"))
        XCTAssertEqual(run(field("0123456789X") + "--XB--")?.status, 413)
        XCTAssertEqual(run(field("0123456789") + field("0123456") + "--XB--")?.status, 413)
    }

    func testUnwritableFolderIsA500WithoutThePath() throws {
        let builder = try MultipartFormBuilder(boundary: "XB", directory: directory + "/missing")
        let body = Array("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--XB--".utf8)
        XCTAssertThrowsError(try feed(builder, body) { _ in 100 }) { error in
            guard let e = error as? RequestError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.status, 500)
            XCTAssertFalse(e.message.contains("/"), e.message)
            XCTAssertTrue(e.detail?.contains(self.directory) == true, "the log detail names the folder")
        }
    }
}
