import RequestParsing

/// libFuzzer entry: the input is a client file name (upload `filename`, `output_filename`) or a URL path segment
/// (`/files/downloads/{name}`). Whatever the sanitisers return must be a safe plain name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let clean = SecureFilename.sanitize(text)
    check(clean, from: text)
    if SecureFilename.sanitize(clean) != clean { fatalError("sanitize is not idempotent: \(text.debugDescription)") }
    _ = SecureFilename.isTraversal(text, allowSeparators: true)
    _ = SecureFilename.baseName(text)
    _ = SecureFilename.fileExtension(text)
    do {
        check(try SecureFilename.uploadName(text), from: text)
    } catch {
        if error.status != 400 { fatalError("unexpected error: \(error)") }
    }
    do {
        let name = try SecureFilename.downloadName(text)
        check(name, from: text)
        if name.isEmpty { fatalError("downloadName returned an empty name for \(text.debugDescription)") }
    } catch {
        if error.status != 400 { fatalError("unexpected error: \(error)") }
    }
    return 0
}

/// Only `[A-Za-z0-9_.-]`, no leading/trailing `.`/`_`, never `.` or `..`.
private func check(_ name: String, from input: String) {
    let ok = name.utf8.allSatisfy { b in
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b == 0x2E || b == 0x2D
    }
    let edges = name.first.map { $0 != "." && $0 != "_" } ?? true && name.last.map { $0 != "." && $0 != "_" } ?? true
    if !ok || !edges || name == "." || name == ".." {
        fatalError("unsafe sanitised name \(name.debugDescription) from \(input.debugDescription)")
    }
}
