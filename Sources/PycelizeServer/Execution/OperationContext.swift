import Foundation
import Logging
import PluginABI
import PycelizeJSON
import TableIO

/// One input file given to an operation call.
public struct OperationInput: Sendable {
    /// Absolute path on disk.
    public let path: String
    /// The client-visible (sanitised) file name, e.g. `sales.csv`.
    public let name: String

    public init(path: String, name: String) {
        self.path = path
        self.name = name
    }
}

/// A file an operation produced and published.
public struct OperationOutput: Sendable, Equatable {
    public let fileName: String
    public let path: String
    public let rows: Int64
}

/// Decides where outputs go and what they are called. Called once per output, in order.
public protocol OutputPlanner: Sendable {
    /// Folder for output number `index` (0-based).
    func directory(forOutput index: Int) -> String
    /// File name (with extension) for output `index`, given the plugin's suffix and extension.
    func fileName(forOutput index: Int, suffix: String, fileExtension: String) -> String
}

/// Engine settings the host applies to every table an operation reads or writes.
public struct TableSettings: Sendable {
    public var defaultSheetName = "Sheet1"
    public var includeInfoSheet = true
    public var maxColumnWidth = 50
    public var compressionLevel = 1
    public var zipLimits = ZipLimits()
    public init() {}
}

/// The state behind one `pz_context *`: everything a call of an operation may touch through the host services.
/// Owned by `OperationRunner`; handed to the plugin as an unretained opaque pointer valid during `execute`.
final class OperationContext: @unchecked Sendable {
    let operationName: String
    let pluginName: String
    let inputs: [OperationInput]
    let planner: any OutputPlanner
    let settings: TableSettings
    let logger: Logger
    /// Resolves `open_named_file` names to inputs (conversation files); nil = not available in this call.
    let namedFileResolver: (@Sendable (String) -> OperationInput?)?
    let progressSink: (@Sendable (Double, String?) -> Void)?

    let argumentsCString: UnsafeMutablePointer<CChar>
    /// The plugin's `settings` (JSON object text), for `plugin_settings_json`.
    let pluginSettingsCString: UnsafeMutablePointer<CChar>
    private var inputNameCStrings: [UnsafeMutablePointer<CChar>] = []
    /// Strings handed to the plugin that live until the call ends.
    private var keptCStrings: [UnsafeMutablePointer<CChar>] = []

    // Mutated only by the plugin's thread during execute.
    var errorCode: Int32 = 0
    var errorMessage: String?
    /// A host-side failure (disk full, I/O error) behind the plugin's error; it decides the call's answer.
    var hostFailure: APIError?
    var resultJSON: JSONValue?
    var outputs: [OperationOutput] = []
    var readers: [ReaderHandle] = []
    var writers: [WriterHandle] = []
    var textWriters: [TextWriterHandle] = []
    private var outputsPlanned = 0

    private let cancelLock = NSLock()
    private var cancelledFlag = false

    init(operationName: String, pluginName: String, pluginSettingsJSON: String = "{}", argumentsJSON: String,
         inputs: [OperationInput],
         planner: any OutputPlanner, settings: TableSettings, logger: Logger,
         namedFileResolver: (@Sendable (String) -> OperationInput?)?,
         progressSink: (@Sendable (Double, String?) -> Void)?) {
        self.operationName = operationName
        self.pluginName = pluginName
        self.inputs = inputs
        self.planner = planner
        self.settings = settings
        self.logger = logger
        self.namedFileResolver = namedFileResolver
        self.progressSink = progressSink
        argumentsCString = OperationContext.cString(argumentsJSON)
        pluginSettingsCString = OperationContext.cString(pluginSettingsJSON)
        inputNameCStrings = inputs.map { OperationContext.cString($0.name) }
    }

    deinit {
        argumentsCString.deallocate()
        pluginSettingsCString.deallocate()
        inputNameCStrings.forEach { $0.deallocate() }
        keptCStrings.forEach { $0.deallocate() }
    }

    /// A C copy of `s` owned by this call (freed when the call ends).
    func keep(_ s: String) -> UnsafeMutablePointer<CChar> {
        let p = OperationContext.cString(s)
        keptCStrings.append(p)
        return p
    }

    static func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        p.initialize(from: bytes, count: bytes.count)
        return p
    }

    func inputNamePointer(_ index: Int) -> UnsafePointer<CChar>? {
        index >= 0 && index < inputNameCStrings.count ? UnsafePointer(inputNameCStrings[index]) : nil
    }

    // MARK: Cancellation

    var isCancelled: Bool {
        cancelLock.lock(); defer { cancelLock.unlock() }
        return cancelledFlag
    }

    /// Asks the operation to stop (timeouts, client gone, shutdown). Safe from any thread.
    func cancel() {
        cancelLock.lock(); cancelledFlag = true; cancelLock.unlock()
    }

    // MARK: Errors

    func setError(_ code: Int32, _ message: String) {
        errorCode = code == 0 ? Int32(PZ_ERR_INTERNAL.rawValue) : code
        errorMessage = message
    }

    func fail(_ error: Error) -> Int32 {
        if let t = error as? TableIOError {
            let code: pz_status
            switch t {
            case .badInput: code = PZ_ERR_BAD_INPUT
            case .limitExceeded: code = PZ_ERR_BAD_INPUT
            case .sheetNotFound: code = PZ_ERR_NOT_FOUND
            case .usage: code = PZ_ERR_INVALID_ARGUMENT
            case .io: code = PZ_ERR_INTERNAL
            }
            if case .io = t {
                // The plugin only sees (and may repeat) a path-free message; the call answers with this failure.
                let failure = APIError.fromTableIO(t)
                hostFailure = failure
                logger.error("\(operationName): \(t.description)")
                setError(Int32(code.rawValue), failure.message)
            } else {
                setError(Int32(code.rawValue), t.description)
            }
        } else if let a = error as? APIError {
            setError(Int32(a.status == .unprocessableContent ? PZ_ERR_INVALID_ARGUMENT.rawValue : PZ_ERR_INTERNAL.rawValue), a.message)
        } else {
            let failure = APIError.from(error)
            hostFailure = failure
            logger.error("\(operationName): \(error)")
            setError(Int32(PZ_ERR_INTERNAL.rawValue), failure.message)
        }
        return errorCode
    }

    // MARK: Outputs

    /// Reserves the next output slot: (index, temp path, folder, final name).
    func planOutput(suffix: String, fileExtension: String) -> (String, String, String) {
        let index = outputsPlanned
        outputsPlanned += 1
        let dir = planner.directory(forOutput: index)
        let name = planner.fileName(forOutput: index, suffix: suffix, fileExtension: fileExtension)
        return (OutputFiles.temporaryPath(in: dir, hint: name), dir, name)
    }

    /// Closes everything the plugin left open and removes unfinished outputs.
    func cleanUp() {
        for r in readers { r.close() }
        for w in writers where !w.finished { w.discard() }
        for t in textWriters where !t.finished { t.discard() }
    }
}
