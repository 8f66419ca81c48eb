import PycelizeJSON

/// The one way a plugin steers how its result is presented: members of its result object whose names start with `$`
/// are directives to the host and never reach clients (docs/plugin-abi.md). They let a plugin reproduce envelope
/// details of the original API without the host knowing the operation:
/// - `"$message": "…"` — the REST envelope's `message` for this call (replaces the operation's success message);
/// - `"$total": n` — the REST envelope's `total` (the original's `/normalization/types` answers 20);
/// - `"$workflow": {…}` — a workflow step's result, when it differs from the REST `data`;
/// - `"$output_file": true` — add `output_file` = the first output's file name to the REST `data` (the original's
///   `normalization/apply` with `return_report`), which the plugin cannot know before the host names the file.
struct ResultDirectives: Sendable {
    /// The REST `data`: the result without directives (plus `output_file` when asked).
    let data: JSONValue
    let message: String?
    let total: Int64
    /// A workflow step's result: `$workflow` when the plugin set one, else the result without directives.
    let workflowResult: JSONValue

    init(_ result: JSONValue?, outputs: [OperationOutput]) {
        let result = result ?? .object([])
        guard let members = result.objectValue, members.contains(where: { $0.0.hasPrefix("$") }) else {
            (data, message, total, workflowResult) = (result, nil, 0, result)
            return
        }
        let plain = JSONValue.object(members.filter { !$0.0.hasPrefix("$") })
        var rest = plain
        if result["$output_file"] == .bool(true), let first = outputs.first {
            rest = rest.setting("output_file", .string(first.fileName))
        }
        data = rest
        message = result["$message"]?.stringValue
        total = result["$total"]?.intValue ?? 0
        if let w = result["$workflow"], case .object = w { workflowResult = w } else { workflowResult = plain }
    }
}
