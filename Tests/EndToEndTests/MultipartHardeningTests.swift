import Foundation
import XCTest

/// Hostile multipart bodies over HTTP against the real server: each gets a 4xx envelope, leaves no temporary file in
/// the upload folder, and the server keeps answering.
final class MultipartHardeningTests: SharedServerTestCase {

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func uploadLeftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("uploads").path)
    }

    func post(_ body: [UInt8], boundary: String = "XB") throws -> ServerHarness.Reply {
        try server.request("POST", "/api/v1/csv/info", body: Data(body),
                           headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
    }

    /// The body is refused with `status`, an envelope whose message contains `fragment`, no file is left, and a
    /// normal upload still works.
    func assertRefused(_ body: [UInt8], _ status: Int, _ fragment: String, line: UInt = #line) throws {
        let reply = try post(body)
        XCTAssertEqual(reply.status, status, reply.message, line: line)
        XCTAssertEqual(reply.json["status_code"] as? Int, status, line: line)
        XCTAssertEqual(reply.data["error_type"] as? String, "Error", line: line)
        XCTAssertTrue(reply.message.contains(fragment), reply.message, line: line)
        XCTAssertEqual(try uploadLeftovers(), [], "temporary files left", line: line)
        try assertStillServing(line: line)
    }

    func assertStillServing(line: UInt = #line) throws {
        let ok = try server.postForm("/api/v1/csv/info", files: ["file": ("ok.csv", Data("a,b\n1,2\n3,4\n".utf8))])
        XCTAssertEqual(ok.status, 200, ok.message, line: line)
        XCTAssertEqual(ok.data["rows"] as? Int, 2, line: line)
        XCTAssertEqual(ok.data["column_names"] as? [String], ["a", "b"], line: line)
    }

    static let filePart = "--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"

    func testTheRequestThatKilledTheServer() throws {
        // Issue 13: a part header name with a byte >= 0x80 trapped inside MultipartKit.
        var body = Self.bytes(Self.filePart)
        body += [0x58, 0xC3, 0xA9] + Self.bytes(": 1\r\n\r\na,b\n1,2\n\r\n--XB--\r\n")
        try assertRefused(body, 400, "Malformed multipart body: a part header name contains an invalid character (0xc3)")
    }

    func testNonASCIIHeaderValuesAreAcceptedAndNamesSanitised() throws {
        var body = Self.bytes("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"donn")
        body += [0xC3, 0xA9] + Self.bytes("es.csv\"\r\nX-Note: ") + [0xFF, 0xFE, 0x80]
        body += Self.bytes("\r\n\r\nid,x\n1,2\n\r\n--XB--\r\n")
        let reply = try post(body)
        XCTAssertEqual(reply.status, 200, reply.message)
        XCTAssertEqual(reply.data["file_name"] as? String, "donnees.csv")
        XCTAssertEqual(reply.data["rows"] as? Int, 1)
        XCTAssertEqual(try uploadLeftovers(), [])
        // RFC 5987 form, which browsers send for non-ASCII names, wins over `filename`.
        let extended = Self.bytes("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"; filename*=UTF-8''caf%C3%A9%20menu.csv\r\n\r\na\n1\n\r\n--XB--\r\n")
        XCTAssertEqual(try post(extended).data["file_name"] as? String, "cafe_menu.csv")
    }

    func testNulInFileName() throws {
        var body = Self.bytes("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a")
        body += [0x00] + Self.bytes(".csv\"\r\n\r\na,b\n\r\n--XB--\r\n")
        try assertRefused(body, 400, "control character (0x0)")
    }

    func testOneMebibyteHeaderLine() throws {
        let body = Self.bytes(Self.filePart + "X-Long: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\na\n\r\n--XB--\r\n")
        try assertRefused(body, 400, "a part header line is longer than 8192 bytes")
    }

    func testTenThousandTinyParts() throws {
        var text = Self.filePart + "\r\na,b\n1,2\n\r\n"
        for i in 0..<10_000 { text += "--XB\r\nContent-Disposition: form-data; name=\"f\(i)\"\r\n\r\nx\r\n" }
        try assertRefused(Self.bytes(text + "--XB--\r\n"), 413, "Too many parts in the multipart body (at most 1000)")
    }

    func testMissingFinalBoundary() throws {
        try assertRefused(Self.bytes(Self.filePart + "\r\na,b\n1,2\n"), 400, "the body ended before the closing boundary")
        try assertRefused(Self.bytes(Self.filePart + "\r\na,b\n1,2\n\r\n--XB"), 400, "the body ended before the closing boundary")
    }

    func testBoundaryStringInsideAPart() throws {
        // CRLF + the full delimiter + other text is the boundary appearing inside the data: refused, not guessed at.
        try assertRefused(Self.bytes(Self.filePart + "\r\na,b\r\n--XBx,1\r\n--XB--\r\n"), 400, "a boundary is followed by unexpected data")
    }

    func testBoundaryLookalikesSplitAcrossPacketsAreData() throws {
        // `--XB` not after CRLF, CRLF + partial delimiters, LF + `--XB`: all content. The body is sent in pieces
        // cut inside each lookalike, so the server's parser sees them split across reads.
        let csv = "id,note\r\n1,a--XB\r\n--XA,b\r\n3,c\n--XB,d\r\n"
        let body = Self.bytes(Self.filePart + "\r\n" + csv + "\r\n--XB--\r\n")
        var cuts: [Int] = []
        for i in 0..<(body.count - 3) where body[i] == 0x0D && body[i + 1] == 0x0A && body[i + 2] == 0x2D {
            cuts += [i + 1, i + 2, i + 3, i + 4]
        }
        let client = try RawHTTPClient(port: try server.port)
        client.send(RawHTTPClient.head("/api/v1/csv/info", contentLength: body.count))
        var start = 0
        for cut in cuts.sorted() + [body.count] where cut > start && cut <= body.count {
            XCTAssertTrue(client.send(Array(body[start..<cut])))
            start = cut
            usleep(5_000)
        }
        let reply = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(reply.status, 200, reply.body)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
        let data = try XCTUnwrap(json["data"] as? [String: Any])
        XCTAssertEqual(data["rows"] as? Int, 4)
        XCTAssertEqual(data["column_names"] as? [String], ["id", "note"])
        XCTAssertEqual(try uploadLeftovers(), [])
    }

    func testNoBoundaryAndGarbage() throws {
        try assertRefused(Self.bytes("this is not multipart at all"), 400, "no boundary found")
        let reply = try server.request("POST", "/api/v1/csv/info", body: Data("x".utf8),
                                       headers: ["Content-Type": "multipart/form-data"])
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.message, "Malformed multipart body: no boundary in Content-Type")
    }
}
