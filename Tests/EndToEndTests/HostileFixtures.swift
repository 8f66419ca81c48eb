import Foundation
import TableIO

/// Builds hostile and unusual files for the hardening tests, in memory or on disk.
enum HostileFixtures {
    static let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    /// A minimal workbook with one sheet "Sheet1"; `workbookPrefix` goes before `<workbook` (e.g. a DOCTYPE).
    static func workbook(at path: String, sheet: [UInt8], sharedStrings: String? = nil, workbookPrefix: String = "",
                         level: Int = 6) throws {
        let zip = try ZipWriter(path: path, level: level)
        try zip.addEntry("[Content_Types].xml", Array("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8))
        try zip.addEntry("_rels/.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8))
        try zip.addEntry("xl/workbook.xml", Array("\(workbookPrefix)<workbook \(ns)><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8))
        var rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        if sharedStrings != nil {
            rels += "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        }
        try zip.addEntry("xl/_rels/workbook.xml.rels", Array((rels + "</Relationships>").utf8))
        if let ss = sharedStrings { try zip.addEntry("xl/sharedStrings.xml", Array("<sst \(ns)>\(ss)</sst>".utf8)) }
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        try sheet.withUnsafeBytes { try zip.write($0) }
        try zip.endEntry()
        try zip.finish()
    }

    static func sheet(_ body: String) -> [UInt8] { Array("<worksheet \(ns)>\(body)</worksheet>".utf8) }

    /// A stored (uncompressed) zip written by hand, so that its structure can be made hostile.
    /// - Parameter overlapping: adds a second central-directory entry pointing at the first entry's data.
    static func rawZip(_ entries: [(String, [UInt8])], overlapping: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16((v >> 16) & 0xFFFF) }
        var central: [(String, Int, Int, UInt32)] = []
        for (name, data) in entries {
            let offset = out.count
            let crc = data.withUnsafeBufferPointer { UInt32(crc32Of($0)) }
            u32(0x0403_4B50); u16(20); u16(0); u16(0); u16(0); u16(0x21)
            u32(Int(crc)); u32(data.count); u32(data.count); u16(name.utf8.count); u16(0)
            out += Array(name.utf8)
            out += data
            central.append((name, offset, data.count, crc))
        }
        if overlapping, let first = central.first { central.append(("xl/copy.xml", first.1, first.2, first.3)) }
        let cdStart = out.count
        for (name, offset, size, crc) in central {
            u32(0x0201_4B50); u16(20); u16(20); u16(0); u16(0); u16(0); u16(0x21)
            u32(Int(crc)); u32(size); u32(size); u16(name.utf8.count); u16(0); u16(0); u16(0); u16(0); u32(0)
            u32(offset)
            out += Array(name.utf8)
        }
        let cdSize = out.count - cdStart
        u32(0x0605_4B50); u16(0); u16(0); u16(central.count); u16(central.count); u32(cdSize); u32(cdStart); u16(0)
        return out
    }

    static func crc32Of(_ b: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in b {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
