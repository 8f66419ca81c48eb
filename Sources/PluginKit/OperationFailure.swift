import PluginABI

/// The error a Swift operation throws; becomes `set_error(code, message)` at the boundary.
public struct OperationFailure: Error, Sendable {
    public let status: pz_status
    public let message: String

    public init(_ status: pz_status, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func invalidArgument(_ m: String) -> OperationFailure { .init(PZ_ERR_INVALID_ARGUMENT, m) }
    public static func badInput(_ m: String) -> OperationFailure { .init(PZ_ERR_BAD_INPUT, m) }
    public static func internalError(_ m: String) -> OperationFailure { .init(PZ_ERR_INTERNAL, m) }
}
