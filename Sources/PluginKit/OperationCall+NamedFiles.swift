import PluginABI

extension OperationCall {
    /// Opens another file of the same conversation by its plain file name (a workflow step's `bind_file`).
    /// The host refuses paths and names outside the conversation; in one-shot REST calls there is no conversation,
    /// so every name is "not found".
    public func openNamedFile(_ name: String, sheet: String? = nil) throws(OperationFailure) -> InputTable {
        let reader: OpaquePointer? = name.withCString { n in
            PluginKitStrings.withOptionalCString(sheet) { s in host.pointee.open_named_file?(context, n, s) }
        }
        guard let r = reader else { throw OperationFailure(PZ_ERR_NOT_FOUND, "") }
        return InputTable(reader: r, host: host)
    }

    /// The second table of a two-input operation: input 1 when the caller uploaded two files (REST `bind_file` /
    /// `target_file`), otherwise the conversation file named by the argument `argument` (workflow steps).
    /// - Parameter missingMessage: the error when neither is available.
    public func openSecondInput(namedBy argument: String, in arguments: JSONValue,
                                missingMessage: String) throws(OperationFailure) -> InputTable {
        if inputCount >= 2 { return try openInput(1) }
        guard let name = arguments[argument]?.stringValue, !name.isEmpty else { throw .invalidArgument(missingMessage) }
        return try openNamedFile(name)
    }
}
