/// Python `repr` of strings and string lists, for error messages that must read exactly as the original's
/// (`Bind columns not found in bind file: ['x', 'y']`).
public enum PythonRepr {
    /// `'text'`, or `"text"` when the text holds a single quote and no double quote (as Python chooses).
    public static func string(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\\(quote)"
            default: out.append(ch)
            }
        }
        out.append(quote)
        return out
    }

    /// `['a', 'b']`.
    public static func list(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }
}
