import PycelizeJSON

extension WorkflowStepRequest {
    /// Reads `{"steps": [{"operation": "...", "arguments": {...}}, ...]}`: the body of a chat `execute` call and the
    /// file of `pycelize workflow run`, so a workflow moves between server and command line as is.
    public static func steps(from value: JSONValue) throws -> [WorkflowStepRequest] {
        guard case .array(let items)? = value["steps"] else { throw APIError.validation("No steps provided") }
        return try items.enumerated().map { i, item in
            guard case .object = item else { throw APIError.validation("Step \(i + 1) must be an object") }
            let args = item["arguments"] ?? .object([])
            guard case .object = args else { throw APIError.validation("Step \(i + 1): arguments must be an object") }
            return WorkflowStepRequest(operation: item["operation"]?.stringValue, arguments: args)
        }
    }
}
