import Foundation
import RequestParsing

extension ChatStorage {
    /// Resolves `open_named_file` names for a workflow step: a plain file name (already checked by
    /// `NamedFileRule`) of this conversation, looked up in `uploads/`, then `intermediate/`, then `outputs/`.
    /// Never a server path: the name is sanitised like an upload name, so `my data.csv` finds `my_data.csv`.
    func namedFileResolver(partition: String, chatID: String) -> @Sendable (String) -> OperationInput? {
        let folders = ChatStorage.folders.map { path(key(partition: partition, chatID: chatID, $0)) }
        return { name in
            let clean = SecureFilename.sanitize(name)
            guard !clean.isEmpty else { return nil }
            for folder in folders {
                let candidate = (folder as NSString).appendingPathComponent(clean)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue {
                    return OperationInput(path: candidate, name: clean)
                }
            }
            return nil
        }
    }
}
