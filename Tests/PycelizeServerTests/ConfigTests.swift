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
        // Every setting, not a sample: a key added to one side only shows up here.
        let embedded = Dictionary(uniqueKeysWithValues: Mirror(reflecting: ServerConfig()).children.map { ($0.label ?? "", "\($0.value)") })
        let shipped = Dictionary(uniqueKeysWithValues: Mirror(reflecting: fromFile).children.map { ($0.label ?? "", "\($0.value)") })
        XCTAssertGreaterThan(embedded.count, 30)
        for (key, value) in embedded where key != "source" {
            XCTAssertEqual(shipped[key], value, key)
        }
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
