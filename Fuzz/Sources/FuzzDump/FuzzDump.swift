import RequestParsing

/// libFuzzer entry: the input is a conversation dump (tar, gzip'd or not — libarchive detects both). `validate` must
/// accept it or throw `RequestError` 400; what it accepts must only name relative paths without `..` or empty
/// segments, and stay within the limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDump(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let limits = TarArchive.Limits(maxTotalBytes: 1 << 20, maxEntries: 64)
    do {
        let entries = try TarArchive.validate(bytes: UnsafeRawBufferPointer(start: data, count: size), limits: limits)
        if entries.count > limits.maxEntries { fatalError("too many entries accepted") }
        for e in entries {
            let parts = e.path.split(separator: "/", omittingEmptySubsequences: false)
            if e.path.isEmpty || e.path.hasPrefix("/") || parts.contains("..") || parts.contains("") || e.path.contains("\\") {
                fatalError("unsafe member accepted: \(e.path.debugDescription)")
            }
        }
    } catch let error as RequestError {
        if error.status != 400 { fatalError("unexpected error: \(error)") }
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
