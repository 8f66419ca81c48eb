/// Streaming RFC 4180 reader over bytes.
///
/// Rules (documented in docs/engine.md):
/// - Delimiter `,`, quote `"`, escaped quote `""`; records end at LF, CRLF or a lone CR; blank lines are skipped.
/// - UTF-8 (a BOM is dropped); a file that is not valid UTF-8 is read as Windows-1252. UTF-16/32 byte-order marks,
///   NUL bytes and zip signatures are refused as "not a CSV text file".
/// - A quoted field still open at the end of the file is an error (`badInput`), never silently merged.
/// - A quote inside an unquoted field, or text after a closing quote, is kept literally (as pandas does).
/// - Every value is text (CSV has no types); an empty field is a null cell.
/// - A record with more fields than the header is an error; a shorter one is padded with nulls.
public final class CSVReader: TableReader {
    public private(set) var columnNames: [String] = []
    public private(set) var rowsRead: Int64 = 0
    /// An estimate from the bytes parsed so far (CSV has no row count up front): rows read × file size / bytes
    /// consumed, -1 before the first batch, exact at the end. Good enough for progress, never for allocation.
    public var totalRowsHint: Int64 {
        let consumed = bytesFilled - Int64(end - start)
        guard rowsRead > 0, consumed > 0 else { return -1 }
        if eof && start >= end { return rowsRead }
        // Every row takes at least one byte, so the estimate is at most the file size: no overflow.
        return max(rowsRead, Int64(min(Double(rowsRead) * Double(dataBytes) / Double(consumed), Double(dataBytes))))
    }
    public let encoding: CSVEncoding

    private let file: FileDescriptor
    private let batch: RowBatch
    private let defaultBatchRows: Int
    private let maxFieldBytes: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    private var line = 1
    private var dataOffset = 0
    /// Bytes after the BOM (for the row-count estimate) and bytes read from there so far.
    private let dataBytes: Int64
    private var bytesFilled: Int64 = 0
    private var fieldCells: [Cell] = []
    /// Scratch for unescaping/transcoding one field before it is copied into the arena.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    /// Opens `path`, decides the encoding, and reads the header row.
    /// - Parameters:
    ///   - batchRows: default rows per batch.
    ///   - maxFieldBytes: a single field larger than this is refused (protects memory from hostile files).
    public init(path: String, batchRows: Int = 8192, maxFieldBytes: Int = 64 << 20) throws {
        file = try FileDescriptor(readingFrom: path)
        // Sniff before allocating: a throw while some stored property is still unset skips deinit, so anything
        // allocated before it would leak (the CSV fuzzer found exactly that: 1 MiB per refused binary file).
        (encoding, dataOffset) = try CSVReader.sniff(file)
        dataBytes = try file.size() - Int64(dataOffset)
        defaultBatchRows = batchRows
        self.maxFieldBytes = maxFieldBytes
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
        scratchCapacity = 1 << 16
        scratch = .allocate(capacity: scratchCapacity)
        batch = RowBatch(columnCount: 1, capacityRows: batchRows)
        // From here on every stored property is set, so a throw runs deinit, which frees the buffers (freeing
        // them here as well was the double free the fuzzer found first).
        try file.seek(to: Int64(dataOffset))
        try readHeader()
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
    }

    // MARK: - Encoding

    /// One pass over the file: refuses binary content, strips a UTF-8 BOM, and picks UTF-8 or Windows-1252.
    static func sniff(_ file: FileDescriptor) throws -> (CSVEncoding, Int) {
        let chunk = 1 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 8)
        defer { buf.deallocate() }
        var validator = UTF8Validator()
        var offset = 0
        var first = true
        var bom = 0
        while true {
            let n = try file.read(into: buf, count: chunk)
            if n == 0 { break }
            let p = buf.assumingMemoryBound(to: UInt8.self)
            if first {
                first = false
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
                if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { bom = 3 }
            }
            if memchr(buf, 0, n) != nil {
                throw TableIOError.badInput("The file contains NUL bytes: it is binary, not a CSV text file")
            }
            validator.feed(p, n)
            offset += n
        }
        return (validator.complete ? .utf8 : .cp1252, validator.complete ? bom : 0)
    }

    // MARK: - Buffering

    /// Moves unread bytes to the front and reads more. Returns false at the end of the file.
    private func fill() throws -> Bool {
        if eof { return false }
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { buffer.update(from: buffer + start, count: remaining) }
            end = remaining
            start = 0
        }
        if end == capacity {
            guard capacity < maxFieldBytes * 2 + (1 << 20) else {
                throw TableIOError.limitExceeded("CSV record at line \(line) is larger than the \(maxFieldBytes >> 20) MiB field limit")
            }
            doubleCapacity(of: &buffer, capacity: &capacity, used: end)
        }
        let n = try file.read(into: buffer + end, count: capacity - end)
        if n == 0 { eof = true; return false }
        end += n
        bytesFilled += Int64(n)
        return true
    }

    // MARK: - Records

    private enum RecordResult { case record, blank, needMore, endOfFile }

    /// Parses one record starting at `start` into `fieldCells` (text in `arena`). Does not consume on `.needMore`.
    private func parseRecord(arena: TextArena) throws -> RecordResult {
        fieldCells.removeAll(keepingCapacity: true)
        var i = start
        if i >= end { return eof ? .endOfFile : .needMore }
        // Blank line?
        if buffer[i] == 0x0A || buffer[i] == 0x0D {
            if buffer[i] == 0x0D {
                if i + 1 >= end && !eof { return .needMore }
                i += (i + 1 < end && buffer[i + 1] == 0x0A) ? 2 : 1
            } else { i += 1 }
            start = i
            line += 1
            return .blank
        }
        var newlinesInside = 0
        while true {
            // One field starting at i.
            var quoted = false
            var fieldLen = 0
            if buffer[i] == 0x22 {
                quoted = true
                i += 1
                var closed = false
                while i < end {
                    let b = buffer[i]
                    if b == 0x22 {
                        if i + 1 >= end {
                            if !eof { return .needMore }
                            i += 1; closed = true; break
                        }
                        if buffer[i + 1] == 0x22 { try appendScratch(0x22, &fieldLen); i += 2; continue }
                        i += 1; closed = true; break
                    }
                    if b == 0x0A { newlinesInside += 1 }
                    try appendScratch(b, &fieldLen)
                    i += 1
                }
                if !closed {
                    if !eof { return .needMore }
                    throw TableIOError.badInput("Unbalanced quotes: a quoted field opened at line \(line) is never closed")
                }
            }
            // Unquoted part (or text after a closing quote, kept literally).
            while i < end {
                let b = buffer[i]
                if b == 0x2C || b == 0x0A || b == 0x0D { break }
                try appendScratch(b, &fieldLen)
                i += 1
            }
            if i >= end && !eof { return .needMore }
            fieldCells.append(fieldLen == 0 && !quoted ? .null : makeText(fieldLen, arena: arena))
            if fieldLen == 0 && quoted { fieldCells[fieldCells.count - 1] = .text(nil, 0) }
            if i >= end { start = i; line += 1 + newlinesInside; return .record }
            let b = buffer[i]
            if b == 0x2C {
                i += 1
                if i >= end {
                    if !eof { return .needMore }
                    fieldCells.append(.null)
                    start = i; line += 1 + newlinesInside
                    return .record
                }
                continue
            }
            // End of record.
            if b == 0x0D {
                if i + 1 >= end && !eof { return .needMore }
                i += (i + 1 < end && buffer[i + 1] == 0x0A) ? 2 : 1
            } else { i += 1 }
            start = i
            line += 1 + newlinesInside
            return .record
        }
    }

    @inline(__always)
    private func appendScratch(_ b: UInt8, _ len: inout Int) throws {
        if len + 4 > scratchCapacity {
            guard scratchCapacity < maxFieldBytes * 3 else {
                throw TableIOError.limitExceeded("A CSV field at line \(line) is larger than the \(maxFieldBytes >> 20) MiB limit")
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
            bigger.update(from: scratch, count: len)
            scratch.deallocate()
            scratch = bigger
            scratchCapacity *= 2
        }
        if encoding == .cp1252 && b >= 0x80 {
            len += CSVEncoding.appendCP1252(b, to: scratch + len)
        } else {
            scratch[len] = b
            len += 1
        }
    }

    private func makeText(_ len: Int, arena: TextArena) -> Cell {
        arena.textCell(UnsafeBufferPointer(start: scratch, count: len))
    }

    private func readHeader() throws {
        let headerArena = TextArena(chunkSize: 4096)
        while true {
            switch try parseRecord(arena: headerArena) {
            case .needMore:
                if try !fill() { continue }
            case .blank: continue
            case .endOfFile:
                columnNames = []
                batch.setColumnCount(0)
                return
            case .record:
                let raw = fieldCells.map { String(decoding: $0.textBytes, as: UTF8.self) }
                columnNames = HeaderNormalizer.normalize(raw)
                batch.setColumnCount(columnNames.count)
                return
            }
        }
    }

    // MARK: - TableReader

    public func nextBatch(maxRows: Int) throws -> RowBatch {
        batch.clear()
        batch.firstRowIndex = UInt64(rowsRead)
        let limit = maxRows > 0 ? maxRows : defaultBatchRows
        let width = columnNames.count
        guard width > 0 else { return batch }
        while batch.rowCount < limit && !batch.isFull {
            let mark = start
            let savedLine = line
            let result = try parseRecord(arena: batch.arena)
            switch result {
            case .needMore:
                start = mark
                line = savedLine
                if try !fill() && start >= end { return finish() }
            case .blank: continue
            case .endOfFile: return finish()
            case .record:
                if fieldCells.count > width {
                    throw TableIOError.badInput("Error tokenizing data: expected \(width) fields in line \(savedLine), saw \(fieldCells.count)")
                }
                let row = batch.appendNullRow()
                for (c, cell) in fieldCells.enumerated() { row[c] = cell }
            }
        }
        return finish()
    }

    private func finish() -> RowBatch {
        rowsRead += Int64(batch.rowCount)
        return batch
    }

    public func rewind() throws {
        try file.seek(to: Int64(dataOffset))
        start = 0; end = 0; eof = false; line = 1; rowsRead = 0; bytesFilled = 0
        batch.clear()
        let names = columnNames
        try readHeader()
        columnNames = names
    }
}

#if canImport(Glibc)
import PycelizeCore
import Glibc
#endif
