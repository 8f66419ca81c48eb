import PluginKit

/// The `template` of `sql/generate` (§3.8.2): it replaces the whole row statement. `{auto_id}` (auto-increment
/// enabled), `{<sql column>}` for every mapping key, `{current_timestamp}` and `{current_date}` are replaced;
/// any other `{…}` stays as written. The template is split once into pieces, so a value that happens to contain
/// `{name}` is never substituted again.
struct BuilderTemplate {
    enum Piece {
        case text([UInt8])
        case column(Int)    // index into the mapping
        case autoID
        case raw(String)    // current_timestamp / current_date of the dialect
    }

    let pieces: [Piece]

    init(_ template: String, mappingKeys: [String], autoIncrement: Bool, dialect: SQLDialect) {
        var pieces: [Piece] = []
        var text: [UInt8] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            text.append(contentsOf: rest[..<open].utf8)
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}" else {
                text.append(0x7B)
                rest = rest[after...]
                continue
            }
            let name = String(rest[after..<close])
            let piece: Piece?
            if name == "auto_id" && autoIncrement { piece = .autoID }
            else if let i = mappingKeys.firstIndex(of: name) { piece = .column(i) }
            else if name == "current_timestamp" { piece = .raw(dialect.now) }
            else if name == "current_date" { piece = .raw(dialect.currentDate) }
            else { piece = nil }
            if let p = piece {
                if !text.isEmpty { pieces.append(.text(text)); text.removeAll() }
                pieces.append(p)
            } else {
                text.append(contentsOf: rest[open...close].utf8)
            }
            rest = rest[rest.index(after: close)...]
        }
        text.append(contentsOf: rest.utf8)
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }
}
