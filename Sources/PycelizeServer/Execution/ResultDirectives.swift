import PycelizeJSON

/// Members of a plugin's result object whose names start with `$` are directives to the host, never shown to
/// clients. They let a plugin reproduce envelope details of the original API without the host knowing the operation:
/// - `"$total": n` — the REST envelope's `total` (the original's `/normalization/types` answers 20);
/// - `"$output_file": true` — add `output_file` = the first output's file name (the original's
///   `normalization/apply` with `return_report`), which the plugin cannot know before the host names the file.
enum ResultDirectives {
    static func apply(_ result: JSONValue, outputs: [OperationOutput]) -> (data: JSONValue, total: Int64) {
        guard let members = result.objectValue, members.contains(where: { $0.0.hasPrefix("$") }) else { return (result, 0) }
        var kept: [(String, JSONValue)] = members.filter { !$0.0.hasPrefix("$") }
        if result["$output_file"] == .bool(true), let first = outputs.first { kept.append(("output_file", .string(first.fileName))) }
        return (.object(kept), result["$total"]?.intValue ?? 0)
    }
}
