import Foundation
import GRDB
import PycelizeJSON

/// A conversation row (`conversations`).
public struct ConversationRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "conversations"
    public var chat_id: String
    public var participant_name: String
    public var status: String
    public var partition_key: String
    /// JSON object text.
    public var metadata: String
    public var created_at: String
    public var updated_at: String
}

/// A message row (`messages`).
public struct MessageRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "messages"
    public var message_id: String
    public var chat_id: String
    public var message_type: String
    public var content: String
    public var metadata: String?
    public var created_at: String
}

/// A workflow step row (`workflow_steps`).
public struct WorkflowStepRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "workflow_steps"
    public var step_id: String
    public var chat_id: String
    public var operation: String
    public var arguments: String
    public var input_file: String?
    public var output_file: String?
    public var status: String
    public var progress: Int
    public var error_message: String?
    public var started_at: String?
    public var completed_at: String?
    /// Order within the conversation (not in the original; steps were ordered by started_at, which it never wrote).
    public var position: Int
}

/// A file row (`files`). `file_path` is a key relative to the data directory (`./automation/workflows/...`).
public struct FileRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "files"
    public var file_id: Int64?
    public var chat_id: String
    public var file_path: String
    public var file_type: String
    public var created_at: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { file_id = inserted.rowID }
}

/// Timestamps as the original wrote them: naive UTC ISO 8601 with microseconds (`2026-11-25T02:40:41.470885`).
public enum ChatClock {
    public static func now(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0, micros)
    }

    /// `YYYYmmdd_HHMMSS` in UTC (the chat subsystem's `uts`).
    public static func stamp(_ date: Date = Date()) -> String { OutputFiles.timestamp(date, utc: true) }
}
