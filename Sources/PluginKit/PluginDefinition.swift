import PluginABI
@_exported import PycelizeJSON
@_exported import PycelizeCore

/// Builds the static `pz_plugin_descriptor` for a Swift plugin. Strings and tables are allocated once and never
/// freed, as the ABI requires (the host never unloads a plugin).
public struct PluginDefinition: Sendable {
    public let name: String
    public let version: String
    public let description: String
    public let operations: [Operation]

    /// One operation: its public contract and the Swift body that implements it.
    public struct Operation: Sendable {
        public let name: String
        public let summary: String
        public let argumentsSchema: String
        public let successMessage: String
        public let flags: UInt32
        public let body: @Sendable (OperationCall) throws(OperationFailure) -> Void

        public init(name: String, summary: String, argumentsSchema: String, successMessage: String,
                    needsInput: Bool = true,
                    body: @escaping @Sendable (OperationCall) throws(OperationFailure) -> Void) {
            self.name = name
            self.summary = summary
            self.argumentsSchema = argumentsSchema
            self.successMessage = successMessage
            flags = needsInput ? PZ_OP_NEEDS_INPUT : 0
            self.body = body
        }
    }

    public init(name: String, version: String, description: String, operations: [Operation]) {
        self.name = name
        self.version = version
        self.description = description
        self.operations = operations
    }

    /// Allocates the C descriptor. Call once from `pz_plugin_entry` and cache the pointer.
    public func makeDescriptor() -> UnsafePointer<pz_plugin_descriptor> {
        let ops = UnsafeMutablePointer<UnsafePointer<pz_operation>?>.allocate(capacity: max(1, operations.count))
        for (i, op) in operations.enumerated() {
            let box = Unmanaged.passRetained(OperationBox(op.body)).toOpaque()
            let p = UnsafeMutablePointer<pz_operation>.allocate(capacity: 1)
            p.initialize(to: pz_operation(
                struct_size: MemoryLayout<pz_operation>.size,
                name: PluginDefinition.permanent(op.name),
                summary: PluginDefinition.permanent(op.summary),
                arguments_schema: PluginDefinition.permanent(op.argumentsSchema),
                success_message: PluginDefinition.permanent(op.successMessage),
                flags: op.flags,
                execute: operationTrampoline,
                user_data: box))
            ops[i] = UnsafePointer(p)
        }
        let d = UnsafeMutablePointer<pz_plugin_descriptor>.allocate(capacity: 1)
        d.initialize(to: pz_plugin_descriptor(
            struct_size: MemoryLayout<pz_plugin_descriptor>.size,
            abi_major: UInt32(PZ_ABI_MAJOR), abi_minor: UInt32(PZ_ABI_MINOR),
            name: PluginDefinition.permanent(name),
            version: PluginDefinition.permanent(version),
            description: PluginDefinition.permanent(description),
            operation_count: operations.count,
            operations: UnsafePointer(ops)))
        return UnsafePointer(d)
    }

    /// A NUL-terminated copy that lives for the process.
    static func permanent(_ s: String) -> UnsafePointer<CChar> {
        let bytes = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        p.initialize(from: bytes, count: bytes.count)
        return UnsafePointer(p)
    }
}

final class OperationBox: @unchecked Sendable {
    let body: @Sendable (OperationCall) throws(OperationFailure) -> Void
    init(_ body: @escaping @Sendable (OperationCall) throws(OperationFailure) -> Void) { self.body = body }
}

/// The single C entry point of every Swift operation: recovers the Swift body from `user_data` and maps a thrown
/// `OperationFailure` to the ABI's error protocol. Nothing unwinds across the boundary.
private let operationTrampoline: @convention(c) (OpaquePointer?, UnsafePointer<pz_host_api>?, UnsafeMutableRawPointer?) -> Int32 = { ctx, host, userData in
    guard let ctx, let host, let userData else { return Int32(PZ_ERR_INTERNAL.rawValue) }
    let box = Unmanaged<OperationBox>.fromOpaque(userData).takeUnretainedValue()
    let call = OperationCall(context: ctx, host: host)
    do throws(OperationFailure) {
        try box.body(call)
        return Int32(PZ_OK.rawValue)
    } catch {
        if !error.message.isEmpty { call.setError(error.status, error.message) }
        return Int32(error.status.rawValue)
    }
}
