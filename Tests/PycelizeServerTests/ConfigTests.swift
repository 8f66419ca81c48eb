import XCTest
@testable import PycelizeServer

final class ConfigTests: XCTestCase {
    func testEmbeddedDefaultsMatchTheOriginal() {
        let c = ServerConfig()
        XCTAssertEqual(c.host, "127.0.0.1")
        XCTAssertEqual(c.port, 5050)
        XCTAssertEqual(c.wsPort, 5051)
        XCTAssertEqual(c.apiPrefix, "/api/v1")
        XCTAssertEqual(c.maxFileSizeMB, 50)
        XCTAssertEqual(c.pluginsDirectory, "plugins.d")
    }

    func testShippedFileParsesToTheEmbeddedDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var fromFile = ServerConfig()
        try fromFile.apply(yamlFile: root.appendingPathComponent("configs/application.yml").path)
        let d = ServerConfig()
        XCTAssertEqual(fromFile.port, d.port)
        XCTAssertEqual(fromFile.wsPort, d.wsPort)
        XCTAssertEqual(fromFile.uploadFolder, d.uploadFolder)
        XCTAssertEqual(fromFile.workflowsPath, d.workflowsPath)
        XCTAssertEqual(fromFile.compressionLevel, d.compressionLevel)
        XCTAssertEqual(fromFile.allowedExtensions, d.allowedExtensions)
    }

    func testPrecedenceAndErrors() throws {
        var c = ServerConfig()
        try c.apply(yaml: "app:\n  port: 6000\nfile:\n  max_file_size_mb: 5\n")
        XCTAssertEqual(c.port, 6000)
        XCTAssertEqual(c.maxFileSizeMB, 5)
        try c.apply(environment: ["PYCELIZE_PORT": "7000", "PYCELIZE_DATA_DIR": "/srv/pz"])
        XCTAssertEqual(c.port, 7000)
        XCTAssertEqual(c.dataPath("./automation/x"), "/srv/pz/automation/x")
        XCTAssertEqual(c.dataPath("/abs"), "/abs")
        XCTAssertThrowsError(try c.apply(yaml: "app:\n  port: [1]\n"))
        XCTAssertThrowsError(try c.apply(yaml: "app:\n  port: 99999\n"))
        XCTAssertThrowsError(try c.apply(environment: ["PYCELIZE_PORT": "abc"]))
        XCTAssertThrowsError(try c.apply(yaml: "chat_workflows:\n  partition:\n    strategy: weekly\n"))
    }

    func testOperationNames() {
        XCTAssertTrue(PluginLoader.isValidOperationName("csv/convert-to-excel"))
        XCTAssertTrue(PluginLoader.isValidOperationName("excel/search/suggest-operators"))
        for bad in ["csv", "/csv/x", "csv//x", "CSV/x", "csv/x y", "csv/../x"] {
            XCTAssertFalse(PluginLoader.isValidOperationName(bad), bad)
        }
    }
}
