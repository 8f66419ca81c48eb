import Dispatch
import Foundation
import Logging
import PluginABI
import PycelizeJSON
import RequestParsing
#if canImport(Glibc)
import Glibc
#endif

/// What one successful operation call produced.
public struct OperationResult: Sendable {
    public let outputs: [OperationOutput]
    /// The plugin's inline JSON result (an object), if it set one, including any host directives.
    public let result: JSONValue?

    /// How the plugin asked for the result to be presented (`$` members; see `ResultDirectives`).
    var directives: ResultDirectives { ResultDirectives(result, outputs: outputs) }
}

/// Runs operations: validates arguments against the operation's schema, calls the plugin's `execute` on a
/// worker thread (never on the server's event loops), and turns the plugin's error protocol into `APIError`s.
public struct OperationRunner: Sendable {
    public let settings: TableSettings
    public let logger: Logger
    private static let queue = DispatchQueue(label: "pycelize.operations", qos: .userInitiated, attributes: .concurrent)

    public init(settings: TableSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs `operation` to completion.
    /// - Parameters:
    ///   - timeout: when set, the call is asked to cancel (through `is_cancelled`) after this long.
    ///   - progress: receives `(fraction, message)` from the plugin, throttling is the receiver's job.
    ///   - callKind: how the operation is being called (`"rest"` or `"workflow"`). Added to the validated arguments
    ///     as `_call_kind`, so an operation can keep the original's per-surface defaults (docs/plugin-abi.md).
    public func run(_ operation: LoadedOperation, arguments: JSONValue, inputs: [OperationInput],
                    planner: any OutputPlanner, namedFiles: (@Sendable (String) -> OperationInput?)? = nil,
                    timeout: Duration? = nil, callKind: String? = nil,
                    progress: (@Sendable (Double, String?) -> Void)? = nil) async throws -> OperationResult {
        guard case .object = arguments else { throw APIError.validation("Operation arguments must be a JSON object") }
        try ArgumentValidator.validate(arguments, schema: operation.schema)
        if operation.needsInput && inputs.isEmpty { throw APIError.validation("No file uploaded") }
        // Set after validation: a strict schema (additionalProperties: false) never sees it, and a client cannot
        // choose it (a client-sent `_call_kind` is replaced).
        let passed = callKind.map { arguments.setting("_call_kind", .string($0)) } ?? arguments
        let context = OperationContext(
            operationName: operation.name, pluginName: operation.pluginName, pluginSettingsJSON: operation.pluginSettingsJSON,
            argumentsJSON: JSONSerializer.string(passed), inputs: inputs, planner: planner, settings: settings,
            logger: logger, namedFileResolver: namedFiles, progressSink: progress)
        if let t = timeout {
            let nanos = t.components.seconds * 1_000_000_000 + t.components.attoseconds / 1_000_000_000
            OperationRunner.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(nanos))) { [weak context] in
                context?.cancel()
            }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<OperationResult, Error>) in
                OperationRunner.queue.async {
                    continuation.resume(with: Result { try OperationRunner.execute(operation, context) })
                }
            }
        } onCancel: {
            context.cancel()
        }
    }

    private static func execute(_ operation: LoadedOperation, _ context: OperationContext) throws -> OperationResult {
        let opaque = OpaquePointer(Unmanaged.passUnretained(context).toOpaque())
        let op = operation.descriptor.pointee
        let rc: Int32 = withExtendedLifetime(context) {
            op.execute?(opaque, HostServiceTable.shared, op.user_data) ?? Int32(PZ_ERR_INTERNAL.rawValue)
        }
        context.cleanUp()
        if rc != 0 {
            let code = rc
            // Outputs published before the failure are removed: a failed call leaves nothing behind.
            for o in context.outputs { unlink(o.path) }
            var message = context.errorMessage ?? ""
            if message.isEmpty { message = "Operation \(operation.name) failed (code \(code))" }
            if context.isCancelled && code == Int32(PZ_ERR_CANCELLED.rawValue) {
                message = "Operation \(operation.name) was cancelled: \(message)"
            }
            if let host = context.hostFailure, (context.errorCode != 0 ? context.errorCode : code) == Int32(PZ_ERR_INTERNAL.rawValue) { throw host }
            throw APIError.fromPlugin(code: context.errorCode != 0 ? context.errorCode : code, message: message)
        }
        return OperationResult(outputs: context.outputs, result: context.resultJSON)
    }
}
