/// A raw-deflate compressor (no zlib/gzip wrapper) for one zip entry.
///
/// `ZipWriter` picks the implementation from the configured level (`make(level:)`): ISA-L's igzip for levels 1–3
/// (the fast ones, several times quicker than zlib at similar sizes), zlib for 0 (stored blocks) and 4–9 (smaller
/// files than igzip can make). Both are fed the same way and hand out compressed bytes through `sink`.
protocol RawDeflater: AnyObject {
    /// Compresses `input`; with `finish`, also ends the deflate stream. Every produced block goes to `sink` (the
    /// bytes are only valid during the call).
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                  _ sink: (UnsafeRawBufferPointer) throws -> Void) throws
}

enum RawDeflaters {
    /// igzip level used for each configured level that igzip serves. igzip's level 2 deflates as fast as its level 1
    /// here and 2% smaller, so it serves both 1 (the default) and 2; see docs/engine.md for the measurements.
    static func isalLevel(forConfigured level: Int) -> Int? {
        switch level {
        case 1, 2: return 2
        case 3: return 3
        default: return nil
        }
    }

    /// A fresh deflater for one entry at configured `level` (0–9, zlib's scale).
    static func make(level: Int) throws -> any RawDeflater {
        if let isal = isalLevel(forConfigured: level) { return try ISALDeflater(level: isal) }
        return try ZlibDeflater(level: Int32(max(0, min(9, level))))
    }
}
