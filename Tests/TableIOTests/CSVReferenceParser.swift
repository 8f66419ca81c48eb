@testable import TableIO

/// The CSV rules of docs/engine.md written the plain way (whole file in memory, one byte at a time, as the reader
/// did before its fast paths), to check the streaming reader against: same names, same cells, same error text.
enum CSVReferenceParser {
    enum Outcome: Equatable, CustomStringConvertible {
        case table([String], [[CellValue]])
        case failure(String)

        var description: String {
            switch self {
            case .table(let names, let rows): return "names \(names), rows \(rows)"
            case .failure(let m): return "failure: \(m)"
            }
        }
    }

    /// Parses `data` (after any BOM) as UTF-8, or as Windows-1252 when `cp1252`.
    static func parse(_ data: [UInt8], cp1252: Bool, maxFieldBytes: Int = 64 << 20) -> Outcome {
        do {
            var records = try records(data, cp1252: cp1252, maxFieldBytes: maxFieldBytes)
            guard !records.isEmpty else { return .table([], []) }
            let header = records.removeFirst().fields.map { cell -> String in
                if case .text(let s) = cell { return s }
                return ""
            }
            let names = HeaderNormalizer.normalize(header)
            return .table(names, records.map { $0.fields + Array(repeating: .null, count: names.count - $0.fields.count) })
        } catch {
            return .failure(error.message)
        }
    }

    struct Failure: Error { let message: String }

    private static func records(_ d: [UInt8], cp1252: Bool, maxFieldBytes: Int) throws -> [(line: Int, fields: [CellValue])] {
        var out: [(line: Int, fields: [CellValue])] = []
        var i = 0
        var line = 1
        let n = d.count
        while i < n {
            if d[i] == 0x0A || d[i] == 0x0D {
                i += d[i] == 0x0D && i + 1 < n && d[i + 1] == 0x0A ? 2 : 1
                line += 1
                continue
            }
            var fields: [CellValue] = []
            var newlines = 0
            while true {
                var bytes: [UInt8] = []
                var quoted = false
                if d[i] == 0x22 {
                    quoted = true
                    i += 1
                    var closed = false
                    while i < n {
                        if d[i] == 0x22 {
                            if i + 1 < n && d[i + 1] == 0x22 { bytes.append(0x22); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if d[i] == 0x0A { newlines += 1 }
                        bytes.append(d[i])
                        i += 1
                    }
                    if !closed {
                        throw Failure(message: "Unbalanced quotes: a quoted field opened at line \(line) is never closed")
                    }
                }
                var j = i
                while j < n && d[j] != 0x2C && d[j] != 0x0A && d[j] != 0x0D { j += 1 }
                bytes += d[i..<j]
                i = j
                let text = cp1252 ? transcode(bytes) : bytes
                if text.count > maxFieldBytes {
                    throw Failure(message: "limit: A CSV field at line \(line) is larger than the \(maxFieldBytes >> 20) MiB limit")
                }
                fields.append(text.isEmpty ? (quoted ? .text("") : .null) : .text(String(decoding: text, as: UTF8.self)))
                if i >= n { break }
                if d[i] == 0x2C {
                    i += 1
                    if i >= n { fields.append(.null); break }
                    continue
                }
                i += d[i] == 0x0D && i + 1 < n && d[i + 1] == 0x0A ? 2 : 1
                break
            }
            // The header sets the width; a longer record stops the reading there.
            if let width = out.first?.fields.count, fields.count > width {
                throw Failure(message: "Error tokenizing data: expected \(width) fields in line \(line), saw \(fields.count)")
            }
            out.append((line, fields))
            line += 1 + newlines
        }
        return out
    }

    static func transcode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var tmp = [UInt8](repeating: 0, count: 4)
        for b in bytes {
            let k = tmp.withUnsafeMutableBufferPointer { CSVEncoding.appendCP1252(b, to: $0.baseAddress!) }
            out += tmp[0..<k]
        }
        return out
    }
}

extension Error {
    /// The reader's error text in the reference's terms (limit errors marked as such).
    var message: String {
        switch self as Error {
        case TableIOError.badInput(let m): return m
        case TableIOError.limitExceeded(let m): return "limit: " + m
        case let f as CSVReferenceParser.Failure: return f.message
        default: return "\(self)"
        }
    }
}
