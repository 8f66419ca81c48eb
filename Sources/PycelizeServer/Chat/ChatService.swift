import Foundation
import PycelizeJSON
import RequestParsing

/// The chat-workflow use cases behind the `/chat/workflows` routes: conversations, uploads, executions, deletion.
public final class ChatService: @unchecked Sendable {
    let services: ServerServices
    let store: any ConversationStore
    let storage: ChatStorage
    let events: any WorkflowEventSink
    private let lock = NSLock()
    private var running = Set<String>()

    init(services: ServerServices, store: any ConversationStore, events: any WorkflowEventSink) {
        self.services = services
        self.store = store
        storage = ChatStorage(config: services.config)
        self.events = events
    }

    // MARK: Conversations

    func create() throws -> ConversationRecord {
        let chatID = UUID().uuidString.lowercased()
        let now = ChatClock.now()
        let partition = storage.partitionKey(chatID: chatID)
        let record = ConversationRecord(chat_id: chatID, participant_name: ParticipantNames.make(), status: "created",
                                        partition_key: partition, metadata: "{}", created_at: now, updated_at: now)
        try storage.createFolders(partition: partition, chatID: chatID, createdAt: now)
        do { try store.insert(record) } catch {
            storage.removeFolder(partition: partition, chatID: chatID)
            throw error
        }
        return record
    }

    func require(_ chatID: String) throws -> ConversationRecord {
        guard let c = try store.conversation(chatID) else { throw APIError.notFound("Conversation not found") }
        return c
    }

    /// The original's `to_dict()`.
    func json(_ c: ConversationRecord) throws -> JSONValue {
        let messages: [JSONValue] = try store.messages(c.chat_id).map { m in
            .object([
                ("message_id", .string(m.message_id)), ("message_type", .string(m.message_type)),
                ("content", .string(m.content)),
                ("metadata", m.metadata.flatMap { try? JSONParser.parse($0) } ?? .object([])),
                ("created_at", .string(m.created_at)),
            ])
        }
        let steps: [JSONValue] = try store.steps(c.chat_id).map { s in
            .object([
                ("step_id", .string(s.step_id)), ("operation", .string(s.operation)),
                ("arguments", (try? JSONParser.parse(s.arguments)) ?? .object([])),
                ("input_file", s.input_file.map(JSONValue.string) ?? .null),
                ("output_file", s.output_file.map(JSONValue.string) ?? .null),
                ("status", .string(s.status)), ("progress", .int(Int64(s.progress))),
                ("error_message", s.error_message.map(JSONValue.string) ?? .null),
                ("started_at", s.started_at.map(JSONValue.string) ?? .null),
                ("completed_at", s.completed_at.map(JSONValue.string) ?? .null),
            ])
        }
        let files = try store.files(c.chat_id, type: nil)
        return .object([
            ("chat_id", .string(c.chat_id)), ("participant_name", .string(c.participant_name)),
            ("status", .string(c.status)), ("messages", .array(messages)), ("workflow_steps", .array(steps)),
            ("uploaded_files", .array(files.filter { $0.file_type == "uploaded" }.map { .string($0.file_path) })),
            ("output_files", .array(files.filter { $0.file_type == "output" }.map { .string($0.file_path) })),
            ("metadata", (try? JSONParser.parse(c.metadata)) ?? .object([])),
            ("created_at", .string(c.created_at)), ("updated_at", .string(c.updated_at)),
            ("partition_key", .string(c.partition_key)),
        ])
    }

    static func rowJSON(_ c: ConversationRecord) -> JSONValue {
        .object([
            ("chat_id", .string(c.chat_id)), ("participant_name", .string(c.participant_name)),
            ("status", .string(c.status)), ("partition_key", .string(c.partition_key)),
            ("metadata", (try? JSONParser.parse(c.metadata)) ?? .object([])),
            ("created_at", .string(c.created_at)), ("updated_at", .string(c.updated_at)),
        ])
    }

    func delete(_ chatID: String) throws {
        let c = try require(chatID)
        guard try store.delete(chatID) else { throw APIError.notFound("Conversation not found") }
        storage.removeFolder(partition: c.partition_key, chatID: chatID)
    }

    // MARK: Uploads

    /// Moves an uploaded temp file into `uploads/`, replacing a same-named file and its record.
    func upload(_ c: ConversationRecord, file: UploadedFile) throws -> (name: String, key: String) {
        let name = try SecureFilename.uploadName(file.clientName)
        guard !name.isEmpty else { throw APIError.validation("Empty filename") }
        let ext = SecureFilename.fileExtension(name)
        let allowed = services.config.chatAllowedExtensions.map { $0.lowercased() }
        guard allowed.contains(ext) else {
            throw APIError.validation("File type '\(ext.isEmpty ? name : ext)' is not allowed. Allowed: \(allowed.joined(separator: ", "))")
        }
        let key = storage.key(partition: c.partition_key, chatID: c.chat_id, "uploads", name)
        let path = storage.path(key)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        guard rename(file.path, path) == 0 else {
            throw APIError(RequestError.storageFailure("Failed to upload file", errno: errno, detail: "\(file.path) → \(path)"))
        }
        let now = ChatClock.now()
        try store.recordUpload(
            FileRecord(file_id: nil, chat_id: c.chat_id, file_path: key, file_type: "uploaded", created_at: now),
            message: MessageRecord(message_id: UUID().uuidString.lowercased(), chat_id: c.chat_id, message_type: "file_upload",
                                   content: "File uploaded: \(name)",
                                   metadata: JSONSerializer.string(["file_path": .string(key)]), created_at: now))
        return (name, key)
    }

    // MARK: Execution

    func execute(_ c: ConversationRecord, steps: [WorkflowStepRequest],
                 downloadURL: @escaping @Sendable (String) -> String) async throws -> WorkflowRun {
        guard steps.count <= services.config.maxSteps else {
            throw APIError.validation("Too many steps: \(steps.count) (the limit is \(services.config.maxSteps))")
        }
        guard let last = try store.files(c.chat_id, type: "uploaded").last else {
            throw APIError.validation("No uploaded file found for processing")
        }
        let path = storage.path(last.file_path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw APIError.validation("No uploaded file found for processing")
        }
        guard claim(c.chat_id) else {
            throw APIError(.conflict, "A workflow is already running for this conversation; wait for it to finish")
        }
        defer { release(c.chat_id) }
        try store.setStatus(c.chat_id, "processing")
        let executor = WorkflowExecutor(services: services, store: store, storage: storage, events: events)
        do {
            let run = try await executor.execute(
                conversation: c, steps: steps,
                input: OperationInput(path: path, name: (last.file_path as NSString).lastPathComponent),
                downloadURL: downloadURL)
            try store.setStatus(c.chat_id, "completed")
            return run
        } catch let failure as WorkflowExecutor.Failure {
            try? store.setStatus(c.chat_id, "failed")
            throw failure.error
        } catch {
            try? store.setStatus(c.chat_id, "failed")
            throw error
        }
    }

    /// Marks a conversation as executing; false if it already is (→ 409).
    private func claim(_ chatID: String) -> Bool {
        lock.withLock { running.insert(chatID).inserted }
    }

    private func release(_ chatID: String) {
        lock.withLock { _ = running.remove(chatID) }
    }

    /// Finds a conversation file for download: uploads, then outputs, then intermediate.
    func file(_ c: ConversationRecord, rawName: String) throws -> String {
        let name = try SecureFilename.downloadName(rawName)
        for folder in ["uploads", "outputs", "intermediate"] {
            let path = storage.path(storage.key(partition: c.partition_key, chatID: c.chat_id, folder, name))
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { return path }
        }
        throw APIError.notFound("File not found")
    }
}
