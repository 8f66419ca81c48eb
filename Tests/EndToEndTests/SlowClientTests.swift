import Foundation
import XCTest

/// Slow and idle clients cannot hold the server: short timeouts are configured here (idle 1 s, whole upload 2 s,
/// one upload at a time) and each misbehaving connection is closed or answered, its temporary file removed.
final class SlowClientTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?

    override class func setUp() {
        super.setUp()
        let yaml = "server:\n  idle_timeout_seconds: 1\n  request_read_timeout_seconds: 2\n  max_concurrent_uploads: 1\n"
        do { server = try ServerHarness(configYAML: yaml) } catch { XCTFail("could not start the server: \(error)") }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    func uploadLeftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("uploads").path)
    }

    /// The folder is emptied shortly after the connection ends (cleanup runs when the server notices the close).
    func assertNoLeftovers(line: UInt = #line) throws {
        for _ in 0..<100 where try !uploadLeftovers().isEmpty { usleep(50_000) }
        XCTAssertEqual(try uploadLeftovers(), [], line: line)
    }

    func assertStillServing(line: UInt = #line) throws {
        let ok = try server.postForm("/api/v1/csv/info", files: ["file": ("ok.csv", Data("a,b\n1,2\n".utf8))])
        XCTAssertEqual(ok.status, 200, ok.message, line: line)
        XCTAssertEqual(ok.data["rows"] as? Int, 1, line: line)
    }

    static let start = "--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.csv\"\r\n\r\nid,name\n1,a\n"

    func testUploadThatStopsIsClosedAndItsFileRemoved() throws {
        let client = try RawHTTPClient(port: try server.port, receiveTimeout: 20)
        client.send(RawHTTPClient.head("/api/v1/csv/info", contentLength: 100_000) + Self.start)
        // The partial upload exists while the client is silent…
        for _ in 0..<40 where try uploadLeftovers().isEmpty { usleep(25_000) }
        XCTAssertEqual(try uploadLeftovers().count, 1, "the upload was being stored")
        // …until the idle timeout closes the connection.
        let reply = client.readResponse()
        XCTAssertTrue(reply == nil || reply?.status == 408 || reply?.status == 400, "\(String(describing: reply))")
        try assertNoLeftovers()
        try assertStillServing()
    }

    func testSilentAndHalfHeaderConnectionsAreClosed() throws {
        let silent = try RawHTTPClient(port: try server.port, receiveTimeout: 20)
        let half = try RawHTTPClient(port: try server.port, receiveTimeout: 20)
        half.send("POST /api/v1/csv/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        XCTAssertTrue(silent.closedWithoutResponse(), "a connection that sends nothing is closed")
        XCTAssertTrue(half.closedWithoutResponse(), "a connection stuck in its request head is closed")
        try assertStillServing()
    }

    func testUploadSlowerThanTheReadTimeoutIs408() throws {
        let client = try RawHTTPClient(port: try server.port, receiveTimeout: 20)
        let body = Array((Self.start + String(repeating: "2,b\n", count: 50) + "\r\n--XB--\r\n").utf8)
        client.send(RawHTTPClient.head("/api/v1/csv/info", contentLength: body.count))
        // A few bytes every 0.3 s: never idle for 1 s, but the whole body takes longer than 2 s.
        var i = 0
        var reply: RawHTTPClient.Response?
        while i < body.count, !client.hasIncoming() {
            guard client.send(Array(body[i..<min(body.count, i + 12)])) else { break }
            i += 12
            usleep(300_000)
        }
        reply = client.readResponse()
        XCTAssertEqual(reply?.status, 408, "\(String(describing: reply))")
        XCTAssertTrue(reply?.body.contains("Request Timeout: the upload did not arrive within 2 seconds") == true, reply?.body ?? "")
        try assertNoLeftovers()
        try assertStillServing()
    }

    func testConcurrentUploadCapAnswers503() throws {
        let body = Array((Self.start + "\r\n--XB--\r\n").utf8)
        let first = try RawHTTPClient(port: try server.port, receiveTimeout: 20)
        first.send(RawHTTPClient.head("/api/v1/csv/info", contentLength: body.count))
        first.send(Array(body.prefix(20)))
        usleep(200_000) // the first upload's handler has taken the only slot
        let second = try server.postForm("/api/v1/csv/info", files: ["file": ("b.csv", Data("a\n1\n".utf8))])
        XCTAssertEqual(second.status, 503, second.message)
        XCTAssertEqual(second.message, "Server busy: too many uploads in progress; retry in a few seconds")
        XCTAssertEqual(second.header("Retry-After"), "5")
        first.send(Array(body.dropFirst(20)))
        XCTAssertEqual(first.readResponse()?.status, 200)
        try assertNoLeftovers()
        try assertStillServing()
    }
}
