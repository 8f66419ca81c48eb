// TEMPORARY (transform branch only): stand-in for the PluginKit foundation until it lands on main. Deleted at merge.
import PluginABI
import Foundation

public enum CellValue: Sendable, Equatable {
    case null, int(Int64), float(Double), text(String), bool(Bool), dateTime(Double, flags: UInt32)
    public init(_ cell: pz_cell) {
        switch cell.type {
        case UInt32(PZ_CELL_INT.rawValue): self = .int(cell.value.i)
        case UInt32(PZ_CELL_FLOAT.rawValue): self = .float(cell.value.f)
        case UInt32(PZ_CELL_TEXT.rawValue): self = .text(String(decoding: cell.utf8, as: UTF8.self))
        case UInt32(PZ_CELL_BOOL.rawValue): self = .bool(cell.value.b != 0)
        case UInt32(PZ_CELL_DATETIME.rawValue): self = .dateTime(cell.value.f, flags: cell.flags)
        default: self = .null
        }
    }
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let f): return f
        case .text(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
            return Double(t)
        default: return nil
        }
    }
    public var dateTime: (seconds: Double, flags: UInt32)? {
        if case .dateTime(let s, let f) = self { return (s, f) }
        return nil
    }
    public var text: String {
        switch self {
        case .null: return ""
        case .int(let i): return String(i)
        case .float(let f): return f == f.rounded() && abs(f) < 1e15 ? String(Int64(f)) : String(f)
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .dateTime(let s, _): return String(s)
        }
    }
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .text(let s): return s.isEmpty
        default: return false
        }
    }
}

public struct CellKey: Hashable, Sendable {
    let kind: UInt8
    let textValue: String
    let num: Double
    public static func exact(_ cell: pz_cell) -> CellKey {
        let v = CellValue(cell)
        switch v {
        case .int(let i): return CellKey(kind: 1, textValue: "", num: Double(i))
        case .float(let f): return CellKey(kind: 1, textValue: "", num: f)
        case .text(let s): return CellKey(kind: 3, textValue: s, num: 0)
        case .null: return CellKey(kind: 0, textValue: "", num: 0)
        default: return CellKey(kind: 4, textValue: v.text, num: 0)
        }
    }
    public static func matching(_ cell: pz_cell) -> CellKey {
        let v = CellValue(cell)
        if let n = v.number { return CellKey(kind: 1, textValue: "", num: n) }
        return exact(cell)
    }
}

public struct RowBuffer {
    let width: Int
    var values: [CellValue] = []
    public init(columnCount: Int) { width = columnCount }
    public mutating func append(_ cell: pz_cell) { values.append(CellValue(cell)) }
    public mutating func append(_ value: CellValue) { values.append(value) }
    public mutating func appendText(_ s: String) { values.append(.text(s)) }
    public var rowCount: Int { width == 0 ? 0 : values.count / width }
    public mutating func flush(to output: OutputTable) throws(OperationFailure) {
        let rows = rowCount
        guard rows > 0 else { return }
        var texts: [UnsafeMutablePointer<CChar>] = []
        defer { texts.forEach { $0.deallocate() } }
        var cells: [pz_cell] = []
        for v in values.prefix(rows * width) {
            switch v {
            case .null: cells.append(pz_cell())
            case .int(let i): cells.append(.int(i))
            case .float(let f): cells.append(.float(f))
            case .bool(let b): cells.append(pz_cell(type: UInt32(PZ_CELL_BOOL.rawValue), flags: 0, value: .init(b: b ? 1 : 0), text: nil, text_len: 0))
            case .dateTime(let s, let f): cells.append(pz_cell(type: UInt32(PZ_CELL_DATETIME.rawValue), flags: f, value: .init(f: s), text: nil, text_len: 0))
            case .text(let s):
                let p = PluginKitStrings.duplicate(s)
                texts.append(p)
                cells.append(pz_cell(type: UInt32(PZ_CELL_TEXT.rawValue), flags: 0, value: .init(i: 0), text: UnsafePointer(p), text_len: s.utf8.count))
            }
        }
        try cells.withUnsafeBufferPointer { b throws(OperationFailure) in try output.append(rows: b, rowCount: rows) }
        values.removeAll(keepingCapacity: true)
    }
}

public final class Regex {
    public init(_ pattern: String, caseInsensitive: Bool = false) throws(OperationFailure) {
        throw .invalidArgument("Invalid regular expression '\(pattern)': regex support arrives with the foundation")
    }
    public func matches(_ s: String) throws(OperationFailure) -> Bool { false }
    public func replacingAll(in s: String, with pythonTemplate: String) throws(OperationFailure) -> String { s }
}

public enum DateText {
    public static func parse(_ s: String) -> (seconds: Double, flags: UInt32)? { nil }
    public static func format(seconds: Double, pattern: String) -> String { "" }
}
