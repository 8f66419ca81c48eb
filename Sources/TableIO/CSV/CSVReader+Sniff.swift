extension CSVReader {
    /// One pass over the file: refuses binary content, strips a UTF-8 BOM, and picks UTF-8 or Windows-1252 (the
    /// decision needs the whole file: one invalid sequence anywhere makes it Windows-1252). The UTF-8 validation and
    /// the NUL search share the pass, and both skip ASCII 8 bytes at a time.
    static func sniff(_ file: FileDescriptor) throws -> (CSVEncoding, Int) {
        let chunk = 1 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 8)
        defer { buf.deallocate() }
        var validator = UTF8Validator()
        var first = true
        var bom = 0
        while true {
            let n = try file.read(into: buf, count: chunk)
            if n == 0 { break }
            let p = buf.assumingMemoryBound(to: UInt8.self)
            if first {
                first = false
                try refuseBinarySignatures(p, n)
                if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { bom = 3 }
            }
            guard validator.feedText(p, n) else {
                throw TableIOError.badInput("The file contains NUL bytes: it is binary, not a CSV text file")
            }
        }
        return (validator.complete ? .utf8 : .cp1252, validator.complete ? bom : 0)
    }

    /// UTF-16/32 byte-order marks and zip signatures at the start of the file.
    private static func refuseBinarySignatures(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws {
        if n >= 4 && (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF
                      || p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) {
            throw TableIOError.badInput("Unsupported CSV encoding: UTF-32 is not supported; save the file as UTF-8")
        }
        if n >= 2 && (p[0] == 0xFF && p[1] == 0xFE || p[0] == 0xFE && p[1] == 0xFF) {
            throw TableIOError.badInput("Unsupported CSV encoding: UTF-16 is not supported; save the file as UTF-8")
        }
        if n >= 4 && p[0] == 0x50 && p[1] == 0x4B && p[2] == 3 && p[3] == 4 {
            throw TableIOError.badInput("The file is a zip/XLSX archive, not a CSV text file")
        }
    }
}
