import XCTest
@testable import RequestParsing

/// The parser over hand-made bodies, split into chunks at every place the network could split them.
final class MultipartParserTests: XCTestCase {
    struct Part: Equatable {
        var name: String
        var filename: String?
        var body: [UInt8]
    }

    /// Parses `body` in the given chunks; returns the parts or the error message.
    static func parse(_ body: [UInt8], cuts: [Int] = [], boundary: String = "XB",
                      limits: MultipartLimits = MultipartLimits()) -> Result<[Part], MultipartError> {
        do {
            var parser = try MultipartParser(boundary: boundary, limits: limits)
            var parts: [Part] = []
            var open = false
            var start = 0
            for end in cuts.filter({ $0 > 0 && $0 < body.count }) + [body.count] where end >= start {
                try body[start..<end].withUnsafeBytes { chunk in
                    try parser.feed(chunk) { event in
                        switch event {
                        case .partBegin(let h):
                            XCTAssertFalse(open, "partBegin inside a part")
                            open = true
                            parts.append(Part(name: h.name, filename: h.filename, body: []))
                        case .body(let b):
                            XCTAssertTrue(open, "body outside a part")
                            parts[parts.count - 1].body.append(contentsOf: b)
                        case .partEnd:
                            XCTAssertTrue(open, "partEnd outside a part")
                            open = false
                        }
                    }
                }
                start = end
            }
            try parser.finish()
            XCTAssertFalse(open)
            return .success(parts)
        } catch let e as MultipartError {
            return .failure(e)
        } catch {
            XCTFail("unexpected error \(error)")
            return .failure(.malformed("?"))
        }
    }

    /// Every split into two and three chunks, and byte by byte, gives the same answer as one chunk.
    static func assertSplitInvariant(_ body: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> Result<[Part], MultipartError> {
        let whole = parse(body)
        XCTAssertEqual(parse(body, cuts: Array(1..<max(1, body.count))), whole, "byte by byte", file: file, line: line)
        for i in 1..<max(1, body.count) {
            XCTAssertEqual(parse(body, cuts: [i]), whole, "split at \(i)", file: file, line: line)
            for j in stride(from: i + 1, to: body.count, by: 1) where parse(body, cuts: [i, j]) != whole {
                XCTFail("split at \(i), \(j)", file: file, line: line)
                return whole
            }
        }
        return whole
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testTwoPartsAnySplit() throws {
        let body = Self.bytes("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "a,b\r\n1,2\r\n\r\n--XB\r\nContent-Disposition: form-data; name=\"columns\"\r\n\r\n[\"a\"]\r\n--XB--\r\n")
        let parts = try Self.assertSplitInvariant(body).get()
        XCTAssertEqual(parts, [
            Part(name: "file", filename: "a.csv", body: Self.bytes("a,b\r\n1,2\r\n")),
            Part(name: "columns", filename: nil, body: Self.bytes("[\"a\"]")),
        ])
    }

    func testBoundaryLookalikesInsideDataAreContent() throws {
        // `--XB` not after CRLF, CRLF + partial delimiters, CR runs: all content, whatever the split.
        let data = "x--XB\r\n-\r\n--\r\n--X\r\r\n--\r\n\r\n-X--XB--XB\r"
        let body = Self.bytes("preamble\r\n--XB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"d.bin\"\r\n\r\n"
            + data + "\r\n--XB--\r\nepilogue --XB")
        let parts = try Self.assertSplitInvariant(body).get()
        XCTAssertEqual(parts, [Part(name: "f", filename: "d.bin", body: Self.bytes(data))])
    }

    func testEmptyPartsPaddingAndNoParts() throws {
        let body = Self.bytes("--XB \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XB\r\ncontent-disposition: FORM-DATA; NAME=b\r\n\r\n\r\n\r\n--XB--")
        XCTAssertEqual(try Self.assertSplitInvariant(body).get(),
                       [Part(name: "a", filename: nil, body: []), Part(name: "b", filename: nil, body: Self.bytes("\r\n"))])
        XCTAssertEqual(try Self.parse(Self.bytes("--XB--\r\n")).get(), [])
    }

    func testMalformedBodiesAreErrorsAtEverySplit() {
        let cases: [(String, String)] = [
            // The request that killed the server with MultipartKit: a byte >= 0x80 in a header name.
            ("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nX\u{E9}: 1\r\n\r\na\r\n--XB--\r\n", "header name"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\u{0}b.csv\"\r\n\r\na\r\n--XB--\r\n", "control character"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\na", "closing boundary"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\"\r\n", "closing boundary"),
            ("no boundary at all", "no boundary found"),
            ("--XB\r\nContent-Type: text/plain\r\n\r\na\r\n--XB--", "no Content-Disposition"),
            ("--XB\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\na\r\n--XB--", "not form-data"),
            ("--XB\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\na\r\n--XB--", "has no name"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\nX: y\r\n\r\na\r\n--XB--", "CRLF"),
            ("--XB\r\n Content-Disposition: form-data; name=\"f\"\r\n\r\na\r\n--XB--", "header name"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\r\n\r\na\r\n--XB--", "unterminated"),
            ("--XB\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\na\r\n--XBC\r\n", "unexpected data"),
            ("--XBx", "unexpected data"),
            ("--XB-x", "unexpected data"),
        ]
        for (text, expected) in cases {
            let body = Array(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
            switch Self.assertSplitInvariant(body) {
            case .success(let parts): XCTFail("\(text.debugDescription) parsed: \(parts)")
            case .failure(let e):
                XCTAssertFalse(e.tooLarge)
                XCTAssertTrue(e.message.hasPrefix("Malformed multipart body: "), e.message)
                XCTAssertTrue(e.message.contains(expected), "\(text.debugDescription): \(e.message)")
            }
        }
    }

    func testLimits() {
        var limits = MultipartLimits()
        limits.maxHeaderLineBytes = 64
        limits.maxHeadersPerPart = 2
        limits.maxParts = 3
        let longLine = "--XB\r\nContent-Disposition: form-data; name=\"\(String(repeating: "n", count: 60))\"\r\n\r\n\r\n--XB--"
        XCTAssertTrue(Self.parse(Self.bytes(longLine), limits: limits).failureMessage.contains("longer than 64 bytes"))
        let fitting = "--XB\r\nContent-Disposition: form-data; name=\"\(String(repeating: "n", count: 20))\"\r\n\r\n\r\n--XB--"
        XCTAssertEqual(Self.parse(Self.bytes(fitting), limits: limits).failureMessage, "")
        let headers = "--XB\r\nContent-Disposition: form-data; name=a\r\nA: 1\r\nB: 2\r\n\r\n\r\n--XB--"
        XCTAssertTrue(Self.parse(Self.bytes(headers), limits: limits).failureMessage.contains("more than 2 headers"))
        let part = "\r\n--XB\r\nContent-Disposition: form-data; name=a\r\n\r\n"
        // `dropFirst()`: "\r\n" is one Character.
        let four = String(part.dropFirst()) + String(repeating: part, count: 3) + "\r\n--XB--"
        guard case .failure(let e) = Self.parse(Self.bytes(four), limits: limits) else { return XCTFail("4 parts accepted") }
        XCTAssertTrue(e.tooLarge)
        XCTAssertEqual(e.message, "Too many parts in the multipart body (at most 3)")
        XCTAssertThrowsError(try MultipartParser(boundary: ""))
        XCTAssertThrowsError(try MultipartParser(boundary: "a\r\nb"))
        XCTAssertThrowsError(try MultipartParser(boundary: String(repeating: "b", count: 201)))
    }

    func testFileNames() throws {
        func name(_ disposition: String) throws -> String? {
            let body = Self.bytes("--XB\r\nContent-Disposition: \(disposition)\r\n\r\nx\r\n--XB--")
            return try Self.parse(body).get().first?.filename
        }
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"donn\u{E9}es.csv\""), "donn\u{E9}es.csv", "raw UTF-8")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"x.csv\"; filename*=UTF-8''%E2%82%AC%20rates.csv"), "\u{20AC} rates.csv")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename*=iso-8859-1'en'caf%E9.csv"), "caf\u{E9}.csv")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"ok.csv\"; filename*=UTF-8''bad%zz"), "ok.csv", "bad RFC 5987 falls back")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"C:\\dir\\a.csv\""), "C:\\dir\\a.csv", "backslash is not an escape")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"a\\\"b;c.csv\""), "a\"b;c.csv")
        XCTAssertEqual(try name("form-data; name=f; filename=plain.csv"), "plain.csv")
        XCTAssertEqual(try name("form-data; name=\"f\"; filename=\"\""), "")
        XCTAssertNil(try name("form-data; name=\"f\""))
    }

    func testBoundaryFromContentType() {
        XCTAssertEqual(MultipartFormBuilder.boundary(fromContentType: "multipart/form-data; boundary=XB"), "XB")
        XCTAssertEqual(MultipartFormBuilder.boundary(fromContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c")
        XCTAssertNil(MultipartFormBuilder.boundary(fromContentType: "multipart/form-data"))
        XCTAssertNil(MultipartFormBuilder.boundary(fromContentType: "multipart/form-data; boundary="))
        XCTAssertNil(MultipartFormBuilder.boundary(fromContentType: "text/plain; boundary=x"))
    }
}

extension Result where Failure == MultipartError {
    var failureMessage: String {
        if case .failure(let e) = self { return e.message }
        return ""
    }
}
