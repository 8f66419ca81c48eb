import PluginABI

/// `pz_cell` from the ABI is the engine's cell type too, so batches cross to plugins without copying.
public typealias Cell = pz_cell

extension pz_cell {
    @inlinable public static var null: pz_cell {
        pz_cell(type: UInt32(PZ_CELL_NULL.rawValue), flags: 0, value: .init(i: 0), text: nil, text_len: 0)
    }

    @inlinable public static func int(_ v: Int64) -> pz_cell {
        pz_cell(type: UInt32(PZ_CELL_INT.rawValue), flags: 0, value: .init(i: v), text: nil, text_len: 0)
    }
    @inlinable public static func float(_ v: Double) -> pz_cell {
        pz_cell(type: UInt32(PZ_CELL_FLOAT.rawValue), flags: 0, value: .init(f: v), text: nil, text_len: 0)
    }
    @inlinable public static func bool(_ v: Bool) -> pz_cell {
        pz_cell(type: UInt32(PZ_CELL_BOOL.rawValue), flags: 0, value: .init(b: v ? 1 : 0), text: nil, text_len: 0)
    }
    /// A date/time as seconds since 1970-01-01 in wall-clock time; `flags` is `PZ_DT_DATE_ONLY`, `PZ_DT_TIME_ONLY` or 0.
    @inlinable public static func dateTime(_ seconds: Double, flags: UInt32) -> pz_cell {
        pz_cell(type: UInt32(PZ_CELL_DATETIME.rawValue), flags: flags, value: .init(f: seconds), text: nil, text_len: 0)
    }
    /// A text cell borrowing `pointer` (the caller keeps the bytes alive while the cell is used).
    @inlinable public static func text(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> pz_cell {
        pz_cell(type: UInt32(PZ_CELL_TEXT.rawValue), flags: 0, value: .init(i: 0),
                text: UnsafeRawPointer(pointer)?.assumingMemoryBound(to: CChar.self), text_len: count)
    }

    @inlinable public var kind: CellKind { CellKind(rawValue: type) ?? .null }

    /// The text bytes of a text cell (empty for other kinds). Valid as long as the cell's owner keeps them.
    @inlinable public var textBytes: UnsafeBufferPointer<UInt8> {
        guard type == UInt32(PZ_CELL_TEXT.rawValue), let t = text, text_len > 0 else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: UnsafeRawPointer(t).assumingMemoryBound(to: UInt8.self), count: text_len)
    }
}

/// Swift view of `pz_cell_type`.
public enum CellKind: UInt32, Sendable {
    case null = 0, int = 1, float = 2, text = 3, bool = 4, dateTime = 5
}

/// An owning, Swift-friendly cell value: for tests, small tables and JSON rendering, never for the hot path.
public enum CellValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case float(Double)
    case text(String)
    case bool(Bool)
    /// Seconds since 1970-01-01 (wall clock) and the `PZ_DT_*` flags.
    case dateTime(Double, flags: UInt32)

    public init(_ cell: Cell) {
        switch cell.kind {
        case .null: self = .null
        case .int: self = .int(cell.value.i)
        case .float: self = .float(cell.value.f)
        case .bool: self = .bool(cell.value.b != 0)
        case .dateTime: self = .dateTime(cell.value.f, flags: cell.flags)
        case .text: self = .text(String(decoding: cell.textBytes, as: UTF8.self))
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .int(let v): return String(v)
        case .float(let v): return NumberFormatting.shortest(v)
        case .text(let s): return s
        case .bool(let b): return b ? "True" : "False"
        case .dateTime(let s, let f): return DateFormatting.text(seconds: s, flags: f)
        }
    }

    /// Runs `body` with this value as a borrowed `Cell`.
    public func withCell<R>(_ body: (Cell) throws -> R) rethrows -> R {
        switch self {
        case .null: return try body(.null)
        case .int(let v): return try body(.int(v))
        case .float(let v): return try body(.float(v))
        case .bool(let v): return try body(.bool(v))
        case .dateTime(let s, let f): return try body(.dateTime(s, flags: f))
        case .text(let s):
            var copy = s
            return try copy.withUTF8 { try body(.text($0.baseAddress, $0.count)) }
        }
    }
}
