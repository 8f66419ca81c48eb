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
    /// Scratch for transcoding one Windows-1252 field before it is copied into the arena (UTF-8 fields are copied
    /// from the read buffer straight into the arena).
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    /// Opens `path`, decides the encoding, and reads the header row.
    /// - Parameters:
    ///   - batchRows: default rows per batch.
    ///   - maxFieldBytes: a single field larger than this is refused (protects memory from hostile files).
    public convenience init(path: String, batchRows: Int = 8192, maxFieldBytes: Int = 64 << 20) throws {
        try self.init(path: path, batchRows: batchRows, maxFieldBytes: maxFieldBytes, bufferBytes: 1 << 20)
    }

    /// `bufferBytes` is the read buffer's starting size (tests and the fuzzer make it tiny to put every field on a
    /// boundary).
    @_spi(Testing)
    public init(path: String, batchRows: Int, maxFieldBytes: Int, bufferBytes: Int) throws {
        file = try FileDescriptor(readingFrom: path)
        // Sniff before allocating: a throw while some stored property is still unset skips deinit, so anything
        // allocated before it would leak (the CSV fuzzer found exactly that: 1 MiB per refused binary file).
        (encoding, dataOffset) = try CSVReader.sniff(file)
        dataBytes = try file.size() - Int64(dataOffset)
        defaultBatchRows = batchRows
        self.maxFieldBytes = maxFieldBytes
        capacity = max(1, bufferBytes)
        buffer = .allocate(capacity: capacity)
        scratchCapacity = encoding == .cp1252 ? 1 << 16 : 16
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

    /// Parses one record starting at `start`: its first `width` (≥ 1) fields go to `row` (text in `arena`) and
    /// `fields` is set to its field count, which may exceed `width` (the caller decides whether that is an error;
    /// fields past `width` overwrite the last cell). Consumes nothing on `.needMore`: the record is parsed again from
    /// its start once more bytes are in.
    private func parseRecord(arena: TextArena, row: UnsafeMutablePointer<Cell>, width: Int,
                             fields: inout Int) throws -> RecordResult {
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
        var count = 0
        while true {
            // One field starting at i, written in place; afterwards i is at its delimiter, or at the end of the file.
            let cell = row + min(count, width - 1)
            let complete = encoding == .utf8
                ? try parseFieldUTF8(at: &i, into: cell, newlines: &newlinesInside, arena: arena)
                : try parseFieldTranscoding(at: &i, into: cell, newlines: &newlinesInside, arena: arena)
            if !complete { return .needMore }
            count += 1
            if i >= end { break }
            let b = buffer[i]
            if b == 0x2C {
                i += 1
                if i >= end {
                    if !eof { return .needMore }
                    // A trailing comma at the end of the file: one more, empty field.
                    row[min(count, width - 1)] = .null
                    count += 1
                    break
                }
                continue
            }
            // End of record.
            if b == 0x0D {
                if i + 1 >= end && !eof { return .needMore }
                i += (i + 1 < end && buffer[i + 1] == 0x0A) ? 2 : 1
            } else { i += 1 }
            break
        }
        fields = count
        start = i
        line += 1 + newlinesInside
        return .record
    }

    /// One field of a UTF-8 file, copied once from the read buffer into the arena: an unquoted field is found with
    /// a word-at-a-time scan, a quoted one with `memchr` for quotes (its `""` pairs are unescaped while copying).
    /// Returns false when the field may go on past the bytes read so far.
    @inline(__always)
    private func parseFieldUTF8(at i: inout Int, into cell: UnsafeMutablePointer<Cell>, newlines: inout Int,
                                arena: TextArena) throws -> Bool {
        let p = buffer
        let from = i
        guard p[from] == 0x22 else {
            let to = WordScan.csvFieldEnd(p, from: from, end: end)
            let count = to - from
            if to >= end && !eof {
                try checkFieldSize(count) // refused before the buffer grows any further
                return false
            }
            if count > 0 {
                try checkFieldSize(count)
                let out = arena.allocate(count)
                WordScan.copy(p + from, to: out, count: count)
                cell.pointee = .text(UnsafePointer(out), count)
            } else {
                cell.pointee = .null
            }
            i = to
            return true
        }
        // Quoted: the closing quote is the first one not followed by another (`""` is one literal quote).
        var j = from + 1
        var pairs = 0
        var close = -1
        while let found = memchr(p + j, 0x22, end - j) {
            let q = found.assumingMemoryBound(to: UInt8.self) - p
            if q + 1 >= end {
                if !eof { return false }
                close = q
                break
            }
            if p[q + 1] == 0x22 {
                pairs += 1
                j = q + 2
                continue
            }
            close = q
            break
        }
        guard close >= 0 else {
            if !eof {
                try checkFieldSize(end - from - 2 - pairs)
                return false
            }
            throw TableIOError.badInput("Unbalanced quotes: a quoted field opened at line \(line) is never closed")
        }
        // Text after the closing quote is kept literally, up to the delimiter.
        let tailFrom = close + 1
        let tailTo = WordScan.csvFieldEnd(p, from: tailFrom, end: end)
        if tailTo >= end && !eof { return false }
        let quotedBytes = close - from - 1
        let quotedCount = quotedBytes - pairs
        let count = quotedCount + (tailTo - tailFrom)
        if count == 0 {
            cell.pointee = .text(nil, 0)
        } else {
            try checkFieldSize(count)
            let out = arena.allocate(count)
            CSVReader.copyUnescaping(p + from + 1, quotedBytes, pairs: pairs, to: out)
            (out + quotedCount).update(from: p + tailFrom, count: tailTo - tailFrom)
            cell.pointee = .text(UnsafePointer(out), count)
        }
        newlines += CSVReader.countLineFeeds(p + from + 1, quotedBytes)
        i = tailTo
        return true
    }

    /// Copies the inside of a quoted field, turning each `""` into `"` (`pairs` of them, all known to be pairs).
    private static func copyUnescaping(_ src: UnsafeMutablePointer<UInt8>, _ n: Int, pairs: Int,
                                       to out: UnsafeMutablePointer<UInt8>) {
        guard pairs > 0 else {
            out.update(from: src, count: n)
            return
        }
        var s = 0
        var d = 0
        while s < n {
            let q = memchr(src + s, 0x22, n - s).map { $0.assumingMemoryBound(to: UInt8.self) - src } ?? n
            (out + d).update(from: src + s, count: q - s)
            d += q - s
            if q < n {
                out[d] = 0x22
                d += 1
            }
            s = q + 2
        }
    }

    private static func countLineFeeds(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int {
        var count = 0
        var s = 0
        while let found = memchr(p + s, 0x0A, n - s) {
            count += 1
            s = found.assumingMemoryBound(to: UInt8.self) - p + 1
        }
        return count
    }

    /// One field of a Windows-1252 file, byte by byte through the scratch buffer (each byte ≥ 0x80 becomes 2–3
    /// UTF-8 bytes). Returns false when the field may go on past the bytes read so far.
    private func parseFieldTranscoding(at index: inout Int, into cell: UnsafeMutablePointer<Cell>, newlines: inout Int,
                                       arena: TextArena) throws -> Bool {
        var i = index
        var fieldLen = 0
        var quoted = false
        var newlinesInside = 0
        if buffer[i] == 0x22 {
            quoted = true
            i += 1
            var closed = false
            while i < end {
                let b = buffer[i]
                if b == 0x22 {
                    if i + 1 >= end {
                        if !eof { return false }
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
                if !eof { return false }
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
        if i >= end && !eof { return false }
        if fieldLen > 0 {
            try checkFieldSize(fieldLen)
            cell.pointee = arena.textCell(UnsafeBufferPointer(start: scratch, count: fieldLen))
        } else {
            cell.pointee = quoted ? .text(nil, 0) : .null
        }
        newlines += newlinesInside
        index = i
        return true
    }

    @inline(__always)
    private func appendScratch(_ b: UInt8, _ len: inout Int) throws {
        if len + 4 > scratchCapacity {
            try checkFieldSize(len)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
            bigger.update(from: scratch, count: len)
            scratch.deallocate()
            scratch = bigger
            scratchCapacity *= 2
        }
        len += CSVEncoding.appendCP1252(b, to: scratch + len)
    }

    /// A field's text (in UTF-8) may be at most `maxFieldBytes` long.
    @inline(__always)
    private func checkFieldSize(_ count: Int) throws {
        if count > maxFieldBytes {
            throw TableIOError.limitExceeded("A CSV field at line \(line) is larger than the \(maxFieldBytes >> 20) MiB limit")
        }
    }

    private func readHeader() throws {
        let headerArena = TextArena(chunkSize: 4096)
        var cellCapacity = 64
        var cells = UnsafeMutablePointer<Cell>.allocate(capacity: cellCapacity)
        defer { cells.deallocate() }
        while true {
            let mark = start
            let savedLine = line
            var fields = 0
            switch try parseRecord(arena: headerArena, row: cells, width: cellCapacity, fields: &fields) {
            case .needMore:
                _ = try fill()
            case .blank: continue
            case .endOfFile:
                columnNames = []
                batch.setColumnCount(0)
                return
            case .record:
                if fields > cellCapacity {
                    // A very wide header: parse it again with room for every name.
                    start = mark
                    line = savedLine
                    cells.deallocate()
                    cellCapacity = fields
                    cells = .allocate(capacity: cellCapacity)
                    continue
                }
                let raw = (0..<fields).map { String(decoding: cells[$0].textBytes, as: UTF8.self) }
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
            let savedLine = line
            // The record's cells go straight into the batch; a row that turns out not to be one is dropped again.
            let row = batch.appendUnsetRow()
            var fields = 0
            let result: RecordResult
            do {
                result = try parseRecord(arena: batch.arena, row: row, width: width, fields: &fields)
            } catch {
                batch.removeLastRow()
                throw error
            }
            switch result {
            case .record:
                if fields > width {
                    batch.removeLastRow()
                    throw TableIOError.badInput("Error tokenizing data: expected \(width) fields in line \(savedLine), saw \(fields)")
                }
                if fields < width { (row + fields).initialize(repeating: .null, count: width - fields) }
            case .blank:
                batch.removeLastRow()
            case .needMore:
                batch.removeLastRow()
                if try !fill() && start >= end { return finish() }
            case .endOfFile:
                batch.removeLastRow()
                return finish()
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
