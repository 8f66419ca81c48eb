import Foundation
import XCTest
import TableIO

/// `GET …/files/{name}/preview` and `GET /api/v1/files/preview/{name}`: the header and first rows as typed JSON.
final class PreviewTests: SharedServerTestCase {
    let csv = Data("id,name,amount,code,note\n1,An,1500,007,\n2,\"Chi, Le\",2000.5,010,x\n3,Binh,-3,1e3, 4\n".utf8)

    func upload(_ name: String, _ data: Data) throws -> String {
        let id = try XCTUnwrap(try server.request("POST", "/api/v1/chat/workflows").data["chat_id"] as? String)
        let r = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": (name, data)])
        XCTAssertEqual(r.status, 200, r.message)
        return id
    }

    func testCSVPreviewIsTyped() throws {
        let id = try upload("sales.csv", csv)
        let r = try server.get("/api/v1/chat/workflows/\(id)/files/sales.csv/preview")
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Preview retrieved successfully")
        XCTAssertEqual(r.data["file_name"] as? String, "sales.csv")
        XCTAssertEqual(r.data["format"] as? String, "csv")
        XCTAssertEqual(r.data["columns"] as? [String], ["id", "name", "amount", "code", "note"])
        // `007`, `1e3` and ` 4` are not written as numbers are: they stay text, character for character.
        XCTAssertEqual(r.data["column_types"] as? [String], ["integer", "text", "number", "text", "text"])
        let rows = try XCTUnwrap(r.data["rows"] as? [[Any]])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(TransformSheets.json(rows), #"[[1,"An",1500,"007",null],[2,"Chi, Le",2000.5,"010","x"],[3,"Binh",-3,"1e3"," 4"]]"#)
        XCTAssertEqual(r.data["row_count"] as? Int, 3)
        XCTAssertEqual(r.data["limit"] as? Int, 50)
        XCTAssertEqual(r.data["truncated"] as? Bool, false)
        XCTAssertEqual(r.data["total_rows"] as? Int, 3)
    }

    func testLimitTruncatesAndIsChecked() throws {
        var text = "n,square\n"
        for i in 0..<2500 { text += "\(i),\(i * i)\n" }
        let id = try upload("big.csv", Data(text.utf8))
        let path = "/api/v1/chat/workflows/\(id)/files/big.csv/preview"
        let two = try server.get("\(path)?limit=2")
        XCTAssertEqual(TransformSheets.json(two.data["rows"] as Any), "[[0,0],[1,1]]")
        XCTAssertEqual(two.data["truncated"] as? Bool, true)
        XCTAssertTrue(two.data["total_rows"] is NSNull)
        XCTAssertEqual((try server.get(path).data["rows"] as? [Any])?.count, 50)
        let capped = try server.get("\(path)?limit=999999999999")
        XCTAssertEqual((capped.data["rows"] as? [Any])?.count, 1000)
        XCTAssertEqual(capped.data["limit"] as? Int, 1000)
        let none = try server.get("\(path)?limit=0")
        XCTAssertEqual(none.data["columns"] as? [String], ["n", "square"])
        XCTAssertEqual((none.data["rows"] as? [Any])?.count, 0)
        XCTAssertEqual(none.data["truncated"] as? Bool, true)
        for bad in ["-1", "x", "1.5", "99999999999999999999999"] {
            assertError(try server.get("\(path)?limit=\(bad)"), 422, "limit must be a non-negative integer", prefix: true)
        }
        // Exactly the limit: nothing more to read, so not truncated.
        let exact = try upload("three.csv", csv)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(exact)/files/three.csv/preview?limit=3").data["truncated"] as? Bool, false)
    }

    func testXLSXOutputPreviewIsTyped() throws {
        // An XLSX in the outputs folder (where one-shot operations write): typed cells come through as JSON types.
        let data = try TransformSheets.xlsx(["when", "count", "price", "ok", "label"], [
            [.dateTime(1_704_412_800, flags: 1), .int(3), .float(2.5), .bool(true), .text("a")],
            [.dateTime(1_704_412_800 + 3723, flags: 0), .null, .float(-0.125), .bool(false), .null],
        ])
        let name = "preview-\(UUID().uuidString.prefix(8)).xlsx"
        try data.write(to: try server.dataDir.appendingPathComponent("outputs/\(name)"))
        let r = try server.get("/api/v1/files/preview/\(name)")
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.data["format"] as? String, "xlsx")
        XCTAssertEqual(r.data["column_types"] as? [String], ["date", "integer", "number", "boolean", "text"])
        XCTAssertEqual(TransformSheets.json(r.data["rows"] as Any),
                       #"[["2024-01-05",3,2.5,true,"a"],["2024-01-05T01:02:03",null,-0.125,false,null]]"#)
        XCTAssertEqual(r.data["total_rows"] as? Int, 2)
        XCTAssertEqual(try server.get("/api/v1/files/preview/\(name)?sheet_name=Nope").status, 404)
    }

    func testOneShotOperationOutputPreview() throws {
        let r = try server.postForm("/api/v1/csv/convert-to-excel", files: ["file": ("sales.csv", csv)])
        XCTAssertEqual(r.status, 200, r.message)
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        let name = try XCTUnwrap(url.split(separator: "/").last)
        let preview = try server.get("/api/v1/files/preview/\(name)?limit=1")
        XCTAssertEqual(preview.status, 200, preview.message)
        XCTAssertEqual(preview.data["columns"] as? [String], ["id", "name", "amount", "code", "note"])
        XCTAssertEqual((preview.data["rows"] as? [[Any]])?.first?[1] as? String, "An")
    }

    func testErrors() throws {
        let id = try upload("sales.csv", csv)
        let base = "/api/v1/chat/workflows/\(id)/files"
        assertError(try server.get("\(base)/nothing.csv/preview"), 404, "File not found")
        assertError(try server.get("/api/v1/chat/workflows/no-such-chat/files/sales.csv/preview"), 404, "Conversation not found")
        assertError(try server.get("/api/v1/files/preview/nothing.xlsx"), 404, "File not found")
        // Names are sanitised exactly as the download route does: separators and `..` never leave the folder.
        for raw in ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..%5Csales.csv"] {
            assertError(try server.get("/api/v1/files/preview/\(raw)"), 400, "Invalid file path")
            assertError(try server.get("\(base)/\(raw)/preview"), 400, "Invalid file path")
        }
        // Not a table: a clear 422.
        let json = try upload("data.json", Data("[{\"a\": 1}]".utf8))
        assertError(try server.get("/api/v1/chat/workflows/\(json)/files/data.json/preview"), 422,
                    "Preview is only available for .csv and .xlsx files")
        // A file that claims to be XLSX but is not: the engine's 400, the server lives on.
        let fake = try upload("fake.xlsx", Data("not a zip at all".utf8))
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(fake)/files/fake.xlsx/preview").status, 400)
        XCTAssertEqual(try server.request("POST", "\(base)/sales.csv/preview").status, 405)
        XCTAssertEqual(try server.get("/api/v1/health").status, 200)
    }

    func testDocumentedInOpenAPI() throws {
        let doc = try server.get("/api/v1/openapi.json").json
        let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
        for path in ["/api/v1/files/preview/{filename}", "/api/v1/chat/workflows/{chat_id}/files/{filename}/preview"] {
            let get = try XCTUnwrap(paths[path]?["get"] as? [String: Any], path)
            let names = (get["parameters"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            XCTAssertEqual(names, ["limit", "sheet_name"])
        }
    }
}
