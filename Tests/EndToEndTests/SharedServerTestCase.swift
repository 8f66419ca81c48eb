import XCTest

/// A test class that shares one real server among its tests (started once per class, with `environment`).
class SharedServerTestCase: XCTestCase {
    class var environment: [String: String] { [:] }
    nonisolated(unsafe) private static var servers: [ObjectIdentifier: ServerHarness] = [:]

    override class func setUp() {
        super.setUp()
        do { servers[ObjectIdentifier(self)] = try ServerHarness(environment: environment) } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        servers.removeValue(forKey: ObjectIdentifier(self))?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.servers[ObjectIdentifier(type(of: self))]) } }

    /// The error envelope: HTTP status = body `status_code`, the message (exact, or its start), `error_type`.
    func assertError(_ r: ServerHarness.Reply, _ status: Int, _ message: String, prefix: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.message, file: file, line: line)
        XCTAssertEqual(r.json["status_code"] as? Int, status, file: file, line: line)
        if prefix { XCTAssertTrue(r.message.hasPrefix(message), r.message, file: file, line: line) }
        else { XCTAssertEqual(r.message, message, file: file, line: line) }
        XCTAssertEqual(r.data["error_type"] as? String, "Error", file: file, line: line)
    }
}
