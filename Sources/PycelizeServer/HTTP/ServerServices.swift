import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Everything the route handlers share. Immutable after start-up.
public struct ServerServices: Sendable {
    public let config: ServerConfig
    public let runner: OperationRunner
    public let envelope: Envelope
    public let urls: DownloadURLs
    public let plugins: [PluginRecord]
    public let operations: [LoadedOperation]
    public let logger: Logger
    /// Uploads in progress, against `server.max_concurrent_uploads`.
    public let uploads: UploadSlots
}

/// Builds absolute download URLs from the request's scheme and host, honouring `X-Forwarded-Proto` and
/// `X-Forwarded-Host` only when the server is configured to be behind a proxy.
public struct DownloadURLs: Sendable {
    public let prefix: String
    public let behindProxy: Bool
    public let fallbackHost: String

    func origin(_ request: Request) -> String {
        var scheme = "http"
        var host = request.head.authority ?? fallbackHost
        if behindProxy {
            if let p = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first {
                scheme = p.trimmingCharacters(in: CharacterSet.whitespaces)
            }
            if let h = request.headers[HTTPField.Name("X-Forwarded-Host")!]?.split(separator: ",").first {
                host = h.trimmingCharacters(in: CharacterSet.whitespaces)
            }
        }
        return "\(scheme)://\(host)"
    }

    /// `{origin}{prefix}/files/downloads/{name}` (name percent-encoded).
    public func fileDownloadURL(_ request: Request, name: String) -> String {
        "\(origin(request))\(prefix)/files/downloads/\(DownloadURLs.encode(name))"
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
