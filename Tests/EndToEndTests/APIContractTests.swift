import Foundation
import XCTest

/// The published contract: `GET /api/v1/openapi.json` documents every route and every loaded operation (bundled
/// and third-party C plugins), validates as OpenAPI 3.1; CORS headers; `output_files` of multi-output calls.
final class APIContractTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?
    nonisolated(unsafe) static var libDir: URL?

    override class func setUp() {
        super.setUp()
        do {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pz-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            libDir = dir
            let filter = try CPluginBuilder.build(into: dir, name: "cfilter")
            let reports = try CPluginBuilder.build(into: dir, name: "creports", source: "reports_plugin.c")
            server = try ServerHarness(pluginFiles: ["50-cfilter.yml": "library: \(filter.path)\n",
                                                     "51-creports.yml": "library: \(reports.path)\n"])
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

    func document() throws -> (raw: Data, json: [String: Any]) {
        let reply = try server.get("/api/v1/openapi.json")
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.header("Content-Type"), "application/json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        return (reply.body, json)
    }

    func testDocumentCoversEveryOperationWithItsFieldsAndSchemas() throws {
        let (_, doc) = try document()
        XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
        let operations = try server.get("/api/v1/operations").data["operations"] as? [[String: Any]] ?? []
        XCTAssertGreaterThan(operations.count, 10)
        XCTAssertTrue(operations.contains { $0["name"] as? String == "ctest/filter-rows" }, "the C plugin is loaded")
        for op in operations {
            let name = try XCTUnwrap(op["name"] as? String)
            let post = try XCTUnwrap(paths["/api/v1/\(name)"]?["post"] as? [String: Any], "POST /api/v1/\(name) is documented")
            XCTAssertEqual(post["summary"] as? String, op["summary"] as? String, name)
            let responses = try XCTUnwrap(post["responses"] as? [String: Any])
            XCTAssertEqual(Set(responses.keys), ["200", "400", "404", "405", "413", "422", "500", "503"], name)
            let body = try XCTUnwrap(post["requestBody"] as? [String: Any], name)
            let form = try XCTUnwrap(((body["content"] as? [String: Any])?["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any])
            let fields = try XCTUnwrap(form["properties"] as? [String: [String: Any]])
            let required = Set(form["required"] as? [String] ?? [])
            let inputs = op["inputs"] as? [String] ?? []
            for input in inputs {
                XCTAssertEqual(fields[input]?["contentMediaType"] as? String, "application/octet-stream", "\(name) \(input)")
                XCTAssertTrue(required.contains(input), "\(name): \(input) is required")
            }
            XCTAssertEqual(body["required"] as? Bool, !inputs.isEmpty || !required.isEmpty, name)
            let schema = op["arguments_schema"] as? [String: Any] ?? [:]
            // Host fields (`bind_file`, `target_file`: conversation file names in workflows) are uploads here.
            let hostFields: Set<String> = ["file", "source_file", "bind_file", "target_file", "output_filename"]
            for (argument, property) in schema["properties"] as? [String: Any] ?? [:] where !hostFields.contains(argument) {
                let field = try XCTUnwrap(fields[argument], "\(name): field \(argument)")
                XCTAssertEqual(field as NSDictionary, property as? NSDictionary, "\(name): \(argument) keeps its schema")
            }
            for argument in schema["required"] as? [String] ?? [] where !hostFields.contains(argument) {
                XCTAssertTrue(required.contains(argument), "\(name): \(argument) is required")
            }
            XCTAssertNotNil(fields["output_filename"], name)
            if inputs.isEmpty { XCTAssertNotNil(paths["/api/v1/\(name)"]?["get"], "\(name) answers GET too") }
        }
        // The third-party operation keeps its enum, default and description.
        let reports = paths["/api/v1/ctest/two-reports"]?["post"] as? [String: Any]
        let title = (((((reports?["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["multipart/form-data"]
            as? [String: Any])?["schema"] as? [String: Any])?["properties"] as? [String: Any])?["title"] as? [String: Any]
        XCTAssertEqual(title?["enum"] as? [String], ["short", "long"])
        XCTAssertEqual(title?["default"] as? String, "short")
        XCTAssertEqual(title?["description"] as? String, "Report style")
    }

    func testDocumentCoversTheHostAndChatRoutes() throws {
        let (_, doc) = try document()
        let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
        let expected: [(String, String)] = [
            ("get", "/api/v1/health"), ("get", "/api/v1/health/ready"), ("get", "/api/v1/plugins"),
            ("get", "/api/v1/operations"), ("get", "/api/v1/openapi.json"), ("get", "/api/v1/files/downloads/{filename}"),
            ("post", "/api/v1/chat/workflows"), ("get", "/api/v1/chat/workflows"), ("get", "/api/v1/chat/workflows/{chat_id}"),
            ("delete", "/api/v1/chat/workflows/{chat_id}"), ("post", "/api/v1/chat/workflows/{chat_id}/upload"),
            ("post", "/api/v1/chat/workflows/{chat_id}/execute"), ("post", "/api/v1/chat/workflows/{chat_id}/dump"),
            ("post", "/api/v1/chat/workflows/restore"), ("get", "/api/v1/chat/downloads/{filename}"),
            ("post", "/api/v1/chat/sqlite/backup"), ("get", "/api/v1/chat/workflows/{chat_id}/files/{filename}"),
        ]
        for (method, path) in expected {
            XCTAssertNotNil(paths[path]?[method], "\(method.uppercased()) \(path)")
        }
        let created = paths["/api/v1/chat/workflows"]?["post"] as? [String: Any]
        XCTAssertNotNil((created?["responses"] as? [String: Any])?["201"], "conversation creation answers 201")
        let components = try XCTUnwrap(doc["components"] as? [String: Any])
        XCTAssertNotNil((components["schemas"] as? [String: Any])?["Envelope"])
        // The envelope really is what the server answers.
        let health = try server.get("/api/v1/health")
        let envelope = (components["schemas"] as? [String: Any])?["Envelope"] as? [String: Any]
        XCTAssertEqual(Set(envelope?["required"] as? [String] ?? []), Set(health.json.keys))
    }

    /// `openapi-spec-validator` (PyPI) accepts the document. Skipped when it is not installed, except in CI.
    func testDocumentValidatesAsOpenAPI31() throws {
        let (raw, _) = try document()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pz-openapi-\(UUID().uuidString).json")
        try raw.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys
            try:
                from openapi_spec_validator import validate
                from openapi_spec_validator.readers import read_from_filename
            except ImportError:
                sys.exit(77)
            spec, _ = read_from_filename(sys.argv[1])
            validate(spec)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 {
            let note = "openapi-spec-validator is not installed (pip install openapi-spec-validator)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail(note) }
            throw XCTSkip(note)
        }
        XCTAssertEqual(process.terminationStatus, 0, message)
    }

    func testCORSWildcardWithoutOriginAndEchoWithOne() throws {
        let plain = try server.get("/api/v1/health")
        XCTAssertEqual(plain.header("Access-Control-Allow-Origin"), "*")
        let notFound = try server.get("/api/v1/nothing-here")
        XCTAssertEqual(notFound.status, 404)
        XCTAssertEqual(notFound.header("Access-Control-Allow-Origin"), "*", "errors carry it too")
        let withOrigin = try server.request("GET", "/api/v1/plugins", headers: ["Origin": "https://app.example"])
        XCTAssertEqual(withOrigin.header("Access-Control-Allow-Origin"), "https://app.example")
        XCTAssertEqual(withOrigin.header("Vary"), "Origin")
    }

    func testCORSRestrictedOrigins() throws {
        let restricted = try ServerHarness(configYAML: "api:\n  cors_allowed_origins: [\"https://ok.example\"]\n")
        defer { restricted.stop() }
        let ok = try restricted.request("GET", "/api/v1/health", headers: ["Origin": "https://ok.example"])
        XCTAssertEqual(ok.header("Access-Control-Allow-Origin"), "https://ok.example")
        let other = try restricted.request("GET", "/api/v1/health", headers: ["Origin": "https://evil.example"])
        XCTAssertEqual(other.status, 200)
        XCTAssertNil(other.header("Access-Control-Allow-Origin"))
        XCTAssertNil(try restricted.get("/api/v1/health").header("Access-Control-Allow-Origin"), "no wildcard when restricted")
        let preflight = try restricted.request("OPTIONS", "/api/v1/csv/info", headers: ["Origin": "https://evil.example",
                                                                                         "Access-Control-Request-Method": "POST"])
        XCTAssertNil(preflight.header("Access-Control-Allow-Origin"))
        XCTAssertNil(preflight.header("Access-Control-Allow-Methods"))
    }

    func testEveryOutputIsListedAndDownloadURLStaysTheFirst() throws {
        let reply = try server.postForm("/api/v1/ctest/two-reports", files: [:], fields: ["title": "long"])
        XCTAssertEqual(reply.status, 200, reply.message)
        XCTAssertEqual(reply.message, "Wrote 2 reports")
        let files = try XCTUnwrap(reply.data["output_files"] as? [[String: String]])
        XCTAssertEqual(files.count, 2)
        XCTAssertEqual(reply.data["download_url"] as? String, files[0]["download_url"])
        XCTAssertTrue(files[0]["file_name"]?.contains("_summary_") == true, "\(files)")
        XCTAssertTrue(files[1]["file_name"]?.contains("_details_") == true, "\(files)")
        var contents: [String] = []
        for file in files {
            let url = try XCTUnwrap(file["download_url"])
            XCTAssertTrue(url.hasSuffix("/api/v1/files/downloads/\(file["file_name"] ?? "")"), url)
            let download = try server.get(url)
            XCTAssertEqual(download.status, 200)
            contents.append(String(decoding: download.body, as: UTF8.self))
        }
        XCTAssertEqual(contents, ["first output\n", "second output\n"])

        let single = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("t.csv", Data("a,b\n1,2\n".utf8))])
        XCTAssertEqual(single.status, 200, single.message)
        let one = try XCTUnwrap(single.data["output_files"] as? [[String: String]])
        XCTAssertEqual(one.count, 1)
        XCTAssertEqual(one.first?["download_url"], single.data["download_url"] as? String)
    }
}
