import PycelizeJSON

/// libFuzzer entry: the input is JSON text. It must parse or throw `JSONParseError`; what parses must serialize and
/// parse back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let value: JSONValue
    do { value = try JSONParser.parse(bytes) } catch is JSONParseError { return 0 } catch {
        fatalError("unexpected error type: \(error)")
    }
    let text = JSONSerializer.bytes(value, options: .init(sortKeys: false, indent: 0))
    guard let again = try? JSONParser.parse(text) else { fatalError("serialized JSON does not parse: \(text)") }
    if again != value && JSONSerializer.bytes(again, options: .init(sortKeys: false, indent: 0)) != text {
        fatalError("round trip changed the value: \(value) → \(again)")
    }
    return 0
}
