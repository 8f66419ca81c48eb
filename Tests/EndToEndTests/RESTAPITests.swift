import Foundation
import XCTest
import TableIO

/// The REST surface against the real server: envelopes, errors, limits, downloads, and the CSV → XLSX round trip.
final class RESTAPITests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?

    override class func setUp() {
        super.setUp()
        do {
            server = try ServerHarness(environment: ["PYCELIZE_MAX_FILE_SIZE_MB": "1"])
        } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    func testHealthEnvelope() throws {
        let r = try server.get("/api/v1/health")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("Content-Type"), "application/json")
        XCTAssertEqual(Set(r.json.keys), ["data", "message", "meta", "status_code", "total"])
        XCTAssertEqual(r.data["status"] as? String, "healthy")
        XCTAssertEqual(r.data["service"] as? String, "Pycelize")
        XCTAssertEqual(r.message, "Service is healthy")
        XCTAssertEqual(r.json["total"] as? Int, 0)
        let meta = try XCTUnwrap(r.json["meta"] as? [String: Any])
        XCTAssertEqual(meta["api_version"] as? String, "v0.0.1")
        XCTAssertEqual(meta["locale"] as? String, "en_US")
        let id = try XCTUnwrap(meta["request_id"] as? String)
        XCTAssertEqual(id.count, 32)
        XCTAssertTrue(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let time = try XCTUnwrap(meta["requested_time"] as? String)
        XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$"#, options: .regularExpression), time)
        let ready = try server.get("/api/v1/health/ready")
        XCTAssertEqual(ready.data["ready"] as? Bool, true)
    }

    func testUnknownRouteAndWrongMethodAreJSON() throws {
        let missing = try server.get("/api/v1/does-not-exist")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.message, "Resource not found")
        XCTAssertTrue(missing.json["data"] is NSNull)
        let wrong = try server.request("POST", "/api/v1/health")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.json["status_code"] as? Int, 405)
        XCTAssertEqual(wrong.header("Content-Type"), "application/json")
        let wrongOp = try server.request("GET", "/api/v1/csv/convert-to-excel")
        XCTAssertEqual(wrongOp.status, 405)
    }

    func testCORS() throws {
        let pre = try server.request("OPTIONS", "/api/v1/csv/info", headers: ["Origin": "http://example.com",
                                                                               "Access-Control-Request-Method": "POST"])
        XCTAssertEqual(pre.status, 200)
        XCTAssertEqual(pre.header("Access-Control-Allow-Origin"), "http://example.com")
        let get = try server.request("GET", "/api/v1/health", headers: ["Origin": "http://a.test"])
        XCTAssertEqual(get.header("Access-Control-Allow-Origin"), "http://a.test")
        XCTAssertEqual(get.header("Vary"), "Origin")
    }

    /// The acceptance round trip: every cell of a messy CSV survives conversion, download and re-reading.
    func testConvertToExcelRoundTripKeepsEveryCell() throws {
        let csv = "customer_id,name,amount,phone,note,city\n"
            + "cust001,\"Nguyen, An\",1500,0901234567,\"line one\nline two\",Hà Nội\r\n"
            + "cust002,Phở Bò 🍜,2500.50,,\"say \"\"hi\"\"\",\n"
            + "cust003,,-3,+1 (415) 555-0100,=SUM(A1:A2),Huế\n\n"
        let reply = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("sales.csv", Data(csv.utf8))],
                                        fields: ["sheet_name": "Sales"])
        XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
        XCTAssertEqual(reply.message, "Converted to Excel file successfully")
        let url = try XCTUnwrap(reply.data["download_url"] as? String)
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:\(try server.port)/api/v1/files/downloads/sales_converted_"), url)
        XCTAssertTrue(url.hasSuffix(".xlsx"))

        let file = try server.get(url)
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(file.header("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let name = String(url.split(separator: "/").last!)
        XCTAssertEqual(file.header("Content-Disposition"), "attachment; filename=\(name)")

        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString).xlsx")
        try file.body.write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let wb = try XLSXWorkbook(path: tmp.path)
        XCTAssertEqual(wb.sheetNames, ["Sales", "Info"])
        let reader = try XLSXReader(workbook: wb, sheetName: "Sales")
        XCTAssertEqual(reader.columnNames, ["customer_id", "name", "amount", "phone", "note", "city"])
        let rows = try reader.readAllValues()
        XCTAssertEqual(rows, [
            [.text("cust001"), .text("Nguyen, An"), .int(1500), .text("0901234567"), .text("line one\nline two"), .text("Hà Nội")],
            [.text("cust002"), .text("Phở Bò 🍜"), .float(2500.5), .null, .text("say \"hi\""), .null],
            [.text("cust003"), .null, .int(-3), .text("+1 (415) 555-0100"), .text("=SUM(A1:A2)"), .text("Huế")],
        ])
        let info = try XLSXReader(workbook: wb, sheetName: "Info").readAllValues()
        XCTAssertEqual(info[0], [.text("File"), .text(name)])
        XCTAssertEqual(info[2], [.text("Rows"), .int(3)])
    }

    func testCSVInfo() throws {
        let r = try server.postForm("/api/v1/csv/info", files: ["file": ("my data.csv", Data("a,b\n1,x\n2,y\n".utf8))])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.message, "CSV file information retrieved successfully")
        XCTAssertEqual(r.data["rows"] as? Int, 2)
        XCTAssertEqual(r.data["columns"] as? Int, 2)
        XCTAssertEqual(r.data["column_names"] as? [String], ["a", "b"])
        XCTAssertEqual(r.data["file_name"] as? String, "my_data.csv")
        XCTAssertEqual(r.data["file_path"] as? String, "uploads/my_data.csv")
        XCTAssertEqual(r.data["data_types"] as? [String: String], ["a": "str", "b": "str"])
        // Uploads are temporary: nothing is left in the upload folder.
        let uploads = try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("uploads").path)
        XCTAssertEqual(uploads, [])
    }

    func testMissingFileAndBadInputs() throws {
        let noFile = try server.postForm("/api/v1/csv/info", files: [:], fields: ["x": "y"])
        XCTAssertEqual(noFile.status, 422)
        XCTAssertEqual(noFile.message, "No file uploaded")
        let notMultipart = try server.request("POST", "/api/v1/csv/convert-to-excel", body: Data("{}".utf8),
                                              headers: ["Content-Type": "application/json"])
        XCTAssertEqual(notMultipart.status, 422)
        let unbalanced = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("u.csv", Data("a,b\n1,\"open\n".utf8))])
        XCTAssertEqual(unbalanced.status, 400)
        XCTAssertTrue(unbalanced.message.contains("Unbalanced quotes"), unbalanced.message)
        let utf16 = try server.postForm("/api/v1/csv/info", files: ["file": ("w.csv", Data([0xFF, 0xFE, 0x61, 0x00]))])
        XCTAssertEqual(utf16.status, 400)
        let badSheet = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("s.csv", Data("a\n1\n".utf8))],
                                           fields: ["sheet_name": "bad[name]"])
        XCTAssertEqual(badSheet.status, 422)
        XCTAssertTrue(badSheet.message.contains("Invalid sheet name"), badSheet.message)
        let longSheet = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("s.csv", Data("a\n1\n".utf8))],
                                            fields: ["sheet_name": String(repeating: "x", count: 40)])
        XCTAssertEqual(longSheet.status, 422)
    }

    func testOversizeUploadIs413AndLeavesNothing() throws {
        let big = Data(repeating: 0x61, count: 1_300_000)
        let r = try server.postForm("/api/v1/csv/info", files: ["file": ("big.csv", big)])
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.json["status_code"] as? Int, 413)
        XCTAssertTrue(r.message.contains("Request Entity Too Large"), r.message)
        let uploads = try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("uploads").path)
        XCTAssertEqual(uploads, [])
    }

    /// curl sends `Expect: 100-continue` for uploads; without an interim reply it stalls a second per request.
    func testExpectContinueIsAnswered() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { throw XCTSkip("curl not installed") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pz-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("e.csv")
        try Data(("a,b\n" + String(repeating: "1,2\n", count: 5000)).utf8).write(to: file)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sv", "-H", "Expect: 100-continue", "-F", "file=@\(file.path)", "\(try server.base)/api/v1/csv/info"]
        let out = Pipe()
        curl.standardOutput = out
        curl.standardError = out
        try curl.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        XCTAssertTrue(text.contains("< HTTP/1.1 100 Continue"), text)
        XCTAssertTrue(text.contains("\"rows\": 5000"), text)
    }

    func testTraversalIsRefusedAndWritesNothingOutside() throws {
        for path in ["/api/v1/files/downloads/..%2F..%2Fetc%2Fpasswd", "/api/v1/files/downloads/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                     "/api/v1/files/downloads/...", "/api/v1/files/downloads/%2Fetc%2Fpasswd",
                     "/api/v1/files/downloads/..%5C..%5Cwin.ini"] {
            let r = try server.get(path)
            XCTAssertEqual(r.status, 400, path)
            XCTAssertEqual(r.message, "Invalid file path", path)
            XCTAssertEqual(r.json["status_code"] as? Int, 400, path)
        }
        XCTAssertEqual(try server.get("/api/v1/files/downloads/nope.xlsx").status, 404)
        XCTAssertEqual(try server.get("/api/v1/files/downloads/nope.xlsx").message, "File not found")

        let before = try FileManager.default.contentsOfDirectory(atPath: try server.dataDir.appendingPathComponent("outputs").path)
        let evilOutput = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("ok.csv", Data("a\n1\n".utf8))],
                                             fields: ["output_filename": "../../../escaped"])
        XCTAssertEqual(evilOutput.status, 400)
        XCTAssertEqual(evilOutput.message, "Invalid output_filename: it must be a plain file name")
        let evilUpload = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("../../evil.csv", Data("a\n1\n".utf8))])
        XCTAssertEqual(evilUpload.status, 400)
        let after = try FileManager.default.contentsOfDirectory(atPath: try server.dataDir.appendingPathComponent("outputs").path)
        XCTAssertEqual(before, after, "a refused request writes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: try server.root.appendingPathComponent("escaped.xlsx").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: try server.dataDir.appendingPathComponent("uploads").path), [])

        // A Windows client path is a name, not a traversal; it is sanitised like the original did.
        let windows = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("C:\\Users\\an\\my sales.csv", Data("a\n1\n".utf8))],
                                          fields: ["output_filename": "report"])
        XCTAssertEqual(windows.status, 200, windows.message)
        XCTAssertTrue((windows.data["download_url"] as? String ?? "").hasSuffix("/api/v1/files/downloads/report.xlsx"))
        // A second request with the same name does not overwrite the first output.
        let again = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("x.csv", Data("a\n2\n".utf8))],
                                        fields: ["output_filename": "report.xlsx"])
        XCTAssertTrue((again.data["download_url"] as? String ?? "").hasSuffix("/report_2.xlsx"), "\(again.data)")
    }
}
