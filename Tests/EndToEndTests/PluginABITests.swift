import Foundation
import XCTest
import TableIO

/// The ABI as an outsider sees it: plugins written in plain C, compiled by `cc` against the public header,
/// enabled through a plugins directory, and called over HTTP. Broken plugins are refused with reasons.
final class PluginABITests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?
    nonisolated(unsafe) static var libDir: URL?

    override class func setUp() {
        super.setUp()
        do {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pz-cplugins-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            libDir = dir
            let good = try CPluginBuilder.build(into: dir, name: "cfilter")
            let major = try CPluginBuilder.build(into: dir, name: "cmajor", defines: ["PZ_TEST_MAJOR=2", "PZ_TEST_PLUGIN_NAME=\"c-major\"", "PZ_TEST_OP_NAME=\"ctest/major\""])
            let minor = try CPluginBuilder.build(into: dir, name: "cminor", defines: ["PZ_TEST_MINOR=99", "PZ_TEST_PLUGIN_NAME=\"c-minor\"", "PZ_TEST_OP_NAME=\"ctest/minor\""])
            let dup = try CPluginBuilder.build(into: dir, name: "cdup", defines: ["PZ_TEST_OP_NAME=\"csv/info\"", "PZ_TEST_PLUGIN_NAME=\"c-dup\""])
            let noEntry = try CPluginBuilder.build(into: dir, name: "cnoentry", defines: ["PZ_TEST_NO_ENTRY", "PZ_TEST_OP_NAME=\"ctest/noentry\""])
            let older = try CPluginBuilder.build(into: dir, name: "colder", defines: ["PZ_TEST_MINOR=0", "PZ_TEST_PLUGIN_NAME=\"c-older\"", "PZ_TEST_OP_NAME=\"ctest/older\""])
            let misuse = try CPluginBuilder.build(into: dir, name: "cmisuse", source: "misuse_plugin.c")
            let prefix = try CPluginBuilder.build(into: dir, name: "cprefix", source: "prefix_plugin.c")
            let badSize = try CPluginBuilder.build(into: dir, name: "cbadsize", defines: ["PZ_TEST_BAD_SIZE", "PZ_TEST_PLUGIN_NAME=\"c-badsize\"", "PZ_TEST_OP_NAME=\"ctest/badsize\""])
            server = try ServerHarness(pluginFiles: [
                "50-cfilter.yml": "library: \(good.path)\n",
                "51-cmajor.yml": "library: \(major.path)\n",
                "52-cminor.yml": "library: \(minor.path)\n",
                "53-cdup.yml": "library: \(dup.path)\n",
                "54-cnoentry.yml": "library: \(noEntry.path)\n",
                "55-cbadsize.yml": "library: \(badSize.path)\n",
                "56-missing.yml": "library: /nonexistent/libnothing.so\n",
                "57-disabled.yml": "library: \(good.path)\nenabled: false\n",
                "58-garbage.yml": "this is: [not a manifest\n",
                "59-older.yml": "library: \(older.path)\n",
                "60-misuse.yml": "library: \(misuse.path)\n",
                "62-badsettings.yml": "library: \(older.path)\nsettings: [1, 2]\n",
                "61-prefix.yml": "library: \(prefix.path)\nsettings:\n  mode: strict\n  limits: {rows: 10, ratio: 0.5}\n  tags: [a, b]\n  backup: true\n",
            ])
        } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        if let d = libDir { try? FileManager.default.removeItem(at: d) }
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    func plugin(_ manifestSuffix: String) throws -> [String: Any] {
        let list = try server.get("/api/v1/plugins").data["plugins"] as? [[String: Any]] ?? []
        return try XCTUnwrap(list.first { ($0["manifest_file"] as? String ?? "").hasSuffix(manifestSuffix) }, manifestSuffix)
    }

    func testBundledAndCPluginsAreLoaded() throws {
        let csv = try plugin("10-csv-ops.yml")
        XCTAssertEqual(csv["status"] as? String, "loaded")
        XCTAssertEqual(csv["operations"] as? [String], ["csv/info", "csv/convert-to-excel", "csv/search", "csv/search/suggest-operators"])
        for file in ["20-excel-ops.yml", "30-sql-gen.yml", "40-json-gen.yml"] {
            XCTAssertEqual(try plugin(file)["status"] as? String, "loaded", file)
        }
        let c = try plugin("50-cfilter.yml")
        XCTAssertEqual(c["status"] as? String, "loaded")
        XCTAssertEqual(c["name"] as? String, "c-filter")
        XCTAssertEqual(c["abi_version"] as? String, "1.2")
        // A plugin built against an older minor of the same major is accepted.
        let older = try plugin("59-older.yml")
        XCTAssertEqual(older["status"] as? String, "loaded")
        XCTAssertEqual(older["abi_version"] as? String, "1.0")
        XCTAssertEqual(c["operations"] as? [String], ["ctest/filter-rows"])
        let ops = try server.get("/api/v1/operations").data["operations"] as? [[String: Any]] ?? []
        let filter = try XCTUnwrap(ops.first { $0["name"] as? String == "ctest/filter-rows" })
        XCTAssertEqual((filter["arguments_schema"] as? [String: Any])?["required"] as? [String], ["column", "value"])
        XCTAssertEqual(filter["plugin"] as? String, "c-filter")
    }

    func testRefusalsCarryReasonsAndTheServerKeepsRunning() throws {
        func refused(_ file: String, _ fragment: String) throws {
            let p = try plugin(file)
            XCTAssertEqual(p["status"] as? String, "refused", file)
            let reason = p["reason"] as? String ?? ""
            XCTAssertTrue(reason.contains(fragment), "\(file): \(reason)")
            XCTAssertTrue(try server.log.contains(file), "log names the file \(file)")
        }
        try refused("51-cmajor.yml", "ABI major version mismatch")
        try refused("52-cminor.yml", "newer than the host")
        try refused("53-cdup.yml", "already registered by plugin 'csv-ops'")
        try refused("54-cnoentry.yml", "does not export the entry function pz_plugin_entry")
        try refused("55-cbadsize.yml", "struct_size")
        try refused("56-missing.yml", "not found")
        try refused("58-garbage.yml", "YAML")
        try refused("62-badsettings.yml", "'settings' must be a mapping")
        XCTAssertEqual(try plugin("57-disabled.yml")["status"] as? String, "disabled")
        // The refused duplicate did not replace csv/info.
        let info = try server.postForm("/api/v1/csv/info", files: ["file": ("a.csv", Data("x\n1\n".utf8))])
        XCTAssertEqual(info.status, 200)
        XCTAssertEqual(info.data["rows"] as? Int, 1)
    }

    func testCPluginFiltersRowsThroughHTTP() throws {
        let csv = "id,status,name\n1,active,An\n2,inactive,Binh\n3,active,\"Chi, Le\"\n"
        let reply = try server.postForm("/api/v1/ctest/filter-rows", files: ["file": ("people.csv", Data(csv.utf8))],
                                        fields: ["column": "status", "value": "active"])
        XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
        XCTAssertEqual(reply.message, "Filtered 2 of 3 rows")
        XCTAssertEqual(reply.data["filtered_rows"] as? Int, 2)
        let url = try XCTUnwrap(reply.data["download_url"] as? String)
        XCTAssertTrue(url.contains("/api/v1/files/downloads/people_filtered_"), url)
        let file = try server.get(url)
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(String(decoding: file.body, as: UTF8.self), "id,status,name\n1,active,An\n3,active,\"Chi, Le\"\n")
        XCTAssertTrue(try server.log.contains("filter done"), "plugin log line reaches the host log")
    }

    /// ABI 1.2 from C: a prefix set after one pass lands before the body (the last call wins), and the plugin
    /// reads the `settings` of its plugins.d/ file as JSON.
    func testCPluginUsesTextPrefixAndSettings() throws {
        let csv = "id\n" + (1...5000).map(String.init).joined(separator: "\n") + "\n"
        let reply = try server.postForm("/api/v1/ctest/numbered-lines", files: ["file": ("n.csv", Data(csv.utf8))])
        XCTAssertEqual(reply.status, 200, reply.message)
        let settings = try XCTUnwrap(reply.data["settings"] as? [String: Any])
        XCTAssertEqual(settings["mode"] as? String, "strict")
        XCTAssertEqual(settings["backup"] as? Bool, true)
        XCTAssertEqual(settings["tags"] as? [String], ["a", "b"])
        XCTAssertEqual((settings["limits"] as? [String: Any])?["rows"] as? Int, 10)
        XCTAssertEqual((settings["limits"] as? [String: Any])?["ratio"] as? Double, 0.5)
        let file = try server.get(try XCTUnwrap(reply.data["download_url"] as? String))
        let expected = "rows: 5000\n" + (1...5000).map { "row \($0)\n" }.joined()
        XCTAssertEqual(String(decoding: file.body, as: UTF8.self), expected)
        let outputs = try server.dataDir.appendingPathComponent("outputs")
        let temps = try FileManager.default.contentsOfDirectory(atPath: outputs.path).filter { $0.hasPrefix(".tmp") }
        XCTAssertEqual(temps, [], "the body's temporary file is removed")
    }

    /// Host services used wrongly from C give clean errors, never a crash, and leave no output behind.
    func testMisusedHostServicesFailCleanly() throws {
        let csv = Data("a\n1\n".utf8)
        func run(_ mode: String) throws -> ServerHarness.Reply {
            try server.postForm("/api/v1/ctest/misuse", files: ["file": ("m.csv", csv)], fields: ["mode": mode])
        }
        let outputs = try server.dataDir.appendingPathComponent("outputs")
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: outputs.path).filter { $0.hasPrefix("m_misuse") || $0.hasPrefix(".tmp") }
        }
        let cases: [(String, Int, String)] = [
            ("bad_json", 422, "set_result_json: invalid JSON"),
            ("wrong_columns", 422, "writer_append_rows: 2 columns given, the table has 1"),
            ("closed_reader", 422, "The input table is closed"),
            ("bad_index", 404, "No input file number 5"),
            ("huge_prefix", 422, "text_set_prefix: the prefix is over 1 MiB"),
            ("null_prefix", 422, "text_set_prefix: data is NULL"),
            ("fail_after_output", 500, "failed after publishing an output"),
        ]
        for (mode, status, fragment) in cases {
            let r = try run(mode)
            XCTAssertEqual(r.status, status, "\(mode): \(r.message)")
            XCTAssertTrue(r.message.contains(fragment), "\(mode): \(r.message)")
            XCTAssertEqual(try leftovers(), [], mode)
        }
        let unfinished = try run("unfinished")
        XCTAssertEqual(unfinished.status, 200)
        XCTAssertNil(unfinished.data["download_url"], "an output never finished is not published")
        XCTAssertEqual(try leftovers(), [])
        XCTAssertEqual(try server.get("/api/v1/health").status, 200)
    }

    func testCPluginErrorsBecomeEnvelopes() throws {
        let csv = Data("id,status\n1,active\n".utf8)
        let missingColumn = try server.postForm("/api/v1/ctest/filter-rows", files: ["file": ("a.csv", csv)],
                                                fields: ["column": "nope", "value": "x"])
        XCTAssertEqual(missingColumn.status, 422)
        XCTAssertEqual(missingColumn.message, "Column 'nope' not found in data")
        XCTAssertEqual(missingColumn.json["status_code"] as? Int, 422)
        XCTAssertEqual((missingColumn.data["error_type"] as? String), "Error")

        let schemaViolation = try server.postForm("/api/v1/ctest/filter-rows", files: ["file": ("a.csv", csv)],
                                                  fields: ["column": "status"])
        XCTAssertEqual(schemaViolation.status, 422)
        XCTAssertEqual(schemaViolation.message, "Missing required argument 'value'")

        let badInput = try server.postForm("/api/v1/ctest/filter-rows", files: ["file": ("a.xlsx", Data("not a zip".utf8))],
                                           fields: ["column": "a", "value": "b"])
        XCTAssertEqual(badInput.status, 400)
        XCTAssertTrue(badInput.message.contains("Not a valid XLSX file"), badInput.message)
        // Failed calls leave no output behind.
        let outputs = try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("outputs").path)
        XCTAssertFalse(outputs.contains { $0.hasPrefix("a_filtered") }, "\(outputs)")
    }
}
