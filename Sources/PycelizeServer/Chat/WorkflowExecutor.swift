import Foundation
import Logging
import PycelizeJSON
import RequestParsing

/// Receives workflow events (the WebSocket hub subscribes here; the executor never talks to sockets directly).
public protocol WorkflowEventSink: Sendable {
    func publish(chatID: String, event: JSONValue)
}

/// Drops every event (used until a hub is attached, and in tests).
public struct NullEventSink: WorkflowEventSink {
    public init() {}
    public func publish(chatID: String, event: JSONValue) {}
}

/// One requested step.
public struct WorkflowStepRequest: Sendable {
    public let operation: String?
    public let arguments: JSONValue
}

/// What an execution produced: per-step results and the outputs recorded for this run.
public struct WorkflowRun: Sendable {
    public var results: [JSONValue] = []
    public var outputKeys: [String] = []
}

/// Runs a conversation's steps in order through the plugin registry. Knows operation names only from the registry:
/// a third-party operation runs exactly like a bundled one. Step k+1 reads step k's output (or k's input when k
/// produced no file); the final step's outputs go to `outputs/`, the others' to `intermediate/`; files are recorded
/// in SQLite only once complete; steps are persisted with status, progress and timestamps.
struct WorkflowExecutor: Sendable {
    let services: ServerServices
    let store: any ConversationStore
    let storage: ChatStorage
    let events: any WorkflowEventSink

    struct Failure: Error {
        let error: APIError
    }

    func execute(conversation: ConversationRecord, steps: [WorkflowStepRequest], input firstInput: OperationInput,
                 downloadURL: @Sendable (String) -> String) async throws -> WorkflowRun {
        let chatID = conversation.chat_id
        let total = steps.count
        var run = WorkflowRun()
        var input = firstInput
        let stamp = ChatClock.stamp()
        events.publish(chatID: chatID, event: [
            "type": "workflow_started", "chat_id": .string(chatID), "total_steps": .int(Int64(total)),
            "message": "Workflow execution started",
        ])
        for (index, step) in steps.enumerated() {
            let stepID = UUID().uuidString.lowercased()
            let opName = step.operation
            var record = WorkflowStepRecord(
                step_id: stepID, chat_id: chatID, operation: opName ?? "", arguments: JSONSerializer.string(step.arguments),
                input_file: storage.relativeKey(forPath: input.path), output_file: nil, status: "running", progress: 0,
                error_message: nil, started_at: ChatClock.now(), completed_at: nil, position: index)
            try store.saveStep(record)
            progress(chatID, stepID, opName, 0, "running", "Starting step execution")
            do {
                guard let name = opName, let operation = services.operations.first(where: { $0.name == name }) else {
                    throw APIError.validation("No handler found for operation: \(opName ?? "None")")
                }
                let isLast = index == total - 1
                let folder = storage.path(storage.key(partition: conversation.partition_key, chatID: chatID,
                                                       isLast ? "outputs" : "intermediate"))
                let planner = WorkflowPlanner(directory: folder, inputBase: SecureFilename.baseName(input.name), stamp: stamp)
                let throttle = ProgressThrottle()
                let result = try await services.runner.run(
                    operation, arguments: step.arguments, inputs: operation.needsInput || operation.twoInputs ? [input] : [],
                    planner: planner,
                    namedFiles: storage.namedFileResolver(partition: conversation.partition_key, chatID: chatID),
                    timeout: .seconds(services.config.stepTimeoutSeconds), callKind: "workflow",
                    progress: { fraction, message in
                        guard let percent = throttle.accept(fraction) else { return }
                        self.progress(chatID, stepID, opName, percent, "running", message ?? "Processing")
                    })
                var stepResult = result.directives.workflowResult
                if let first = result.outputs.first {
                    for output in result.outputs {
                        let key = storage.relativeKey(forPath: output.path)
                        try store.addFile(FileRecord(file_id: nil, chat_id: chatID, file_path: key, file_type: "output",
                                                     created_at: ChatClock.now()))
                        run.outputKeys.append(key)
                    }
                    let key = storage.relativeKey(forPath: first.path)
                    stepResult = stepResult.setting("output_file_path", .string(key))
                        .setting("download_url", .string(downloadURL(first.fileName)))
                    input = OperationInput(path: first.path, name: first.fileName)
                    record.output_file = key
                } else {
                    stepResult = stepResult.setting("output_file_path", .null)
                }
                run.results.append(stepResult)
                record.status = "completed"
                record.progress = 100
                record.completed_at = ChatClock.now()
                try store.saveStep(record)
                progress(chatID, stepID, opName, 100, "completed", "Step completed successfully")
            } catch {
                let api = APIError.from(error)
                if let detail = api.detail { services.logger.error("workflow step \(opName ?? "?") failed: \(detail)") }
                record.status = "failed"
                record.error_message = api.message
                record.completed_at = ChatClock.now()
                try? store.saveStep(record)
                progress(chatID, stepID, opName, record.progress, "failed", "Step failed: \(api.message)")
                let message = "Workflow failed at step \(index + 1)/\(total): \(api.message)"
                events.publish(chatID: chatID, event: [
                    "type": "workflow_failed", "chat_id": .string(chatID), "error": .string(message),
                    "message": "Workflow execution failed",
                ])
                throw Failure(error: APIError(api.status, "Workflow execution failed: \(message)"))
            }
        }
        events.publish(chatID: chatID, event: [
            "type": "workflow_completed", "chat_id": .string(chatID), "total_steps": .int(Int64(total)),
            "output_files_count": .int(Int64(run.outputKeys.count)), "message": "Workflow execution completed successfully",
        ])
        return run
    }

    private func progress(_ chatID: String, _ stepID: String, _ op: String?, _ percent: Int, _ status: String, _ message: String) {
        events.publish(chatID: chatID, event: [
            "type": "progress", "chat_id": .string(chatID), "step_id": .string(stepID),
            "operation": op.map(JSONValue.string) ?? .null, "progress": .int(Int64(percent)), "status": .string(status),
            "message": .string(message),
        ])
    }
}

/// Passes a progress update on only when the whole percentage grew and at most ten times a second, so a client is
/// never flooded however often a plugin reports.
final class ProgressThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPercent = 0
    private var lastTime = Date.distantPast

    func accept(_ fraction: Double) -> Int? {
        let percent = min(99, max(1, Int(fraction * 100)))
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard percent > lastPercent, now.timeIntervalSince(lastTime) >= 0.1 else { return nil }
        lastPercent = percent
        lastTime = now
        return percent
    }
}

/// Output naming inside a conversation: `{input-base}_{suffix}_{timestamp}.{ext}` (a taken name gets `_2`, …).
struct WorkflowPlanner: OutputPlanner {
    let directory: String
    let inputBase: String
    let stamp: String

    func directory(forOutput index: Int) -> String { directory }

    func fileName(forOutput index: Int, suffix: String, fileExtension: String) -> String {
        "\(inputBase.isEmpty ? "output" : inputBase)_\(suffix)_\(stamp).\(fileExtension)"
    }
}

extension ChatStorage {
    /// The stored key of an absolute path inside the data directory (`./automation/...`).
    func relativeKey(forPath path: String) -> String {
        let base = URL(fileURLWithPath: config.dataDirectory).standardizedFileURL.path
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        guard full.hasPrefix(base + "/") else { return path }
        let rel = String(full.dropFirst(base.count + 1))
        return config.workflowsPath.hasPrefix("./") ? "./" + rel : rel
    }
}
