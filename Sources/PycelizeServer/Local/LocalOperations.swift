import Foundation
import Logging
import PycelizeJSON
import RequestParsing

/// Runs operations on local files without a server (`pycelize run`, `pycelize workflow run`): the plugins of the
/// same `plugins.d/`, the same argument conversion and schema validation as the REST endpoint, the same runner.
public struct LocalOperations: Sendable {
    public let plugins: [PluginRecord]
    public let operations: [LoadedOperation]
    let runner: OperationRunner
    let config: ServerConfig

    /// What a run produced.
    public struct Outcome: Sendable {
        /// The inline result as REST clients see it (`data`), with `output_files` = the written files' paths.
        public let data: JSONValue
        /// The REST `message` of the call.
        public let message: String
        public let outputs: [String]
    }

    public init(config: ServerConfig, logger: Logger) {
        let loader = PluginLoader(searchPath: PycelizeServer.librarySearchPath(config), logger: logger)
        loader.loadDirectory(config.pluginsDirectory)
        plugins = loader.records
        operations = loader.operationOrder.compactMap { loader.operations[$0] }
        runner = OperationRunner(settings: PycelizeServer.tableSettings(config), logger: logger)
        self.config = config
    }

    /// The operation called `name`, or a bad-arguments failure naming the loaded ones.
    public func operation(_ name: String) throws(LocalFailure) -> LoadedOperation {
        guard let op = operations.first(where: { $0.name == name }) else {
            throw LocalFailure(.badArguments, "Unknown operation '\(name)'. Loaded: \(operations.map(\.name).joined(separator: ", "))")
        }
        return op
    }

    /// The arguments object from `--args` JSON text and `--arg key=value` pairs (converted by the schema's types,
    /// exactly as form fields of a REST call; pairs win over the JSON).
    public func arguments(for op: LoadedOperation, json: String?, pairs: [String]) throws(LocalFailure) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let json {
            guard case .object(let object)? = try? JSONParser.parse(json) else {
                throw LocalFailure(.badArguments, "--args must be a JSON object, e.g. '{\"column\": \"name\"}'")
            }
            members = object
        }
        var fields: [String: String] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw LocalFailure(.badArguments, "--arg expects key=value, got '\(pair)'")
            }
            fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let converted: JSONValue
        do throws(RequestError) { converted = try FormArguments.convert(fields, schema: op.schema) } catch {
            throw LocalFailure(.badArguments, error.message)
        }
        var result = JSONValue.object(members)
        for (key, value) in converted.objectValue ?? [] { result = result.setting(key, value) }
        return result
    }

    /// Checks that `files` are the inputs `op` takes and that each one can be read.
    public func inputs(for op: LoadedOperation, files: [String]) throws(LocalFailure) -> [OperationInput] {
        let wanted = op.twoInputs ? 2 : (op.needsInput ? 1 : 0)
        guard files.count == wanted else {
            let what = wanted == 0 ? "no input file" : wanted == 1 ? "one input file (--file IN)" : "two input files (--file SOURCE --file BIND)"
            throw LocalFailure(.badArguments, "\(op.name) takes \(what); \(files.count) given")
        }
        return try files.map { path throws(LocalFailure) in try Self.input(path) }
    }

    static func input(_ path: String) throws(LocalFailure) -> OperationInput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw LocalFailure(.unreadableInput, "Cannot read input \(path): no such file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LocalFailure(.unreadableInput, "Cannot read input \(path): permission denied")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return OperationInput(path: absolute, name: (absolute as NSString).lastPathComponent)
    }

    /// Runs one operation. `output` is a folder (existing, or ending in `/`) or the first output's file path;
    /// nil = the current folder.
    public func run(_ op: LoadedOperation, arguments: JSONValue, inputs: [OperationInput], output: String?,
                    progress: (@Sendable (Double, String?) -> Void)? = nil) async throws(LocalFailure) -> Outcome {
        let (directory, requested) = try Self.destination(output)
        let planner = OneShotPlanner(directory: directory, inputBase: inputs.first.map { SecureFilename.baseName($0.name) } ?? "output",
                                     requestedName: requested, timestamp: OutputFiles.timestamp())
        let result: OperationResult
        do { result = try await runner.run(op, arguments: arguments, inputs: inputs, planner: planner, progress: progress) } catch {
            throw LocalFailure.from(error)
        }
        let directives = result.directives
        let paths = result.outputs.map(\.path)
        var data = directives.data
        if !paths.isEmpty { data = data.setting("output_files", .array(paths.map(JSONValue.string))) }
        return Outcome(data: data, message: directives.message ?? OperationEndpoint.message(op.successMessage, directives.data),
                       outputs: paths)
    }

    /// The folder and requested first-output name for `-o`.
    static func destination(_ output: String?) throws(LocalFailure) -> (String, String?) {
        guard let output, !output.isEmpty else { return (FileManager.default.currentDirectoryPath, nil) }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
        if output.hasSuffix("/") || (exists && isDirectory.boolValue) {
            do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                throw LocalFailure(.badArguments, "Cannot create output folder \(output): \(error.localizedDescription)")
            }
            return (output, nil)
        }
        let url = URL(fileURLWithPath: output)
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LocalFailure(.badArguments, "Output folder \(folder) does not exist")
        }
        return (folder, url.lastPathComponent)
    }
}
