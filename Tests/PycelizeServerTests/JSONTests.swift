import XCTest
import PycelizeJSON

final class JSONTests: XCTestCase {
    func testParseKeepsOrderAndTypes() throws {
        let v = try JSONParser.parse(#"{"b": 1, "a": [true, null, -2.5, "x\u00e9\n"], "c": {"d": 9007199254740993}}"#)
        XCTAssertEqual(v.objectValue?.map(\.0), ["b", "a", "c"])
        XCTAssertEqual(v["a"], [true, nil, -2.5, "xé\n"])
        XCTAssertEqual(v["c"]?["d"], .int(9_007_199_254_740_993))
    }

    func testRejectsMalformed() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "01", "\"\\x\"", "[1] 2", "\"\u{1}\""] {
            XCTAssertThrowsError(try JSONParser.parse(bad), bad)
        }
        XCTAssertThrowsError(try JSONParser.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)))
    }

    func testSerializeRoundTrip() throws {
        let v: JSONValue = ["z": "é\"\\/", "a": [1, 2.5, false, nil], "emoji": "🍜"]
        let text = JSONSerializer.string(v, options: .init(sortKeys: true))
        XCTAssertEqual(text, #"{"a": [1, 2.5, false, null], "emoji": "🍜", "z": "é\"\\/"}"#)
        XCTAssertEqual(try JSONParser.parse(JSONSerializer.string(v)), v, "order-preserving round trip")
        let ascii = JSONSerializer.string("é🍜", options: .init(asciiOnly: true))
        XCTAssertEqual(ascii, #""\u00e9\ud83c\udf5c""#)
        XCTAssertEqual(try JSONParser.parse(ascii), "é🍜")
        // Control characters as Python's json.dumps writes them (the one escaper JSONGen's files use too).
        let control: JSONValue = "a\u{08}\u{0C}\n\r\t\u{01}\u{1F}\"\\ü"
        XCTAssertEqual(JSONSerializer.string(control), #""a\b\f\n\r\t\u0001\u001f\"\\ü""#)
        XCTAssertEqual(try JSONParser.parse(JSONSerializer.string(control)), control)
    }
}
