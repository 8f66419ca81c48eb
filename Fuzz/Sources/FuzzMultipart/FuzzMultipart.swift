import RequestParsing

/// libFuzzer entry: byte 0 picks the boundary (`XB` or a longer one), byte 1 seeds the chunk sizes, the rest is the
/// body. The body is parsed whole and again in chunks split where the seed says (the network splits bodies
/// anywhere); both must give the same events or the same error. Any trap or mismatch is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let boundary = data[0] & 1 == 0 ? "XB" : "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    var seed = UInt64(data[1]) &* 0x9E37_79B9_7F4A_7C15 | 1
    let body = UnsafeRawBufferPointer(start: data + 2, count: size - 2)
    var limits = MultipartLimits()
    limits.maxHeaderLineBytes = 256
    limits.maxParts = 16
    let whole = run(body, boundary: boundary, limits: limits) { rest in rest }
    let split = run(body, boundary: boundary, limits: limits) { rest in
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
        let sizes = [1, 2, 3, 5, 8, 40, 1000]
        return min(rest, sizes[Int(seed % UInt64(sizes.count))])
    }
    if whole != split { fatalError("chunking changed the result:\n\(whole)\n\(split)") }
    return 0
}

/// The parse as text: events (with bodies) then the outcome.
private func run(_ body: UnsafeRawBufferPointer, boundary: String, limits: MultipartLimits,
                 chunk: (Int) -> Int) -> String {
    var log: [String] = []
    var content: [UInt8] = []
    do {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        var offset = 0
        while offset < body.count {
            let n = max(1, chunk(body.count - offset))
            try parser.feed(UnsafeRawBufferPointer(rebasing: body[offset..<(offset + n)])) { event in
                switch event {
                case .partBegin(let h): log.append("begin \(h.name) \(h.filename ?? "-") \(h.fields.count)")
                case .body(let b): content.append(contentsOf: b)
                case .partEnd:
                    log.append("body \(content)")
                    content = []
                    log.append("end")
                }
            }
            offset += n
        }
        try parser.finish()
        log.append("ok")
    } catch let e as MultipartError {
        log.append("error \(e.message)")
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return log.joined(separator: "\n")
}
