import CPycelizeISAL
import CPycelizeZlib
import XCTest
@testable import TableIO

/// The zip codec: ISA-L's CRC-32 and inflate/deflate must be exactly zip's (checked against zlib on random data),
/// and every integrity check (CRC, truncation, corrupt data, bomb limits) must still fire on the igzip path.
final class ZipCodecTests: XCTestCase {
    /// Random bytes mixed with repetitive text, so deflate finds matches and literals alike.
    private static func sample(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = seed
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if rng >> 60 < 6 {
                out.append(contentsOf: "<row r=\"\(rng % 1000)\"><c t=\"inlineStr\"><is><t>x</t></is></c></row>".utf8)
            } else {
                for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: rng >> (k * 8))) }
            }
        }
        return Array(out.prefix(count))
    }

    private static func zlibCRC(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// Raw deflate by zlib (the reference implementation), for archives the reader must accept.
    private static func zlibDeflate(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                     Int32(MemoryLayout<z_stream>.size)), Z_OK)
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o -> Int in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                XCTAssertEqual(deflate(&stream, Z_FINISH), Z_STREAM_END)
                return o.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(out.prefix(produced))
    }

    /// Raw inflate by zlib, to check that what our writer produced is standard deflate.
    private static func zlibInflate(_ bytes: [UInt8], size: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: size + 1)
        var input = bytes
        let rc = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o -> Int32 in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard rc == Z_STREAM_END, Int(stream.total_out) == size else { return nil }
        return Array(out.prefix(size))
    }

    /// A one-entry zip (method 8 with `compressed`, or stored when nil) whose headers state `crc` and sizes.
    private static func zip(name: String = "a.bin", data: [UInt8], compressed: [UInt8]?, crc: UInt32) -> [UInt8] {
        var z: [UInt8] = []
        func u16(_ v: Int) { z.append(UInt8(v & 0xFF)); z.append(UInt8((v >> 8) & 0xFF)) }
        func u32(_ v: UInt32) { u16(Int(v & 0xFFFF)); u16(Int(v >> 16)) }
        let payload = compressed ?? data
        let method = compressed == nil ? 0 : 8
        u32(0x0403_4B50); u16(20); u16(0); u16(method); u16(0); u16(0x21)
        u32(crc); u32(UInt32(payload.count)); u32(UInt32(data.count)); u16(name.utf8.count); u16(0)
        z.append(contentsOf: name.utf8)
        z.append(contentsOf: payload)
        let cd = z.count
        u32(0x0201_4B50); u16(20); u16(20); u16(0); u16(method); u16(0); u16(0x21)
        u32(crc); u32(UInt32(payload.count)); u32(UInt32(data.count)); u16(name.utf8.count)
        u16(0); u16(0); u16(0); u16(0); u32(0); u32(0)
        z.append(contentsOf: name.utf8)
        let cdSize = z.count - cd
        u32(0x0605_4B50); u16(0); u16(0); u16(1); u16(1); u32(UInt32(cdSize)); u32(UInt32(cd)); u16(0)
        return z
    }

    /// Reads the only entry of the zip at `path` through `ZipEntryStream` in 64 KiB steps.
    private static func readEntry(_ path: String, limits: ZipLimits = ZipLimits()) throws -> [UInt8] {
        let archive = try ZipArchive(path: path, limits: limits)
        guard let entry = archive.entries.first else { return [] }
        return try archive.readAll(entry, maxBytes: 1 << 30)
    }

    private func assertBadInput(_ body: () throws -> Any, _ fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard case TableIOError.badInput(let m) = error else { return XCTFail("\(error)", line: line) }
            XCTAssertTrue(m.contains(fragment), "\(m)", line: line)
        }
    }

    func testISALCRCMatchesZlibOnRandomData() {
        for (i, size) in [0, 1, 3, 15, 16, 17, 63, 64, 255, 4096, 100_003, 1 << 20].enumerated() {
            let data = ZipCodecTests.sample(size, seed: UInt64(i + 1))
            let whole = data.withUnsafeBufferPointer { crc32_gzip_refl(0, $0.baseAddress, UInt64($0.count)) }
            XCTAssertEqual(whole, ZipCodecTests.zlibCRC(data), "size \(size)")
            // Incremental, as the writer feeds it chunk by chunk.
            var running: UInt32 = 0
            var offset = 0
            while offset < data.count {
                let n = min(data.count - offset, 1 + offset % 7919)
                running = data.withUnsafeBufferPointer { crc32_gzip_refl(running, $0.baseAddress! + offset, UInt64(n)) }
                offset += n
            }
            XCTAssertEqual(running, whole, "incremental, size \(size)")
        }
    }

    func testInflatesZlibDeflateAndChecksCRC() throws {
        let dir = try TempDir()
        for (i, size) in [0, 1, 1000, 3 << 20].enumerated() {
            let data = ZipCodecTests.sample(size, seed: UInt64(100 + i))
            let crc = ZipCodecTests.zlibCRC(data)
            let good = try dir.write("good\(i).zip", bytes: ZipCodecTests.zip(data: data, compressed: ZipCodecTests.zlibDeflate(data), crc: crc))
            XCTAssertEqual(try ZipCodecTests.readEntry(good), data)
            let stored = try dir.write("stored\(i).zip", bytes: ZipCodecTests.zip(data: data, compressed: nil, crc: crc))
            XCTAssertEqual(try ZipCodecTests.readEntry(stored), data)
            guard size > 0 else { continue }
            let bad = try dir.write("bad\(i).zip", bytes: ZipCodecTests.zip(data: data, compressed: ZipCodecTests.zlibDeflate(data), crc: crc ^ 1))
            assertBadInput({ try ZipCodecTests.readEntry(bad) }, "CRC mismatch")
            let badStored = try dir.write("badstored\(i).zip", bytes: ZipCodecTests.zip(data: data, compressed: nil, crc: crc ^ 0x8000_0000))
            assertBadInput({ try ZipCodecTests.readEntry(badStored) }, "CRC mismatch")
        }
    }

    func testTruncatedAndCorruptDeflateStreamsAreRefused() throws {
        let dir = try TempDir()
        let data = ZipCodecTests.sample(2 << 20, seed: 7)
        let deflated = ZipCodecTests.zlibDeflate(data)
        let crc = ZipCodecTests.zlibCRC(data)
        // The stream cut short (the headers agree with the cut, so only the deflate stream itself tells).
        for cut in [1, 2, deflated.count / 2, deflated.count - 1] {
            let path = try dir.write("cut\(cut).zip", bytes: ZipCodecTests.zip(data: data, compressed: Array(deflated.prefix(cut)), crc: crc))
            assertBadInput({ try ZipCodecTests.readEntry(path) }, "XLSX")
        }
        let short = try dir.write("short.zip", bytes: ZipCodecTests.zip(data: data, compressed: Array(deflated.prefix(deflated.count / 2)), crc: crc))
        assertBadInput({ try ZipCodecTests.readEntry(short) }, "ends before its data is complete")
        // Garbage: an invalid block type (0b11) straight away, and random bytes.
        let invalid = try dir.write("invalid.zip", bytes: ZipCodecTests.zip(data: data, compressed: [0x07] + deflated.dropFirst(), crc: crc))
        assertBadInput({ try ZipCodecTests.readEntry(invalid) }, "corrupt compressed data")
        var flipped = deflated
        for k in stride(from: 100, to: flipped.count, by: 997) { flipped[k] ^= 0x5A }
        let garbled = try dir.write("garbled.zip", bytes: ZipCodecTests.zip(data: data, compressed: flipped, crc: crc))
        assertBadInput({ try ZipCodecTests.readEntry(garbled) }, "XLSX")
    }

    func testBombLimitsHoldOnTheIgzipPath() throws {
        let dir = try TempDir()
        let zeros = [UInt8](repeating: 0x41, count: 64 << 20) // deflates ~1000:1 or better
        let deflated = ZipCodecTests.zlibDeflate(zeros, level: 9)
        let path = try dir.write("bomb.zip", bytes: ZipCodecTests.zip(data: zeros, compressed: deflated, crc: ZipCodecTests.zlibCRC(zeros)))
        XCTAssertThrowsError(try ZipCodecTests.readEntry(path)) { error in
            guard case TableIOError.limitExceeded(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("compression ratio above 1000:1"), m)
        }
        XCTAssertThrowsError(try ZipCodecTests.readEntry(path, limits: ZipLimits(maxTotalInflatedBytes: 8 << 20, maxCompressionRatio: 1 << 40))) { error in
            guard case TableIOError.limitExceeded(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("inflates to more than 8 MiB"), m)
        }
        XCTAssertEqual(try ZipCodecTests.readEntry(path, limits: ZipLimits(maxCompressionRatio: 1 << 40)).count, zeros.count)
    }

    /// Every configured level (igzip at 1–3, zlib at 0 and 4–9), pipelined or not, writes standard deflate with
    /// the right CRC: zlib inflates it and our reader reads it back.
    func testWriterOutputIsStandardDeflateAtEveryLevel() throws {
        let dir = try TempDir()
        let data = ZipCodecTests.sample(1 << 20 + 17, seed: 42)
        for level in 0...9 {
            for pipelined in [false, true] {
                let path = dir.path("w\(level)\(pipelined).zip")
                let zip = try ZipWriter(path: path, level: level, pipelined: pipelined)
                try zip.beginEntry("data.bin")
                var offset = 0
                while offset < data.count {
                    let n = min(data.count - offset, 1 + (offset * 31 + level) % 300_000)
                    try data[offset..<(offset + n)].withUnsafeBytes { try zip.write($0) }
                    offset += n
                }
                try zip.endEntry()
                try zip.addEntry("empty.txt", [])
                try zip.finish()
                let archive = try ZipArchive(path: path)
                guard let entry = archive.entry(named: "data.bin"), let empty = archive.entry(named: "empty.txt") else {
                    return XCTFail("entries missing at level \(level)")
                }
                XCTAssertEqual(entry.crc32, ZipCodecTests.zlibCRC(data), "level \(level)")
                XCTAssertEqual(try archive.readAll(entry, maxBytes: 1 << 30), data, "level \(level)")
                XCTAssertEqual(try archive.readAll(empty, maxBytes: 1), [], "level \(level)")
                let raw = try FileDescriptor(readingFrom: path)
                var compressed = [UInt8](repeating: 0, count: Int(entry.compressedSize))
                _ = try compressed.withUnsafeMutableBytes {
                    try raw.pread(into: $0.baseAddress!, count: $0.count, offset: entry.localHeaderOffset + 30 + 8)
                }
                XCTAssertEqual(ZipCodecTests.zlibInflate(compressed, size: data.count), data, "zlib reads level \(level)")
            }
        }
    }
}
