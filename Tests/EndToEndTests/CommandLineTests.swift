import Foundation
import XCTest
import TableIO

/// The built `pycelize` binary as a user runs it: `run`, `workflow run` and `plugins check` on small local files,
/// with their outputs checked cell by cell and their exit codes for each kind of failure.
final class CommandLineTests: XCTestCase {
    nonisolated(unsafe) static var root: URL?
    nonisolated(unsafe) static var libDir: URL?

    override class func setUp() {
        super.setUp()
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("pz-cli-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: dir.appendingPathComponent("plugins.d"), withIntermediateDirectories: true)
            let bundled = ServerHarness.packageRoot.appendingPathComponent("plugins.d")
            for name in try fm.contentsOfDirectory(atPath: bundled.path) {
                try fm.copyItem(at: bundled.appendingPathComponent(name), to: dir.appendingPathComponent("plugins.d/\(name)"))
            }
            let csv = "customer_id,name,city,amount\ncust001,\"Nguyen, An\",Hue,1500\ncust002,Phở Bò,Hanoi,2500.5\ncust003,Le,Hue,-3\n"
            try Data(csv.utf8).write(to: dir.appendingPathComponent("sales.csv"))
            try Data("PK\u{3}\u{4}not a zip at all".utf8).write(to: dir.appendingPathComponent("broken.xlsx"))
            root = dir
            let libs = dir.appendingPathComponent("libs")
            try fm.createDirectory(at: libs, withIntermediateDirectories: true)
            libDir = libs
        } catch {
            XCTFail("setup: \(error)")
        }
    }

    override class func tearDown() {
        if let root { try? FileManager.default.removeItem(at: root) }
        super.tearDown()
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    func pycelize(_ arguments: [String]) throws -> Outcome {
        let root = try XCTUnwrap(Self.root)
        let binary = ServerHarness.buildDirectory.appendingPathComponent("pycelize")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("pycelize binary not built") }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + (arguments.first == "run" || arguments.prefix(2) == ["workflow", "run"]
                                         || arguments.prefix(2) == ["plugins", "check"]
                                         ? ["--plugins-dir", root.appendingPathComponent("plugins.d").path] : [])
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    func path(_ name: String) throws -> String { try XCTUnwrap(Self.root).appendingPathComponent(name).path }

    func testRunConvertsAndPrintsTheResult() throws {
        let out = try path("run-out/converted.xlsx")
        try FileManager.default.createDirectory(atPath: try path("run-out"), withIntermediateDirectories: true)
        let r = try pycelize(["run", "csv/convert-to-excel", "--file", try path("sales.csv"), "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.json["output_files"] as? [String], [out])
        XCTAssertFalse(r.stderr.contains("\r"), "no progress bar when standard error is not a terminal")
        let rows = try XLSXReader(path: out).readAllValues()
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0].prefix(3), [.text("cust001"), .text("Nguyen, An"), .text("Hue")])
        XCTAssertEqual(rows[1][1], .text("Phở Bò"))
        XCTAssertEqual(rows[1][3].number, 2500.5)
        XCTAssertEqual(rows[2][3].number, -3)
    }

    func testRunConvertsArgumentsLikeTheRESTEndpoint() throws {
        let conditions = #"[{"column": "city", "operator": "equals", "value": "Hue"}]"#
        let r = try pycelize(["run", "csv/search", "--file", try path("sales.csv"), "--arg", "conditions=\(conditions)",
                              "--args", #"{"output_format": "xlsx"}"#, "--arg", "output_format=csv", "-o", try path("search-out/")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.json["filtered_rows"] as? Int, 2, r.stdout)
        let files = try XCTUnwrap(r.json["output_files"] as? [String])
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(files[0].hasSuffix(".csv"), "--arg wins over --args: \(files)")
        let text = try String(contentsOfFile: files[0], encoding: .utf8)
        XCTAssertTrue(text.contains("cust001") && text.contains("cust003") && !text.contains("cust002"), text)
    }

    func testRunExitCodes() throws {
        let sales = try path("sales.csv")
        let unknown = try pycelize(["run", "csv/nothing", "--file", sales])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("Unknown operation 'csv/nothing'"), unknown.stderr)
        XCTAssertEqual(try pycelize(["run", "csv/info"]).status, 2, "csv/info needs a file")
        XCTAssertEqual(try pycelize(["run", "csv/info", "--file", sales, "--args", "[1]"]).status, 2)
        XCTAssertEqual(try pycelize(["run", "csv/info", "--file", sales, "--arg", "novalue"]).status, 2)
        let badSchema = try pycelize(["run", "csv/search", "--file", sales, "--arg", "conditions=not json"])
        XCTAssertEqual(badSchema.status, 2, badSchema.stderr)
        let missing = try pycelize(["run", "csv/info", "--file", try path("absent.csv")])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("absent.csv"), missing.stderr)
        let corrupt = try pycelize(["run", "excel/info", "--file", try path("broken.xlsx")])
        XCTAssertEqual(corrupt.status, 3, corrupt.stderr)
        XCTAssertTrue(corrupt.stdout.isEmpty)
        let help = try pycelize(["run", "--help"])
        XCTAssertTrue(help.stdout.contains("Exit codes:") && help.stdout.contains("unreadable input"), help.stdout)
    }

    func testWorkflowRunChainsStepsLikeChatExecute() throws {
        let steps = #"{"steps": [{"operation": "csv/search", "arguments": {"conditions": [{"column": "city", "operator": "equals", "value": "Hue"}]}}, {"operation": "csv/info", "arguments": {}}, {"operation": "csv/convert-to-excel", "arguments": {}}]}"#
        let file = try path("steps.json")
        try Data(steps.utf8).write(to: URL(fileURLWithPath: file))
        let dir = try path("wf-out")
        let r = try pycelize(["workflow", "run", file, "--file", try path("sales.csv"), "-o", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        let results = try XCTUnwrap(r.json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 3)
        XCTAssertTrue(results[1]["output_file_path"] is NSNull)
        let outputs = try XCTUnwrap(r.json["output_files"] as? [String])
        XCTAssertEqual(outputs.count, 2)
        XCTAssertTrue(outputs.allSatisfy { $0.hasPrefix(dir + "/") }, "\(outputs)")
        XCTAssertEqual(results[2]["output_file_path"] as? String, outputs[1])
        let rows = try XLSXReader(path: outputs[1]).readAllValues()
        XCTAssertEqual(rows.map { $0.first }, [.text("cust001"), .text("cust003")], "step 3 read step 1's output")

        try Data(#"{"steps": [{"operation": "csv/nope"}]}"#.utf8).write(to: URL(fileURLWithPath: file))
        let bad = try pycelize(["workflow", "run", file, "--file", try path("sales.csv"), "-o", dir])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("Step 1"), bad.stderr)
    }

    /// A step that names a file (`bind_file`) finds an `--attach` file by its name; a path is refused as in chat.
    func testWorkflowRunResolvesNamedFilesFromAttachments() throws {
        let regions = try path("regions.csv")
        try Data("city,region\nHue,Central\nHanoi,North\n".utf8).write(to: URL(fileURLWithPath: regions))
        let steps = try path("bind-steps.json")
        let dir = try path("wf-bind")
        func run(_ bindFile: String, attach: [String]) throws -> Outcome {
            let body = #"{"steps": [{"operation": "excel/bind-single-key", "arguments": {"bind_file": "\#(bindFile)", "comparison_column": "city", "bind_columns": ["region"]}}]}"#
            try Data(body.utf8).write(to: URL(fileURLWithPath: steps))
            return try pycelize(["workflow", "run", steps, "--file", try path("sales.csv"), "-o", dir]
                                + attach.flatMap { ["--attach", $0] })
        }
        let r = try run("regions.csv", attach: [regions])
        XCTAssertEqual(r.status, 0, r.stderr)
        let output = try XCTUnwrap((r.json["output_files"] as? [String])?.first)
        let rows = try XLSXReader(path: output).readAllValues()
        XCTAssertEqual(rows.map { $0.last }, [.text("Central"), .text("North"), .text("Central")])

        let missing = try run("regions.csv", attach: [])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("regions.csv"), missing.stderr)
        let traversal = try run("../regions.csv", attach: [regions])
        XCTAssertEqual(traversal.status, 2, traversal.stderr)
        XCTAssertTrue(traversal.stderr.contains("not a path"), traversal.stderr)
    }

    func testPluginsCheckAcceptsRefusesAndSurvivesACrash() throws {
        let libs = try XCTUnwrap(Self.libDir)
        let good = try CPluginBuilder.build(into: libs, name: "cfilter")
        let ok = try pycelize(["plugins", "check", good.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("accepted: plugin c-filter 1.0.0"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("operation ctest/filter-rows") && ok.stdout.contains(#""required": ["column", "value"]"#), ok.stdout)
        let json = try pycelize(["plugins", "check", "--json", good.path])
        XCTAssertEqual(json.json["accepted"] as? Bool, true)
        XCTAssertEqual((json.json["operations"] as? [[String: Any]])?.first?["inputs"] as? [String], ["file"])

        let major = try CPluginBuilder.build(into: libs, name: "cmajor", defines: ["PZ_TEST_MAJOR=2"])
        let refused = try pycelize(["plugins", "check", major.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stdout.contains("refused: ABI major version mismatch"), refused.stdout)
        let clash = try CPluginBuilder.build(into: libs, name: "cdup", defines: ["PZ_TEST_OP_NAME=\"csv/info\"", "PZ_TEST_PLUGIN_NAME=\"c-dup\""])
        let dup = try pycelize(["plugins", "check", clash.path])
        XCTAssertEqual(dup.status, 1)
        XCTAssertTrue(dup.stdout.contains("operation 'csv/info' is already registered by plugin 'csv-ops'"), dup.stdout)
        let absent = try pycelize(["plugins", "check", libs.appendingPathComponent("libnothing.so").path])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.stdout.contains("library file not found"), absent.stdout)

        let crash = try CPluginBuilder.build(into: libs, name: "ccrash", source: "crash_plugin.c")
        let crashed = try pycelize(["plugins", "check", crash.path])
        XCTAssertEqual(crashed.status, 4, crashed.stderr)
        XCTAssertTrue(crashed.stderr.contains("crashed while loading"), crashed.stderr)
    }
}
