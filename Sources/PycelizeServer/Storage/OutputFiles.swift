import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RequestParsing

/// Publishing of generated files: written under a temporary name in the target folder, then linked to the final
/// name without ever replacing an existing file (a taken name gets `_2`, `_3`, …), then the temporary is removed.
/// Readers never see a half-written output.
public enum OutputFiles {
    /// `YYYYmmdd_HHMMSS` in local time (the original's REST `ts`).
    public static func timestamp(_ date: Date = Date(), utc: Bool = false) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = utc ? TimeZone(identifier: "UTC") : TimeZone.current
        f.dateFormat = "yyyyMMdd_HHmmss"
        return f.string(from: date)
    }

    /// A unique temporary path inside `directory`.
    public static func temporaryPath(in directory: String, hint: String) -> String {
        (directory as NSString).appendingPathComponent(".tmp-\(UUID().uuidString.prefix(12))-\(hint)")
    }

    /// Moves `temp` to `directory/name` (or the first free `name_N.ext`), returning the final file name.
    public static func publish(temp: String, directory: String, name: String) throws -> String {
        let base = SecureFilename.baseName(name)
        let ext = SecureFilename.fileExtension(name)
        for attempt in 1...1000 {
            let candidate = attempt == 1 ? name : "\(base)_\(attempt)\(ext)"
            let final = (directory as NSString).appendingPathComponent(candidate)
            if link(temp, final) == 0 {
                unlink(temp)
                return candidate
            }
            if errno != EEXIST {
                let failure = RequestError.storageFailure("Failed to save output file", errno: errno, detail: final)
                unlink(temp)
                throw APIError(failure)
            }
        }
        unlink(temp)
        throw APIError.internalError("Failed to save output file: no free name for \(name)")
    }
}
