#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits a client cannot exceed in one multipart body (see docs/multipart.md).
public struct MultipartLimits: Sendable {
    /// Longest part header line, CRLF excluded.
    public var maxHeaderLineBytes = 8 << 10
    /// Most header lines in one part.
    public var maxHeadersPerPart = 32
    /// Most parts in one body.
    public var maxParts = 1000

    public init() {}
}

/// What the parser found, in order: `partBegin`, any number of `body`, `partEnd`; repeated per part.
public enum MultipartEvent {
    /// A part starts; its headers are complete and checked.
    case partBegin(MultipartPartHeaders)
    /// Bytes of the current part's content. The buffer is only valid during the callback.
    case body(UnsafeRawBufferPointer)
    /// The current part ended (its closing delimiter was seen).
    case partEnd
}

/// A malformed body (400) or one beyond a limit (413). `message` is ready for the client.
public struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    public let tooLarge: Bool
    public let message: String

    static func malformed(_ why: String) -> MultipartError { .init(tooLarge: false, message: "Malformed multipart body: \(why)") }
    static func limit(_ why: String) -> MultipartError { .init(tooLarge: true, message: why) }

    public var description: String { message }
    /// The HTTP form of this error.
    public var requestError: RequestError { tooLarge ? .tooLarge(message) : .badRequest(message) }
}

/// A streaming `multipart/form-data` parser (RFC 7578 over RFC 2046): a total state machine over bytes.
/// Feed it chunks split anywhere, then call `finish()`. Every input ends in events or a `MultipartError`; nothing
/// traps, nothing is buffered beyond one header line and one partial delimiter.
///
/// The delimiter is `CRLF--boundary`; the body is treated as if it began with a CRLF so the first boundary needs
/// none. Content is scanned with `memchr` for CR and compared with `memcmp`, so a part's bytes pass through in the
/// caller's chunks without a per-byte Swift loop.
public struct MultipartParser {
    enum State: Equatable {
        case preamble, body          // scanning for the delimiter (preamble bytes are dropped)
        case afterDelimiter          // `--` (close), transport padding, or CRLF (next part)
        case afterDelimiterDash      // saw one `-`
        case afterDelimiterCR        // saw CR, need LF
        case headers                 // header lines up to an empty line
        case epilogue                // after the close delimiter: ignored
    }

    private let delimiter: [UInt8]
    private let limits: MultipartLimits
    private(set) var state: State = .preamble
    /// A tail of the last chunk that is a proper prefix of the delimiter (it may continue in the next chunk).
    private var carry: [UInt8] = [0x0D, 0x0A]
    private var line: [UInt8] = []
    private var headerLines: [(String, String)] = []
    private var padding = 0
    /// Parts started so far.
    public private(set) var partCount = 0

    /// Fails (400) on a boundary RFC 2046 would not allow: 1–70 characters of printable ASCII, not ending in space
    /// (we accept up to 200, as some clients exceed 70).
    public init(boundary: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        let b = Array(boundary.utf8)
        guard !b.isEmpty, b.count <= 200, b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), b.last != 0x20 else {
            throw .malformed("invalid boundary in Content-Type")
        }
        delimiter = [0x0D, 0x0A, 0x2D, 0x2D] + b
        self.limits = limits
    }

    /// True once the close delimiter was seen.
    public var isComplete: Bool { state == .epilogue }

    /// Parses `chunk`, calling `emit` for each event. An error thrown by `emit` stops parsing and is rethrown.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (MultipartEvent) throws -> Void) throws {
        var rest = chunk
        while !rest.isEmpty {
            switch state {
            case .preamble, .body:
                rest = try scan(rest, emit)
            case .headers:
                rest = try headerBytes(rest, emit)
            case .afterDelimiter, .afterDelimiterDash, .afterDelimiterCR:
                try delimiterTail(rest[rest.startIndex])
                rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst())
            case .epilogue:
                return
            }
        }
    }

    /// Checks that the body ended with the close delimiter.
    public func finish() throws(MultipartError) {
        switch state {
        case .epilogue: return
        case .preamble: throw .malformed("no boundary found (is the boundary in Content-Type right?)")
        default: throw .malformed("the body ended before the closing boundary (truncated upload?)")
        }
    }

    // MARK: Content scanning

    enum Search: Equatable { case found(Int), partial(Int), none }

    /// The first full delimiter in `b`, else the first CR from which the rest of `b` is a delimiter prefix.
    func search(_ b: UnsafeRawBufferPointer) -> Search {
        guard let base = b.baseAddress else { return .none }
        let n = b.count
        return delimiter.withUnsafeBytes { d -> Search in
            guard let dp = d.baseAddress else { return .none }
            var i = 0
            while i < n {
                guard let hit = memchr(base + i, 0x0D, n - i) else { return .none }
                let p = base.distance(to: UnsafeRawPointer(hit))
                let avail = n - p
                if avail >= d.count {
                    if memcmp(base + p, dp, d.count) == 0 { return .found(p) }
                } else if memcmp(base + p, dp, avail) == 0 {
                    return .partial(p)
                }
                i = p + 1
            }
            return .none
        }
    }

    private func content(_ bytes: UnsafeRawBufferPointer, _ emit: (MultipartEvent) throws -> Void) throws {
        if state == .body, !bytes.isEmpty { try emit(.body(bytes)) }
    }

    private mutating func scan(_ rest: UnsafeRawBufferPointer,
                               _ emit: (MultipartEvent) throws -> Void) throws -> UnsafeRawBufferPointer {
        if !carry.isEmpty {
            // Join the carried prefix with just enough of this chunk to decide whether it completes a delimiter.
            let take = min(rest.count, delimiter.count)
            let carried = carry.count
            let joined = carry + rest.prefix(take)
            carry = []
            let outcome = joined.withUnsafeBytes { search($0) }
            if case .found(let p) = outcome {
                try joined.withUnsafeBytes { try content(UnsafeRawBufferPointer(rebasing: $0.prefix(p)), emit) }
                try delimiterFound(emit)
                return UnsafeRawBufferPointer(rebasing: rest.dropFirst(p + delimiter.count - carried))
            }
            if take == rest.count {
                // The whole chunk is in `joined`: keep a possible delimiter start for the next chunk.
                let keep: Int
                if case .partial(let q) = outcome { keep = q } else { keep = joined.count }
                try joined.withUnsafeBytes { try content(UnsafeRawBufferPointer(rebasing: $0.prefix(keep)), emit) }
                carry = Array(joined[keep...])
                return UnsafeRawBufferPointer(rebasing: rest.suffix(0))
            }
            // A delimiter starting inside the carried bytes would have ended inside `joined`: they are content.
            try joined.withUnsafeBytes { try content(UnsafeRawBufferPointer(rebasing: $0.prefix(carried)), emit) }
        }
        switch search(rest) {
        case .found(let p):
            try content(UnsafeRawBufferPointer(rebasing: rest.prefix(p)), emit)
            try delimiterFound(emit)
            return UnsafeRawBufferPointer(rebasing: rest.dropFirst(p + delimiter.count))
        case .partial(let p):
            try content(UnsafeRawBufferPointer(rebasing: rest.prefix(p)), emit)
            carry = Array(rest.dropFirst(p))
        case .none:
            try content(rest, emit)
        }
        return UnsafeRawBufferPointer(rebasing: rest.suffix(0))
    }

    private mutating func delimiterFound(_ emit: (MultipartEvent) throws -> Void) throws {
        if state == .body { try emit(.partEnd) }
        state = .afterDelimiter
        padding = 0
    }

    /// After `--boundary`: `--` closes the body; otherwise optional transport padding (spaces/tabs), then CRLF.
    private mutating func delimiterTail(_ byte: UInt8) throws(MultipartError) {
        switch (state, byte) {
        case (.afterDelimiter, 0x2D) where padding == 0: state = .afterDelimiterDash
        case (.afterDelimiter, 0x20), (.afterDelimiter, 0x09):
            padding += 1
            guard padding <= 64 else { throw .malformed("too much padding after a boundary") }
        case (.afterDelimiter, 0x0D): state = .afterDelimiterCR
        case (.afterDelimiterDash, 0x2D): state = .epilogue
        case (.afterDelimiterCR, 0x0A):
            partCount += 1
            guard partCount <= limits.maxParts else {
                throw .limit("Too many parts in the multipart body (at most \(limits.maxParts))")
            }
            state = .headers
            line = []
            headerLines = []
        default:
            throw .malformed("a boundary is followed by unexpected data (the boundary string appears inside a part?)")
        }
    }

    // MARK: Part headers

    private mutating func headerBytes(_ rest: UnsafeRawBufferPointer,
                                      _ emit: (MultipartEvent) throws -> Void) throws -> UnsafeRawBufferPointer {
        guard let base = rest.baseAddress else { return rest }
        let lf = memchr(base, 0x0A, rest.count).map { base.distance(to: UnsafeRawPointer($0)) }
        let segment = lf ?? rest.count
        guard line.count + segment <= limits.maxHeaderLineBytes + 1 else { // + 1: the CR
            throw MultipartError.malformed("a part header line is longer than \(limits.maxHeaderLineBytes) bytes")
        }
        line.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest.prefix(segment)))
        guard let lf else { return UnsafeRawBufferPointer(rebasing: rest.suffix(0)) }
        guard line.last == 0x0D else { throw MultipartError.malformed("a part header line does not end in CRLF") }
        line.removeLast()
        if line.isEmpty {
            let headers = try MultipartPartHeaders(lines: headerLines)
            state = .body
            headerLines = []
            try emit(.partBegin(headers))
        } else {
            guard headerLines.count < limits.maxHeadersPerPart else {
                throw MultipartError.malformed("a part has more than \(limits.maxHeadersPerPart) headers")
            }
            headerLines.append(try MultipartPartHeaders.parseLine(line))
            line.removeAll(keepingCapacity: true)
        }
        return UnsafeRawBufferPointer(rebasing: rest.dropFirst(lf + 1))
    }
}
