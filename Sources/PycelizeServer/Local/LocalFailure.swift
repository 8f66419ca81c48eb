/// Why a local run (`pycelize run`, `pycelize workflow run`) failed, with the command's exit code.
public struct LocalFailure: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The operation, its arguments or the number of files are wrong (exit 2).
        case badArguments
        /// An input file cannot be read: missing, unreadable, corrupt, wrong format (exit 3).
        case unreadableInput
        /// Anything else: a plugin failure, a limit, a full disk (exit 1).
        case internalFailure
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var exitCode: Int32 {
        switch kind {
        case .badArguments: return 2
        case .unreadableInput: return 3
        case .internalFailure: return 1
        }
    }

    /// Classifies a host or plugin error by the HTTP status the REST endpoint would have answered.
    static func from(_ error: Error) -> LocalFailure {
        if let failure = error as? LocalFailure { return failure }
        let api = APIError.from(error)
        switch api.status.code {
        case 400, 404: return LocalFailure(.unreadableInput, api.message)
        case 405, 415, 422: return LocalFailure(.badArguments, api.message)
        default: return LocalFailure(.internalFailure, api.detail.map { "\(api.message) (\($0))" } ?? api.message)
        }
    }
}
