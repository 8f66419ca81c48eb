/// Errors raised by the readers and writers. Each says whose fault it is, so the server can map it to an HTTP status.
public enum TableIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read as the format it claims (corrupt, truncated, hostile, wrong encoding). HTTP 400.
    case badInput(String)
    /// A requested sheet does not exist. HTTP 404 at the one-shot endpoints (the original says 400; see docs).
    case sheetNotFound(String)
    /// A configured limit was exceeded (inflated size, ratio, cell size). HTTP 400: the file is refused.
    case limitExceeded(String)
    /// The caller used the API wrongly (wrong column count, writer already finished). A server bug: HTTP 500.
    case usage(String)
    /// The operating system failed (disk full, permission). HTTP 500.
    case io(String)

    public var description: String {
        switch self {
        case .badInput(let m), .limitExceeded(let m), .usage(let m), .io(let m): return m
        case .sheetNotFound(let name): return "Worksheet named '\(name)' not found"
        }
    }
}
