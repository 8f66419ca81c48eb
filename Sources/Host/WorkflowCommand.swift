import ArgumentParser
import Foundation
import PycelizeJSON
import PycelizeServer

/// `pycelize workflow`: chat workflows on local files.
struct Workflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run chat workflows locally.", subcommands: [WorkflowRun.self])
}

/// `pycelize workflow run STEPS.json --file IN [-o DIR] [--attach FILE]...`.
struct WorkflowRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a chain of steps on a local file, as a chat workflow does.",
        discussion: """
        STEPS.json is the body a client sends to POST /api/v1/chat/workflows/{chat_id}/execute: \
        {"steps": [{"operation": "...", "arguments": {...}}, ...]}. Each step reads the previous step's first output \
        (or its input when it wrote no file). Every output is written into DIR; the step results are printed as JSON \
        ({"results": [...], "output_files": [...]}). A step that names a file (bind_file of excel/bind-single-key) \
        finds an --attach file by its name, or an output already in DIR.

        Exit codes: 0 success; 1 internal failure; 2 bad steps or arguments; 3 unreadable input.
        """)

    @Argument(help: "The steps file (JSON); '-' reads standard input.")
    var steps: String
    @Option(name: .customLong("file"), help: "The input file of the first step.")
    var file: String
    @Option(name: [.short, .customLong("output")], help: "Folder for every step's outputs (created if missing).")
    var output: String = "."
    @Option(name: .customLong("attach"), help: ArgumentHelp(
        "Another file the steps may name (e.g. bind_file), as if uploaded to the conversation; repeatable.",
        valueName: "path"))
    var attachments: [String] = []
    @OptionGroup var common: ConfigOptions

    func run() async throws {
        let cfg = try common.load()
        let local = LocalOperations(config: cfg, logger: ConfigOptions.bootstrapLogging(.warning))
        do {
            let requests = try Self.readSteps(steps)
            let bar = ProgressBar.onTerminal()
            let count = Double(max(1, requests.count))
            let progress: (@Sendable (Int, Double, String?) -> Void)? = bar.map { bar in
                { @Sendable step, fraction, message in bar.show((Double(step) + fraction) / count, message) }
            }
            let outcome = try await local.runWorkflow(requests, file: file, directory: output, attachments: attachments,
                                                      progress: progress)
            bar?.clear()
            CommandOutput.printJSON(.object([("results", .array(outcome.results)),
                                             ("output_files", .array(outcome.outputs.map(JSONValue.string)))]))
        } catch let failure as LocalFailure {
            throw CommandOutput.exit(failure, command: "workflow run")
        }
    }

    static func readSteps(_ path: String) throws -> [WorkflowStepRequest] {
        let bytes: Data
        do {
            bytes = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LocalFailure(.badArguments, "Cannot read the steps file \(path): \(error.localizedDescription)")
        }
        do {
            return try WorkflowStepRequest.steps(from: try JSONParser.parse(Array(bytes)))
        } catch let error as APIError {
            throw LocalFailure(.badArguments, "\(path): \(error.message)")
        } catch {
            throw LocalFailure(.badArguments, "\(path) is not valid JSON: \(error)")
        }
    }
}
