import Foundation
import TableIO

/// libFuzzer entry. An input starting with `PK` is a whole .xlsx file (zip layer first); anything else is used as
/// the worksheet XML of an otherwise valid workbook, so mutations reach the XML parsers instead of failing the CRC.
/// Any outcome but a crash, hang or leak is fine: the reader must read the table or throw `TableIOError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path: String
    if size >= 2 && data[0] == 0x50 && data[1] == 0x4B {
        path = FuzzFiles.write(data, size, name: "in.xlsx")
    } else {
        path = FuzzFiles.directory + "/sheet.xlsx"
        do {
            let zip = try ZipWriter(path: path, level: 0)
            try zip.addEntry("_rels/.rels", Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8))
            try zip.addEntry("xl/workbook.xml", Array(#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8))
            try zip.addEntry("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.utf8))
            try zip.addEntry("xl/sharedStrings.xml", Array("<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>".utf8))
            try zip.beginEntry("xl/worksheets/sheet1.xml")
            try zip.write(UnsafeRawBufferPointer(start: data, count: size))
            try zip.endEntry()
            try zip.finish()
        } catch {
            fatalError("could not build the fuzz workbook: \(error)")
        }
    }
    do {
        // Batches of 5 rows, so gaps between rows and held rows cross batch boundaries within a small input.
        let reader = try XLSXReader(path: path, limits: ZipLimits(maxTotalInflatedBytes: 64 << 20, maxCompressionRatio: 1000, maxEntries: 100),
                                    batchRows: 5)
        while try reader.nextBatch(maxRows: 0).rowCount > 0 {}
    } catch is TableIOError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}

enum FuzzFiles {
    nonisolated(unsafe) static var directory: String = {
        let d = NSTemporaryDirectory() + "pycelize-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static func write(_ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
        return path
    }
}
