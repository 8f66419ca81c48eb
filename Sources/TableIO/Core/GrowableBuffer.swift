/// Doubles the capacity of a heap byte buffer, keeping its first `used` bytes (the readers' sliding buffers grow
/// this way when one record or token does not fit). `slack` extra bytes are allocated past the capacity.
@inline(__always)
func doubleCapacity(of buffer: inout UnsafeMutablePointer<UInt8>, capacity: inout Int, used: Int, slack: Int = 0) {
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + slack)
    bigger.update(from: buffer, count: used)
    buffer.deallocate()
    buffer = bigger
    capacity *= 2
}
