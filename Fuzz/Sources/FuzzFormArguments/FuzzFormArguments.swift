import PycelizeJSON
import RequestParsing

/// A schema using every keyword `ArgumentValidator` knows, for inputs that bring none.
private let fixedSchema = try? JSONParser.parse("""
{"type":"object","additionalProperties":false,"required":["columns"],"properties":{
 "columns":{"type":"array","items":{"type":"string","minLength":1,"maxLength":64},"minItems":1,"maxItems":50},
 "remove_duplicates":{"type":"boolean"},"limit":{"type":"integer","minimum":0,"maximum":1000000},
 "ratio":{"type":["number","null"],"minimum":-1.5,"maximum":1e300},"mode":{"type":"string","enum":["a","b"]},
 "mapping":{"type":"object","additionalProperties":{"type":"string"}},"sheet_name":{"type":"string"},
 "nested":{"type":"object","properties":{"x":{"type":"array","items":{"type":"array","items":{"type":"integer"}}}}}}}
""")

/// libFuzzer entry: `schema-json NUL key=value LF key=value …` (without a NUL: the fixed schema). The fields are
/// converted by the schema's types and the result validated; both must succeed or throw `RequestError` (422).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormArguments(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var schema = fixedSchema ?? .object([])
    var fieldBytes = bytes[...]
    if let nul = bytes.firstIndex(of: 0) {
        if let s = try? JSONParser.parse(Array(bytes[..<nul])) { schema = s }
        fieldBytes = bytes[(nul + 1)...]
    }
    var fields: [String: String] = [:]
    for line in fieldBytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
        let kv = line.split(separator: 0x3D, maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(decoding: kv[0], as: UTF8.self)
        fields[key] = kv.count > 1 ? String(decoding: kv[1], as: UTF8.self) : ""
    }
    do {
        let arguments = try FormArguments.convert(fields, schema: schema, skipping: ["file", "output_filename"])
        try ArgumentValidator.validate(arguments, schema: schema)
    } catch {
        if error.status != 422 || error.message.isEmpty { fatalError("unexpected error: \(error)") }
    }
    return 0
}
