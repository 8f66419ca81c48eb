import XCTest
@testable import PycelizeServer
@testable import RequestParsing

final class SecureFilenameTests: XCTestCase {
    /// The original's verified examples (werkzeug secure_filename).
    func testMatchesTheOriginal() {
        XCTAssertEqual(SecureFilename.sanitize("my users.xlsx"), "my_users.xlsx")
        XCTAssertEqual(SecureFilename.sanitize("../../etc/passwd"), "etc_passwd")
        XCTAssertEqual(SecureFilename.sanitize("数据.xlsx"), "xlsx")
        XCTAssertEqual(SecureFilename.sanitize("naïve café.xlsx"), "naive_cafe.xlsx")
        XCTAssertEqual(SecureFilename.sanitize("a/b/c.csv"), "a_b_c.csv")
        XCTAssertEqual(SecureFilename.sanitize(".."), "")
        XCTAssertEqual(SecureFilename.sanitize("..."), "")
        XCTAssertEqual(SecureFilename.sanitize("..\\..\\win.ini"), "win.ini")
    }

    func testTraversalDetection() {
        XCTAssertTrue(SecureFilename.isTraversal("../x", allowSeparators: true))
        XCTAssertTrue(SecureFilename.isTraversal("a\\..\\b", allowSeparators: true))
        XCTAssertTrue(SecureFilename.isTraversal("/etc/passwd", allowSeparators: true))
        XCTAssertFalse(SecureFilename.isTraversal("C:\\Users\\a.csv", allowSeparators: true))
        XCTAssertTrue(SecureFilename.isTraversal("a/b", allowSeparators: false))
        XCTAssertFalse(SecureFilename.isTraversal("a..b.csv", allowSeparators: false))
        XCTAssertTrue(SecureFilename.isTraversal("..", allowSeparators: false))
    }

    func testUploadAndDownloadNames() throws {
        XCTAssertEqual(try SecureFilename.uploadName("C:\\Users\\an\\my sales.csv"), "C_Users_an_my_sales.csv")
        XCTAssertEqual(try SecureFilename.uploadName("数据"), "")
        XCTAssertThrowsError(try SecureFilename.uploadName("../x.csv"))
        XCTAssertEqual(try SecureFilename.downloadName("my%20file.xlsx"), "my_file.xlsx")
        XCTAssertEqual(try SecureFilename.downloadName(".hidden"), "hidden", "leading dots are stripped, as werkzeug does")
        for bad in ["..%2Fx", "%2Fetc%2Fpasswd", "...", "..", "a%5Cb"] {
            XCTAssertThrowsError(try SecureFilename.downloadName(bad), bad) { error in
                XCTAssertEqual((error as? RequestError)?.status, 400, bad)
            }
        }
    }

    func testBaseAndExtension() {
        XCTAssertEqual(SecureFilename.baseName("a.b.csv"), "a.b")
        XCTAssertEqual(SecureFilename.baseName(".hidden"), ".hidden")
        XCTAssertEqual(SecureFilename.fileExtension("X.XLSX"), ".xlsx")
        XCTAssertEqual(SecureFilename.fileExtension("noext"), "")
    }

    func testOneShotPlannerNames() {
        let p = OneShotPlanner(directory: "/o", inputBase: "sales", requestedName: nil, timestamp: "20260101_000000")
        XCTAssertEqual(p.fileName(forOutput: 0, suffix: "converted", fileExtension: "xlsx"), "sales_converted_20260101_000000.xlsx")
        let named = OneShotPlanner(directory: "/o", inputBase: "sales", requestedName: "report", timestamp: "t")
        XCTAssertEqual(named.fileName(forOutput: 0, suffix: "x", fileExtension: "xlsx"), "report.xlsx")
        XCTAssertEqual(named.fileName(forOutput: 1, suffix: "x", fileExtension: "csv"), "sales_x_t.csv")
        let withExt = OneShotPlanner(directory: "/o", inputBase: "s", requestedName: "r.xlsx", timestamp: "t")
        XCTAssertEqual(withExt.fileName(forOutput: 0, suffix: "x", fileExtension: "xlsx"), "r.xlsx")
    }
}
