import Foundation
import GRDB

/// Metadata storage for chat workflows. One SQLite implementation today; the protocol keeps SQL out of the routes
/// so a PostgreSQL store can follow (docs/architecture.md, growth path).
public protocol ConversationStore: Sendable {
    func insert(_ conversation: ConversationRecord) throws
    func conversation(_ chatID: String) throws -> ConversationRecord?
    func list(status: String?, limit: Int, offset: Int) throws -> [ConversationRecord]
    func setStatus(_ chatID: String, _ status: String) throws
    func delete(_ chatID: String) throws -> Bool
    func messages(_ chatID: String) throws -> [MessageRecord]
    func addMessage(_ message: MessageRecord) throws
    func files(_ chatID: String, type: String?) throws -> [FileRecord]
    /// Records an uploaded file, replacing an earlier record of the same path (and its message) in one transaction.
    func recordUpload(_ file: FileRecord, message: MessageRecord) throws
    func addFile(_ file: FileRecord) throws
    func saveStep(_ step: WorkflowStepRecord) throws
    func steps(_ chatID: String) throws -> [WorkflowStepRecord]
    /// Marks steps left `running`/`pending` by a crash as failed and their conversations as failed.
    func recoverInterruptedRuns() throws -> Int
    /// Inserts a restored conversation with its rows, all or nothing.
    func restore(_ conversation: ConversationRecord, messages: [MessageRecord], steps: [WorkflowStepRecord],
                 files: [FileRecord]) throws
    /// Copies the database to `path` with SQLite's online backup API.
    func backup(to path: String) throws
}

/// The GRDB/SQLite store: WAL, foreign keys, versioned migrations.
public final class SQLiteConversationStore: ConversationStore {
    let pool: DatabasePool

    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        try SQLiteConversationStore.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: original schema") { db in
            try db.execute(sql: """
                CREATE TABLE conversations(chat_id TEXT PRIMARY KEY, participant_name TEXT NOT NULL, status TEXT NOT NULL,
                    partition_key TEXT, metadata TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE messages(message_id TEXT PRIMARY KEY,
                    chat_id TEXT NOT NULL REFERENCES conversations(chat_id) ON DELETE CASCADE,
                    message_type TEXT NOT NULL, content TEXT NOT NULL, metadata TEXT, created_at TEXT NOT NULL);
                CREATE TABLE workflow_steps(step_id TEXT PRIMARY KEY,
                    chat_id TEXT NOT NULL REFERENCES conversations(chat_id) ON DELETE CASCADE,
                    operation TEXT NOT NULL, arguments TEXT NOT NULL, input_file TEXT, output_file TEXT,
                    status TEXT NOT NULL, progress INTEGER DEFAULT 0, error_message TEXT, started_at TEXT,
                    completed_at TEXT, position INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE files(file_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    chat_id TEXT NOT NULL REFERENCES conversations(chat_id) ON DELETE CASCADE,
                    file_path TEXT NOT NULL, file_type TEXT NOT NULL, created_at TEXT NOT NULL);
                CREATE INDEX idx_conv_status ON conversations(status);
                CREATE INDEX idx_conv_created ON conversations(created_at);
                CREATE INDEX idx_messages_chat ON messages(chat_id);
                CREATE INDEX idx_steps_chat ON workflow_steps(chat_id);
                CREATE INDEX idx_files_chat ON files(chat_id);
                """)
        }
        return m
    }

    public func insert(_ conversation: ConversationRecord) throws {
        try pool.write { try conversation.insert($0) }
    }

    public func conversation(_ chatID: String) throws -> ConversationRecord? {
        try pool.read { try ConversationRecord.fetchOne($0, key: chatID) }
    }

    public func list(status: String?, limit: Int, offset: Int) throws -> [ConversationRecord] {
        try pool.read { db in
            var request = ConversationRecord.all()
            if let status { request = request.filter(Column("status") == status) }
            return try request.order(Column("created_at").desc, Column("chat_id")).limit(limit, offset: offset).fetchAll(db)
        }
    }

    public func setStatus(_ chatID: String, _ status: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE conversations SET status = ?, updated_at = ? WHERE chat_id = ?",
                           arguments: [status, ChatClock.now(), chatID])
        }
    }

    public func delete(_ chatID: String) throws -> Bool {
        try pool.write { try ConversationRecord.deleteOne($0, key: chatID) }
    }

    public func messages(_ chatID: String) throws -> [MessageRecord] {
        try pool.read { try MessageRecord.filter(Column("chat_id") == chatID).order(Column("created_at"), Column("rowid")).fetchAll($0) }
    }

    public func addMessage(_ message: MessageRecord) throws {
        try pool.write { try message.insert($0) }
    }

    public func files(_ chatID: String, type: String?) throws -> [FileRecord] {
        try pool.read { db in
            var request = FileRecord.filter(Column("chat_id") == chatID)
            if let type { request = request.filter(Column("file_type") == type) }
            return try request.order(Column("created_at"), Column("file_id")).fetchAll(db)
        }
    }

    public func recordUpload(_ file: FileRecord, message: MessageRecord) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM files WHERE chat_id = ? AND file_path = ? AND file_type = 'uploaded'",
                           arguments: [file.chat_id, file.file_path])
            var f = file
            try f.insert(db)
            try message.insert(db)
            try db.execute(sql: "UPDATE conversations SET updated_at = ? WHERE chat_id = ?",
                           arguments: [ChatClock.now(), file.chat_id])
        }
    }

    public func addFile(_ file: FileRecord) throws {
        try pool.write { db in
            var f = file
            try f.insert(db)
        }
    }

    public func saveStep(_ step: WorkflowStepRecord) throws {
        try pool.write { try step.save($0) }
    }

    public func steps(_ chatID: String) throws -> [WorkflowStepRecord] {
        try pool.read { try WorkflowStepRecord.filter(Column("chat_id") == chatID).order(Column("started_at"), Column("position")).fetchAll($0) }
    }

    public func recoverInterruptedRuns() throws -> Int {
        try pool.write { db in
            let now = ChatClock.now()
            try db.execute(sql: """
                UPDATE workflow_steps SET status = 'failed', error_message = 'Interrupted: the server stopped during execution',
                    completed_at = ? WHERE status IN ('running', 'pending')
                """, arguments: [now])
            let steps = db.changesCount
            try db.execute(sql: "UPDATE conversations SET status = 'failed', updated_at = ? WHERE status = 'processing'",
                           arguments: [now])
            return steps + db.changesCount
        }
    }
}
