import Foundation
import XCTest

/// Dumps, restores (ours, the original's, hostile ones), backups.
final class DumpRestoreTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?

    override class func setUp() {
        super.setUp()
        do {
            server = try ServerHarness(configYAML: "chat_workflows:\n  dump:\n    max_restore_mb: 1\n  backup:\n    enabled: false\n")
        } catch { XCTFail("could not start the server: \(error)") }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }
    var workflows: URL { get throws { try server.dataDir.appendingPathComponent("automation/workflows") } }

    func restore(_ data: Data, name: String = "dump.tar.gz") throws -> ServerHarness.Reply {
        try server.postForm("/api/v1/chat/workflows/restore", files: ["dump_file": (name, data)])
    }

    /// Everything under the workflows folder (to prove a refused restore wrote nothing).
    func tree() throws -> [String] {
        let root = try workflows
        return (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
    }

    func testDumpDeleteRestoreGivesBackTheSameBytes() throws {
        let id = try XCTUnwrap(try server.request("POST", "/api/v1/chat/workflows").data["chat_id"] as? String)
        let csv = Data("id,name\n1,An\n2,\"Chi, Le\"\n".utf8)
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("data.csv", csv)])
        let run = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute",
                                     body: Data(#"{"steps":[{"operation":"csv/convert-to-excel"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        let outputURL = try XCTUnwrap((run.data["results"] as? [[String: Any]])?.first?["download_url"] as? String)
        let output = try server.get(outputURL).body
        let before = try server.get("/api/v1/chat/workflows/\(id)").data

        let dump = try server.request("POST", "/api/v1/chat/workflows/\(id)/dump")
        XCTAssertEqual(dump.status, 200, dump.message)
        let name = try XCTUnwrap(dump.data["dump_file"] as? String)
        XCTAssertNotNil(name.range(of: "^\(id)_\\d{8}_\\d{6}\\.tar\\.gz$", options: .regularExpression), name)
        let archive = try server.get(try XCTUnwrap(dump.data["download_url"] as? String))
        XCTAssertEqual(archive.header("Content-Type"), "application/gzip")

        XCTAssertEqual(try server.request("DELETE", "/api/v1/chat/workflows/\(id)").status, 200)
        XCTAssertEqual(try server.get("/api/v1/chat/downloads/\(name)").status, 200, "dumps survive deletion")
        let restored = try restore(archive.body)
        XCTAssertEqual(restored.status, 200, restored.message)
        XCTAssertEqual(restored.message, "Conversation restored successfully")
        for key in ["chat_id", "participant_name", "status", "partition_key", "created_at", "uploaded_files", "output_files"] {
            XCTAssertEqual("\(restored.data[key] ?? "")", "\(before[key] ?? "")", key)
        }
        XCTAssertEqual((restored.data["messages"] as? [Any])?.count, 1)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/data.csv").body, csv)
        XCTAssertEqual(try server.get(outputURL).body, output)

        let again = try restore(archive.body)
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/data.csv").body, csv, "a refused restore changes nothing")
    }

    func testOriginalServiceDumpRestores() throws {
        let url = ServerHarness.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/original_dump/original_dump.tar.gz")
        let r = try restore(try Data(contentsOf: url))
        XCTAssertEqual(r.status, 200, r.message)
        let id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
        XCTAssertEqual(r.data["partition_key"] as? String, "2026/02")
        XCTAssertEqual(r.data["participant_name"] as? String, "BlueWhale-4821")
        XCTAssertEqual(r.data["status"] as? String, "completed")
        XCTAssertEqual(r.data["uploaded_files"] as? [String], ["./automation/workflows/2026/02/\(id)/uploads/data.csv"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: try workflows.appendingPathComponent("2026/02/\(id)/uploads/data.csv").path))
        XCTAssertEqual(String(decoding: try server.get("/api/v1/chat/workflows/\(id)/files/data.csv").body, as: UTF8.self), "id,name\n1,An\n2,Phở\n")
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/data_extracted_20260207_141939.xlsx").status, 200)
    }

    /// Builds a tar.gz with Python's tarfile (the original's own library) from a small script.
    func pythonTar(_ body: String) throws -> Data {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).tar.gz")
        defer { try? FileManager.default.removeItem(at: out) }
        let script = """
        import io, sys, tarfile
        t = tarfile.open(sys.argv[1], "w:gz")
        def add(name, data=b"x", **kw):
            i = tarfile.TarInfo(name); i.size = len(data)
            for k, v in kw.items(): setattr(i, k, v)
            t.addfile(i, io.BytesIO(data) if i.isreg() else None)
        meta = b'{"chat_id": "c1", "status": "created"}'
        \(body)
        t.close()
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, out.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try Data(contentsOf: out)
    }

    func testHostileArchivesAreRefusedWithNothingWritten() throws {
        let cases: [(String, String)] = [
            ("traversal", #"add("c1/conversation_metadata.json", meta); add("c1/../../evil.txt")"#),
            ("absolute", #"add("c1/conversation_metadata.json", meta); add("/tmp/evil.txt")"#),
            ("symlink", #"add("c1/conversation_metadata.json", meta); add("c1/uploads/link", type=tarfile.SYMTYPE, linkname="/etc/passwd")"#),
            ("hardlink", #"add("c1/conversation_metadata.json", meta); add("c1/uploads/hard", type=tarfile.LNKTYPE, linkname="c1/conversation_metadata.json")"#),
            ("device", #"add("c1/conversation_metadata.json", meta); add("c1/uploads/dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3)"#),
            ("fifo", #"add("c1/conversation_metadata.json", meta); add("c1/uploads/fifo", type=tarfile.FIFOTYPE)"#),
            ("huge member", #"add("c1/conversation_metadata.json", meta); add("c1/uploads/big.csv", b"a" * (2 << 20))"#),
            ("two conversations", #"add("c1/conversation_metadata.json", meta); add("c2/x.csv")"#),
            ("no metadata", #"add("c1/uploads/a.csv")"#),
        ]
        let before = try tree()
        for (label, body) in cases {
            let r = try restore(try pythonTar(body))
            XCTAssertEqual(r.status, 400, "\(label): \(r.message)")
            XCTAssertEqual(r.json["status_code"] as? Int, 400, label)
            XCTAssertEqual(try server.get("/api/v1/chat/workflows/c1").status, 404, label)
        }
        XCTAssertEqual(try tree(), before, "refused restores wrote nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/evil.txt"))

        let notGzip = try restore(Data("definitely not a tar".utf8))
        XCTAssertEqual(notGzip.status, 400)
        let truncated = try restore(try pythonTar(#"add("c1/conversation_metadata.json", meta); add("c1/a.csv", b"y" * 5000)"#).prefix(60))
        XCTAssertEqual(truncated.status, 400)
        let noField = try server.postForm("/api/v1/chat/workflows/restore", files: [:], fields: ["x": "1"])
        XCTAssertEqual(noField.status, 422)
        XCTAssertEqual(noField.message, "No dump file provided")
        XCTAssertEqual(try server.request("POST", "/api/v1/chat/workflows/00000000-0000-0000-0000-000000000000/dump").status, 404)
        XCTAssertEqual(try server.get("/api/v1/chat/downloads/nope.tar.gz").status, 404)
        XCTAssertEqual(try server.get("/api/v1/chat/downloads/..%2F..%2Fetc%2Fpasswd").status, 400)
    }

    func testSQLiteBackup() throws {
        let r = try server.request("POST", "/api/v1/chat/sqlite/backup")
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Database backup created successfully")
        let name = try XCTUnwrap(r.data["backup_file"] as? String)
        XCTAssertNotNil(name.range(of: #"^chat_backup_\d{8}_\d{6}(_\d+)?\.db$"#, options: .regularExpression), name)
        let file = try server.dataDir.appendingPathComponent("automation/sqlite/snapshots/\(name)")
        let head = try FileHandle(forReadingFrom: file).readData(ofLength: 16)
        XCTAssertEqual(String(decoding: head, as: UTF8.self), "SQLite format 3\u{0}")
    }
}
