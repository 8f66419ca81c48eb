import Foundation
import GRDB
import PycelizeJSON
import RequestParsing

/// Dump, restore and database backups.
extension ChatService {
    var dumpsFolder: String { services.config.dataPath(services.config.dumpsPath) }

    /// Archives `{chat_id}/…` (metadata.json, uploads, intermediate, outputs) plus `{chat_id}/conversation_metadata.json`
    /// (the conversation as JSON) into `{dumps}/{chat_id}_{uts}.tar.gz`, the original's layout. Returns the file name.
    func dump(_ c: ConversationRecord) throws -> String {
        let folder = storage.path(storage.key(partition: c.partition_key, chatID: c.chat_id))
        var entries: [(String, String?)] = [(c.chat_id + "/", nil)]
        let fm = FileManager.default
        if let walker = fm.enumerator(atPath: folder) {
            for case let rel as String in walker.allObjects.compactMap({ $0 as? String }).sorted() {
                if rel == "conversation_metadata.json" { continue } // replaced by a fresh one below
                var isDir: ObjCBool = false
                let abs = (folder as NSString).appendingPathComponent(rel)
                guard fm.fileExists(atPath: abs, isDirectory: &isDir) else { continue }
                if (try? fm.destinationOfSymbolicLink(atPath: abs)) != nil { continue }
                entries.append(("\(c.chat_id)/\(rel)\(isDir.boolValue ? "/" : "")", isDir.boolValue ? nil : abs))
            }
        }
        try fm.createDirectory(atPath: dumpsFolder, withIntermediateDirectories: true)
        let meta = OutputFiles.temporaryPath(in: dumpsFolder, hint: "conversation_metadata.json")
        defer { unlink(meta) }
        var text = JSONSerializer.bytes(try json(c), options: .init(sortKeys: false, indent: 2))
        text.append(0x0A)
        try Data(text).write(to: URL(fileURLWithPath: meta))
        entries.append(("\(c.chat_id)/conversation_metadata.json", meta))
        let temp = OutputFiles.temporaryPath(in: dumpsFolder, hint: "dump.tar.gz")
        do { try TarArchive.write(to: temp, entries: entries) } catch {
            unlink(temp)
            throw error
        }
        return try OutputFiles.publish(temp: temp, directory: dumpsFolder, name: "\(c.chat_id)_\(ChatClock.stamp()).tar.gz")
    }

    /// Restores a dump (ours or the original's). The whole archive is validated before anything is touched; files
    /// are extracted into a fresh folder, moved into `{partition}/{chat_id}`, and the rows written in one transaction.
    func restore(archive path: String) throws -> ConversationRecord {
        let entries = try TarArchive.validate(path, limits: .init(maxTotalBytes: Int64(services.config.maxRestoreMB) << 20))
        guard let first = entries.first?.path.split(separator: "/").first.map(String.init) else {
            throw APIError.badRequest("Invalid dump file: empty archive")
        }
        let chatID = first
        guard entries.allSatisfy({ $0.path == chatID || $0.path.hasPrefix(chatID + "/") }),
              chatID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), chatID.count <= 100 else {
            throw APIError.badRequest("Invalid dump file: every member must be inside one conversation folder")
        }
        guard entries.contains(where: { $0.path == "\(chatID)/conversation_metadata.json" }) else {
            throw APIError.badRequest("Invalid dump file: metadata not found in archive (\(chatID)/conversation_metadata.json)")
        }
        if try store.conversation(chatID) != nil {
            throw APIError(.conflict, "Conversation \(chatID) already exists; delete it before restoring")
        }
        let workflows = services.config.dataPath(services.config.workflowsPath)
        let staging = (workflows as NSString).appendingPathComponent(".restore-\(UUID().uuidString)")
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: staging) }
        try TarArchive.extract(path, to: staging)
        let extracted = (staging as NSString).appendingPathComponent(chatID)
        let metaURL = URL(fileURLWithPath: (extracted as NSString).appendingPathComponent("conversation_metadata.json"))
        guard let meta = try? JSONParser.parse([UInt8](Data(contentsOf: metaURL))), case .object = meta else {
            throw APIError.badRequest("Invalid dump file: conversation_metadata.json is not a JSON object")
        }
        var partition = meta["partition_key"]?.stringValue ?? ""
        if partition.isEmpty,
           let folderMeta = try? JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: (extracted as NSString).appendingPathComponent("metadata.json"))))) {
            partition = folderMeta["partition_key"]?.stringValue ?? ""
        }
        if partition.isEmpty || SecureFilename.isTraversal(partition, allowSeparators: true) {
            partition = storage.partitionKey(chatID: chatID)
        }
        try? fm.removeItem(atPath: (extracted as NSString).appendingPathComponent("conversation_metadata.json"))
        for folder in ChatStorage.folders {
            try fm.createDirectory(atPath: (extracted as NSString).appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let now = ChatClock.now()
        let conversation = ConversationRecord(
            chat_id: chatID, participant_name: meta["participant_name"]?.stringValue ?? ParticipantNames.make(),
            status: meta["status"]?.stringValue ?? "created", partition_key: partition,
            metadata: JSONSerializer.string(meta["metadata"] ?? .object([])),
            created_at: meta["created_at"]?.stringValue ?? now, updated_at: meta["updated_at"]?.stringValue ?? now)
        // Files are re-keyed to where they now live (the dump may come from another partition or data directory).
        func fileRecords(_ key: String, _ type: String) -> [FileRecord] {
            (meta[key]?.arrayValue ?? []).compactMap(\.stringValue).compactMap { old in
                let parts = old.split(separator: "/").map(String.init)
                guard let idx = parts.lastIndex(of: chatID), idx + 1 < parts.count else { return nil }
                let rel = parts[(idx + 1)...].joined(separator: "/")
                guard fm.fileExists(atPath: (extracted as NSString).appendingPathComponent(rel)) else { return nil }
                return FileRecord(file_id: nil, chat_id: chatID, file_path: storage.key(partition: partition, chatID: chatID, rel),
                                  file_type: type, created_at: now)
            }
        }
        let files = fileRecords("uploaded_files", "uploaded") + fileRecords("output_files", "output")
        let messages: [MessageRecord] = (meta["messages"]?.arrayValue ?? []).compactMap { m in
            guard let id = m["message_id"]?.stringValue else { return nil }
            return MessageRecord(message_id: id, chat_id: chatID, message_type: m["message_type"]?.stringValue ?? "system",
                                 content: m["content"]?.stringValue ?? "", metadata: m["metadata"].map { JSONSerializer.string($0) },
                                 created_at: m["created_at"]?.stringValue ?? now)
        }
        let steps: [WorkflowStepRecord] = (meta["workflow_steps"]?.arrayValue ?? []).enumerated().compactMap { i, s in
            guard let id = s["step_id"]?.stringValue else { return nil }
            return WorkflowStepRecord(step_id: id, chat_id: chatID, operation: s["operation"]?.stringValue ?? "",
                                      arguments: JSONSerializer.string(s["arguments"] ?? .object([])),
                                      input_file: s["input_file"]?.stringValue, output_file: s["output_file"]?.stringValue,
                                      status: s["status"]?.stringValue ?? "completed", progress: Int(s["progress"]?.intValue ?? 0),
                                      error_message: s["error_message"]?.stringValue, started_at: s["started_at"]?.stringValue,
                                      completed_at: s["completed_at"]?.stringValue, position: i)
        }
        let target = storage.path(storage.key(partition: partition, chatID: chatID))
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) } // orphaned files without a row
        try fm.moveItem(atPath: extracted, toPath: target)
        do {
            try store.restore(conversation, messages: messages, steps: steps, files: files)
        } catch {
            try? fm.removeItem(atPath: target)
            if try store.conversation(chatID) != nil { throw APIError(.conflict, "Conversation \(chatID) already exists") }
            throw error
        }
        return conversation
    }

    /// Copies the database with SQLite's online backup API into `{snapshot_path}/chat_backup_{uts}.db`.
    func backup() throws -> (name: String, path: String) {
        let folder = services.config.dataPath(services.config.snapshotPath)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = "chat_backup_\(ChatClock.stamp()).db"
        let temp = OutputFiles.temporaryPath(in: folder, hint: name)
        do { try store.backup(to: temp) } catch {
            unlink(temp)
            throw error
        }
        let published = try OutputFiles.publish(temp: temp, directory: folder, name: name)
        return (published, (services.config.snapshotPath as NSString).appendingPathComponent(published))
    }

    /// Deletes snapshots older than `days`. Returns how many were removed.
    func pruneSnapshots(olderThan days: Int) -> Int {
        let folder = services.config.dataPath(services.config.snapshotPath)
        let cutoff = Date().addingTimeInterval(-Double(days) * 86400)
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("chat_backup_") && name.hasSuffix(".db") {
            let path = (folder as NSString).appendingPathComponent(name)
            if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, date < cutoff {
                if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
            }
        }
        return removed
    }
}

extension SQLiteConversationStore {
    public func restore(_ conversation: ConversationRecord, messages: [MessageRecord], steps: [WorkflowStepRecord],
                        files: [FileRecord]) throws {
        try pool.write { db in
            try conversation.insert(db)
            for m in messages { try m.insert(db) }
            for s in steps { try s.insert(db) }
            for var f in files { try f.insert(db) }
        }
    }

    public func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        try destination.close()
    }
}
