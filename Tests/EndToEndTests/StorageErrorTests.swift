import Foundation
import XCTest

/// A full disk answers 507 and no error message shows a server path. The disk is made full with a 64 KiB tmpfs
/// mounted over the upload or output folder (needs root; skipped otherwise).
final class StorageErrorTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?
    var mounted: [String] = []

    override class func setUp() {
        super.setUp()
        do { server = try ServerHarness() } catch { XCTFail("could not start the server: \(error)") }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    override func tearDown() {
        for path in mounted { _ = Self.run("/bin/umount", [path]) }
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    func mountTinyFilesystem(over folder: String) throws {
        let path = try server.dataDir.appendingPathComponent(folder).path
        guard getuid() == 0, Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path]) == 0 else {
            throw TestDatabase.unavailable("mounting a tmpfs (needs root)", hint: "run the tests as root")
        }
        mounted.append(path)
    }

    func assertNoServerPath(_ message: String, line: UInt = #line) throws {
        XCTAssertFalse(message.contains("/"), "message shows a path: \(message)", line: line)
        XCTAssertFalse(message.contains(try server.root.path), line: line)
    }

    /// A CSV big enough to overflow 64 KiB as an upload and as an .xlsx output.
    static let bigCSV: Data = {
        var s = "id,name,value,note\n"
        for i in 0..<20_000 { s += "\(i),name-\(i * 7919 % 10007),\(Double(i) * 1.37),row \(i * 31 % 997)\n" }
        return Data(s.utf8)
    }()

    func testFullUploadFolderIs507() throws {
        try mountTinyFilesystem(over: "uploads")
        let reply = try server.postForm("/api/v1/csv/info", files: ["file": ("big.csv", Self.bigCSV)])
        XCTAssertEqual(reply.status, 507, reply.message)
        XCTAssertEqual(reply.message, "Insufficient storage: Failed to store the upload (the server's disk is full)")
        try assertNoServerPath(reply.message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("uploads").path), [])
        XCTAssertTrue(try server.log.contains("No space left on device"), "the path and reason are logged")
    }

    func testFullOutputFolderIs507AndLeavesNothing() throws {
        try mountTinyFilesystem(over: "outputs")
        let reply = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("big.csv", Self.bigCSV)])
        XCTAssertEqual(reply.status, 507, reply.message)
        XCTAssertEqual(reply.message, "Insufficient storage: the server's disk is full")
        try assertNoServerPath(reply.message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("outputs").path), [])
        let health = try server.get("/api/v1/health")
        XCTAssertEqual(health.status, 200)
    }

    func testBrokenOutputFolderNamesNoPath() throws {
        // An output folder that is a file: every write fails with ENOTDIR (no root needed).
        let outputs = try server.dataDir.appendingPathComponent("outputs")
        try FileManager.default.removeItem(at: outputs)
        try Data().write(to: outputs)
        defer {
            try? FileManager.default.removeItem(at: outputs)
            try? FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        }
        let reply = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("a.csv", Data("a,b\n1,2\n".utf8))])
        XCTAssertEqual(reply.status, 500, reply.message)
        XCTAssertEqual(reply.message, "A server file operation failed: Not a directory")
        try assertNoServerPath(reply.message)
    }

    func testGarbageDumpNamesNoPath() throws {
        let reply = try server.postForm("/api/v1/chat/workflows/restore", files: ["dump_file": ("x.tar.gz", Data("not an archive".utf8))])
        XCTAssertEqual(reply.status, 400, reply.message)
        XCTAssertTrue(reply.message.hasPrefix("Invalid dump file"), reply.message)
        try assertNoServerPath(reply.message)
    }
}
