import Foundation

/// Where a conversation's files live: `{workflows_path}/{partition_key}/{chat_id}/{uploads,intermediate,outputs}`.
/// Keys stored in SQLite are relative to the data directory (`./automation/workflows/2026/11/<id>/uploads/x.csv`),
/// never absolute, so the data directory can move.
public struct ChatStorage: Sendable {
    public let config: ServerConfig

    public init(config: ServerConfig) { self.config = config }

    public static let folders = ["uploads", "intermediate", "outputs"]

    /// `YYYY/MM` (UTC creation month) or `ab/cd` (first characters of the id), per the configuration.
    public func partitionKey(chatID: String, created: Date = Date()) -> String {
        if config.partitionStrategy == "hash-based" {
            let chars = Array(chatID)
            guard chars.count >= 4 else { return "00/00" }
            return "\(String(chars[0..<2]))/\(String(chars[2..<4]))"
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month], from: created)
        return String(format: "%04d/%02d", c.year ?? 1970, c.month ?? 1)
    }

    /// The stored key of a conversation folder (or a file inside it).
    public func key(partition: String, chatID: String, _ components: String...) -> String {
        var base = config.workflowsPath
        while base.hasSuffix("/") { base.removeLast() }
        return ([base, partition, chatID] + components).joined(separator: "/")
    }

    /// Absolute path of a stored key.
    public func path(_ key: String) -> String { config.dataPath(key) }

    public func createFolders(partition: String, chatID: String, createdAt: String) throws {
        let fm = FileManager.default
        for f in ChatStorage.folders {
            try fm.createDirectory(atPath: path(key(partition: partition, chatID: chatID, f)), withIntermediateDirectories: true)
        }
        let meta = "{\n  \"chat_id\": \"\(chatID)\",\n  \"created_at\": \"\(createdAt)\",\n  \"partition_key\": \"\(partition)\"\n}"
        try Data(meta.utf8).write(to: URL(fileURLWithPath: path(key(partition: partition, chatID: chatID, "metadata.json"))),
                                  options: .atomic)
    }

    public func removeFolder(partition: String, chatID: String) {
        try? FileManager.default.removeItem(atPath: path(key(partition: partition, chatID: chatID)))
    }
}
