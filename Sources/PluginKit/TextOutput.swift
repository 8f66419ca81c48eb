import PluginABI

/// A text artifact (SQL, JSON, …) written through the host's `create_text_output`/`text_write`/`text_finish`.
///
/// Operations append bytes to `buffer` (or use the `write` helpers) and call `flushIfFull()` between rows: the
/// buffer is handed to the host whenever it passes 64 KiB, so a 200,000-row output is never held in memory.
/// `finish()` publishes the file; an unfinished output is discarded by the host when the call ends.
public final class TextOutput {
    let writer: OpaquePointer
    let host: UnsafePointer<pz_host_api>
    /// Bytes not yet handed to the host. Append freely; call `flushIfFull()` now and then.
    public var buffer: [UInt8] = []
    /// Bytes handed to the host so far (the file's size once finished).
    public private(set) var bytesWritten = 0
    static let flushThreshold = 1 << 16

    init(writer: OpaquePointer, host: UnsafePointer<pz_host_api>) {
        self.writer = writer
        self.host = host
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Hands the buffer to the host once it holds 64 KiB or more.
    @inline(__always)
    public func flushIfFull() throws(OperationFailure) {
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Hands everything buffered to the host.
    public func flush() throws(OperationFailure) {
        guard !buffer.isEmpty else { return }
        let rc = buffer.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { c in
                host.pointee.text_write?(writer, c.baseAddress, c.count) ?? Int32(PZ_ERR_INTERNAL.rawValue)
            }
        }
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether `setPrefix` works (the host implements ABI 1.2).
    public var supportsPrefix: Bool { host.has(\.text_set_prefix) && host.pointee.text_set_prefix != nil }

    /// Sets bytes that go before everything written (a header that needs a count known only at the end); the last
    /// call wins. Needs `supportsPrefix`.
    public func setPrefix(_ text: String) throws(OperationFailure) {
        guard supportsPrefix, let f = host.pointee.text_set_prefix else {
            throw .internalError("the host is older than ABI 1.2 (no text_set_prefix)")
        }
        var bytes = Array(text.utf8)
        let rc = bytes.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { f(writer, $0.baseAddress, $0.count) }
        }
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
    }

    /// Writes what is buffered and publishes the file. The output must not be used afterwards.
    public func finish() throws(OperationFailure) {
        try flush()
        let rc = host.pointee.text_finish?(writer) ?? Int32(PZ_ERR_INTERNAL.rawValue)
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
    }
}

extension OperationCall {
    /// Creates a text output named `{input}_{suffix}_{timestamp}.{fileExtension}` (or as the host plans it).
    public func createTextOutput(suffix: String, fileExtension: String) throws(OperationFailure) -> TextOutput {
        let writer = suffix.withCString { s in
            fileExtension.withCString { e in host.pointee.create_text_output?(context, s, e) }
        }
        guard let w = writer else { throw OperationFailure(PZ_ERR_INTERNAL, "") }
        return TextOutput(writer: w, host: host)
    }
}
