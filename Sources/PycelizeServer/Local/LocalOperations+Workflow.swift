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
    public func runWorkflow(_ steps: [WorkflowStepRequest], file: String, directory: String,
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
                                              planner: planner, timeout: .seconds(config.stepTimeoutSeconds),
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
}
