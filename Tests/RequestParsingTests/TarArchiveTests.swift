import Foundation
import XCTest
@testable import RequestParsing

/// The dump checks over the fuzz seeds: a good dump passes (from memory and from a file alike), each hostile one is a
/// 400 that names the member, never a server path.
final class TarArchiveTests: XCTestCase {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/dump")

    func validate(_ name: String) throws -> [TarArchive.Entry] {
        let data = try Data(contentsOf: Self.seeds.appendingPathComponent(name))
        let fromMemory = Result { try data.withUnsafeBytes { try TarArchive.validate(bytes: $0) } }
        let fromFile = Result { try TarArchive.validate(Self.seeds.appendingPathComponent(name).path) }
        XCTAssertEqual("\(fromMemory)", "\(fromFile)", name)
        return try fromMemory.get()
    }

    func testGoodDumpsPass() throws {
        for name in ["good.tar.gz", "good.tar"] {
            XCTAssertEqual(try validate(name).map(\.path), ["chat1", "chat1/uploads/a.csv", "chat1/conversation_metadata.json"])
        }
    }

    func testHostileDumpsAreRefused() {
        let expected = ["traversal.tar": "unsafe member name 'chat1/../../x'", "symlink.tar": "'chat1/l' is a link",
                        "absolute.tar": "unsafe member name"]
        for (name, fragment) in expected {
            XCTAssertThrowsError(try validate(name), name) { error in
                guard let e = error as? RequestError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.status, 400)
                XCTAssertTrue(e.message.contains(fragment), e.message)
            }
        }
        let garbage = Array("not an archive".utf8)
        XCTAssertThrowsError(try garbage.withUnsafeBytes { try TarArchive.validate(bytes: $0) }) { error in
            let message = (error as? RequestError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("Invalid dump file"), message)
            XCTAssertFalse(message.contains("/"), message)
        }
    }
}
