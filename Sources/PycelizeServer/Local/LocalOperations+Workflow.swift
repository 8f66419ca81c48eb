import Foundation
import PycelizeJSON
import RequestParsing

extension LocalOperations {
    /// What a local workflow produced: one result per step (as a chat `execute` lists them, with `output_file_path`
    /// a local path) and every file written, in order.
    public struct WorkflowOutcome: Sendable {
        public let results: [JSONValue]
        public let outputs: [String]
    }

    /// Runs `steps` as a chat workflow does: step k+1 reads step k's first output (or k's input when k wrote no
    /// file). Every output goes into `directory`. A failing step stops the run; files already written stay (they
    /// are the completed steps' results).
    ///
    /// `attachments` play the conversation's other uploads: a step that names a file (`bind_file`) finds an
    /// attachment by its file name, or else an output already written to `directory` — never any other path.
    public func runWorkflow(_ steps: [WorkflowStepRequest], file: String, directory: String, attachments: [String] = [],
                            progress: (@Sendable (Int, Double, String?) -> Void)? = nil) async throws(LocalFailure) -> WorkflowOutcome {
        guard !steps.isEmpty else { throw LocalFailure(.badArguments, "No steps provided") }
        guard steps.count <= config.maxSteps else {
            throw LocalFailure(.badArguments, "Too many steps: \(steps.count) (the limit is \(config.maxSteps))")
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw LocalFailure(.badArguments, "Cannot create output folder \(directory): \(error.localizedDescription)")
        }
        // Every operation is checked before the first step runs, so a typo in step 5 costs nothing.
        var resolved: [LoadedOperation] = []
        for (index, step) in steps.enumerated() {
            guard let name = step.operation else { throw LocalFailure(.badArguments, "Step \(index + 1): no operation given") }
            do throws(LocalFailure) { resolved.append(try operation(name)) } catch { throw LocalFailure(.badArguments, "Step \(index + 1): \(error.message)") }
        }
        var input = try Self.input(file)
        let namedFiles = try Self.namedFileResolver(attachments: attachments, [input], directory: directory)
        var results: [JSONValue] = []
        var outputs: [String] = []
        let stamp = OutputFiles.timestamp()
        for (index, (step, op)) in zip(steps, resolved).enumerated() {
            let planner = WorkflowPlanner(directory: directory, inputBase: SecureFilename.baseName(input.name), stamp: stamp)
            let result: OperationResult
            let stepProgress: (@Sendable (Double, String?) -> Void)? = progress.map { report in
                { @Sendable fraction, message in report(index, fraction, message) }
            }
            do {
                result = try await runner.run(op, arguments: step.arguments, inputs: op.needsInput || op.twoInputs ? [input] : [],
                                              planner: planner, namedFiles: namedFiles,
                                              timeout: .seconds(config.stepTimeoutSeconds),
                                              progress: stepProgress)
            } catch {
                let failure = LocalFailure.from(error)
                throw LocalFailure(failure.kind, "Workflow failed at step \(index + 1)/\(steps.count) (\(op.name)): \(failure.message)")
            }
            var stepResult = result.directives.workflowResult
            if let first = result.outputs.first {
                stepResult = stepResult.setting("output_file_path", .string(first.path))
                input = OperationInput(path: first.path, name: first.fileName)
            } else {
                stepResult = stepResult.setting("output_file_path", .null)
            }
            outputs += result.outputs.map(\.path)
            results.append(stepResult)
        }
        return WorkflowOutcome(results: results, outputs: outputs)
    }

    /// Names → files for `open_named_file`: the attachments and the first input by their sanitised file names,
    /// then the outputs folder (as a conversation looks in `uploads/` before `outputs/`).
    static func namedFileResolver(attachments: [String], _ inputs: [OperationInput],
                                  directory: String) throws(LocalFailure) -> @Sendable (String) -> OperationInput? {
        var byName: [String: OperationInput] = [:]
        for path in attachments {
            let file = try input(path)
            let name = SecureFilename.sanitize(file.name)
            guard byName[name] == nil else { throw LocalFailure(.badArguments, "Two attachments are named \(name)") }
            byName[name] = OperationInput(path: file.path, name: name)
        }
        for file in inputs where byName[SecureFilename.sanitize(file.name)] == nil {
            byName[SecureFilename.sanitize(file.name)] = file
        }
        let known = byName
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        return { name in
            let clean = SecureFilename.sanitize(name)
            guard !clean.isEmpty else { return nil }
            if let file = known[clean] { return file }
            let candidate = (folder as NSString).appendingPathComponent(clean)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return OperationInput(path: candidate, name: clean)
        }
    }
}
