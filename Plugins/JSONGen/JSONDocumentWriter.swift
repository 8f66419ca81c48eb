import PluginKit

/// Streams a JSON document of records into a text output, in the original's layout (Python's `json.dumps` with
/// `indent=2`, or compact with `", "` and `": "`; no trailing newline).
///
/// Shapes: `.array` (a list, `[]` when empty); `.singleWhenOne` (the bare object when there is exactly one
/// record, else a list — the first record is held back until a second one arrives); `.nested`
/// (`{"items": [...], "count": n}`, the count written after the items).
final class JSONDocumentWriter {
    enum Shape { case array, singleWhenOne, nested }

    let out: TextOutput
    let shape: Shape
    let pretty: Bool
    private(set) var count = 0
    /// The first record, held back in `.singleWhenOne` mode: written alone (level 0) and as a list item.
    private var pending: (alone: [UInt8], inList: [UInt8])?

    init(_ out: TextOutput, shape: Shape, pretty: Bool) {
        self.out = out
        self.shape = shape
        self.pretty = pretty
    }

    /// The nesting level records are written at inside the list.
    var itemLevel: Int { shape == .nested ? 2 : 1 }

    /// Appends a record; `write(buffer, level)` writes it as a value at `level`.
    func append(_ write: (inout [UInt8], Int) -> Void) throws(OperationFailure) {
        defer { count += 1 }
        if shape == .singleWhenOne && count == 0 {
            var alone: [UInt8] = [], inList: [UInt8] = []
            write(&alone, 0)
            write(&inList, itemLevel)
            pending = (alone, inList)
            return
        }
        if count == 0 || (shape == .singleWhenOne && count == 1) { openList() }
        if let first = pending {
            pending = nil
            newline(itemLevel)
            out.buffer.append(contentsOf: first.inList)
        }
        if count > 0 { separator() }
        newline(itemLevel)
        write(&out.buffer, itemLevel)
        try out.flushIfFull()
    }

    /// Closes the document. `emptyDocument` is written when there were no records.
    func finish(emptyDocument: String = "[]") {
        if count == 0 {
            out.write(emptyDocument)
            return
        }
        if let only = pending {
            out.buffer.append(contentsOf: only.alone)
            return
        }
        newline(itemLevel - 1)
        out.buffer.append(0x5D)
        if shape == .nested {
            out.buffer.append(0x2C)
            if !pretty { out.buffer.append(0x20) }
            newline(1)
            out.write("\"count\": \(count)")
            newline(0)
            out.buffer.append(0x7D)
        }
    }

    private func openList() {
        if shape == .nested {
            out.buffer.append(0x7B)
            newline(1)
            out.write("\"items\": ")
        }
        out.buffer.append(0x5B)
    }

    private func separator() {
        out.buffer.append(0x2C)
        if !pretty { out.buffer.append(0x20) }
    }

    private func newline(_ level: Int) {
        if pretty { JSONValueWriter.newline(level, &out.buffer) }
    }
}
