import Foundation

/// The web workbench's files (plain HTML, CSS and ES modules, no build step) read from one folder. Only plain
/// names are served: every path segment must be `[A-Za-z0-9._-]+` and not start with a dot, so `..`, `%2e%2e`,
/// encoded slashes and hidden files are refused before the file system is touched; the resolved path (symbolic
/// links followed) must still lie inside the folder.
struct WebAssets: Sendable {
    /// The folder, symbolic links resolved; nil when it does not exist.
    let root: String?

    /// Largest asset served (the workbench's files are a few kilobytes).
    static let maxBytes = 4 << 20

    init(config: ServerConfig) {
        let configured = config.webRoot.isEmpty ? Self.defaultRoot : config.webRoot
        let resolved = URL(fileURLWithPath: configured).standardizedFileURL.resolvingSymlinksInPath().path
        var isDir: ObjCBool = false
        root = FileManager.default.fileExists(atPath: resolved, isDirectory: &isDir) && isDir.boolValue ? resolved : nil
    }

    /// The repository's `Web/` folder, found from this source file's compiled-in path: a binary built from a clone
    /// (`swift build`, `scripts/serve.sh`, the tests) finds it from any working directory. An installed binary sets
    /// `web.root` instead.
    static var defaultRoot: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Web").path
    }

    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        /// A strong validator: a hash of the content, so it changes exactly when the file does.
        let etag: String
    }

    /// The asset with every `placeholder` in its text replaced by `value` (and its ETag recomputed).
    func substituting(_ placeholder: String, with value: String, in asset: Asset) -> Asset {
        let text = String(decoding: asset.bytes, as: UTF8.self).replacingOccurrences(of: placeholder, with: value)
        let bytes = Array(text.utf8)
        return Asset(bytes: bytes, contentType: asset.contentType, etag: "\"\(Self.hash(bytes))\"")
    }

    /// The asset at `relative` (segments below the root, as they appear in the URL), or nil (→ 404).
    func asset(_ relative: [Substring]) -> Asset? {
        guard let root, !relative.isEmpty, relative.allSatisfy(Self.isPlainSegment) else { return nil }
        let path = URL(fileURLWithPath: root).appendingPathComponent(relative.joined(separator: "/"))
            .resolvingSymlinksInPath().path
        guard path.hasPrefix(root + "/"),
              let attrs = try? FileManager.default.attributesOfItem(atPath: path),
              (attrs[.type] as? FileAttributeType) == .typeRegular,
              let size = (attrs[.size] as? NSNumber)?.intValue, size <= Self.maxBytes,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        return Asset(bytes: bytes, contentType: Self.contentType(path), etag: "\"\(Self.hash(bytes))\"")
    }

    static func isPlainSegment(_ segment: Substring) -> Bool {
        guard let first = segment.first, first != ".", segment.count <= 128 else { return false }
        return segment.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D
        }
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }

    /// 64-bit FNV-1a, hex.
    static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
