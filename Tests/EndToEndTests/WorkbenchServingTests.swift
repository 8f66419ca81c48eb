import Foundation
import XCTest

/// The web workbench's files: the page at `/`, assets under `/ui/`, content types, cache validators, and no way out
/// of the asset folder.
final class WorkbenchServingTests: SharedServerTestCase {
    func testPageAndAssets() throws {
        let page = try server.get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(page.header("Cache-Control"), "no-cache")
        XCTAssertEqual(page.header("X-Content-Type-Options"), "nosniff")
        XCTAssertTrue(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        let html = String(decoding: page.body, as: UTF8.self)
        // The API prefix is filled in; the page loads its module from /ui/.
        XCTAssertTrue(html.contains(#"<meta name="api-prefix" content="/api/v1">"#), html)
        XCTAssertTrue(html.contains(#"src="/ui/js/app.js""#))
        let etag = try XCTUnwrap(page.header("ETag"))
        XCTAssertEqual(try server.request("GET", "/", headers: ["If-None-Match": etag]).status, 304)
        XCTAssertEqual(try server.request("GET", "/", headers: ["If-None-Match": "\"other\""]).status, 200)

        let expected = [("/ui/styles.css", "text/css; charset=utf-8"), ("/ui/js/app.js", "text/javascript; charset=utf-8"),
                        ("/ui/favicon.svg", "image/svg+xml")]
        let root = ServerHarness.packageRoot.appendingPathComponent("Web")
        for (path, type) in expected {
            let r = try server.get(path)
            XCTAssertEqual(r.status, 200, path)
            XCTAssertEqual(r.header("Content-Type"), type, path)
            XCTAssertEqual(r.header("Cache-Control"), "no-cache", path)
            XCTAssertNotNil(r.header("ETag"), path)
            XCTAssertEqual(r.body, try Data(contentsOf: root.appendingPathComponent(String(path.dropFirst(4)))), path)
        }
        let missing = try server.get("/ui/js/nothing.js")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.header("Content-Type"), "application/json")
        XCTAssertEqual(try server.request("POST", "/").status, 405)
    }

    /// Sent as raw bytes: URLSession would normalise the dots away before the server could see them.
    func testTraversalNeverLeavesTheFolder() throws {
        let port = try server.port
        let attempts = [
            "/ui/../../etc/passwd", "/ui/../Package.swift", "/ui/js/../../Package.swift", "/ui/%2e%2e/%2e%2e/etc/passwd",
            "/ui/..%2f..%2fetc%2fpasswd", "/ui/%2E%2E%2F%2E%2E%2FPackage.swift", "/ui//etc/passwd", "/ui/.%2e/Package.swift",
            "/ui/..\\..\\Package.swift", "/ui/js%2f..%2f..%2fPackage.swift", "/ui/", "/ui/.hidden", "/ui/js/./app.js",
            "/ui/%00", "/ui/index.html%00.css",
        ]
        for path in attempts {
            let client = try RawHTTPClient(port: port, receiveTimeout: 10)
            client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let response = try XCTUnwrap(client.readResponse(), path)
            XCTAssertTrue([400, 404].contains(response.status), "\(path): \(response.status)")
            XCTAssertFalse(response.body.contains("root:"), path)
            XCTAssertFalse(response.body.contains("PackageDescription"), path)
        }
        XCTAssertEqual(try server.get("/api/v1/health").status, 200)
    }
}

/// `web.root` and `web.enabled`: another folder is served, a symbolic link out of it is not followed, a missing
/// folder is reported, and the page can be switched off.
final class WorkbenchConfigTests: XCTestCase {
    func testConfiguredRootAndSymlinkEscape() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pz-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<p>custom %API_PREFIX%</p>".utf8).write(to: folder.appendingPathComponent("index.html"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("leak.txt").path, withDestinationPath: "/etc/passwd")
        let server = try ServerHarness(configYAML: "api:\n  prefix: /api/v1\nweb:\n  root: \(folder.path)\n")
        defer { server.stop() }
        XCTAssertEqual(String(decoding: try server.get("/").body, as: UTF8.self), "<p>custom /api/v1</p>")
        XCTAssertEqual(try server.get("/ui/leak.txt").status, 404)
        XCTAssertEqual(try server.get("/ui/styles.css").status, 404)

        let missing = try ServerHarness(configYAML: "web:\n  root: /nonexistent/pz-web\n")
        defer { missing.stop() }
        let none = try missing.get("/")
        XCTAssertEqual(none.status, 404)
        XCTAssertEqual(none.message, "The web workbench is not installed: set web.root to its folder")
        XCTAssertTrue(missing.log.contains("web workbench: no folder at /nonexistent/pz-web"), missing.log)

        let off = try ServerHarness(configYAML: "web:\n  enabled: false\n")
        defer { off.stop() }
        let page = try off.get("/")
        XCTAssertEqual(page.status, 404)
        XCTAssertEqual(page.message, "Resource not found")
        XCTAssertEqual(try off.get("/api/v1/health").status, 200)
    }
}
