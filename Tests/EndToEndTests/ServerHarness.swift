import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Starts the real `pycelize` binary on a free port with a temporary data directory and plugins directory, and
/// talks HTTP to it. The binary and the bundled plugin libraries are found next to the test bundle (swift test
/// builds them into the same folder).
final class ServerHarness: @unchecked Sendable {
    let root: URL
    let dataDir: URL
    let pluginsDir: URL
    let process = Process()
    private(set) var port = 0
    private(set) var wsPort = 0
    private let stdout = Pipe()
    private let stderrFile: URL

    static var buildDirectory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Linux the test runner may live inside a `.xctest` folder.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("pycelize").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// - Parameters:
    ///   - pluginFiles: extra `plugins.d` files (name → YAML text) beside the four bundled ones.
    ///   - environment: extra environment variables for the server.
    init(pluginFiles: [String: String] = [:], environment: [String: String] = [:], configYAML: String? = nil,
         reuseRoot: URL? = nil) throws {
        root = reuseRoot ?? FileManager.default.temporaryDirectory.appendingPathComponent("pz-e2e-\(UUID().uuidString)")
        dataDir = root.appendingPathComponent("data")
        pluginsDir = root.appendingPathComponent("plugins.d")
        stderrFile = root.appendingPathComponent("server.log")
        let fm = FileManager.default
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        try fm.createDirectory(at: pluginsDir, withIntermediateDirectories: true)
        let bundled = ServerHarness.packageRoot.appendingPathComponent("plugins.d")
        for name in try fm.contentsOfDirectory(atPath: bundled.path) where !fm.fileExists(atPath: pluginsDir.appendingPathComponent(name).path) {
            try fm.copyItem(at: bundled.appendingPathComponent(name), to: pluginsDir.appendingPathComponent(name))
        }
        for (name, text) in pluginFiles {
            try Data(text.utf8).write(to: pluginsDir.appendingPathComponent(name))
        }
        let binary = ServerHarness.buildDirectory.appendingPathComponent("pycelize")
        guard fm.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("pycelize binary not found at \(binary.path); run `swift build` first")
        }
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0", "--ws-port", "0", "--data-dir", dataDir.path, "--plugins-dir", pluginsDir.path]
        if let yaml = configYAML {
            let file = root.appendingPathComponent("config.yml")
            try Data(yaml.utf8).write(to: file)
            process.arguments? += ["--config", file.path]
        }
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = stdout
        fm.createFile(atPath: stderrFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        port = try waitForPort()
    }

    /// Reads the banner until the "Listening on" line and returns the port.
    private func waitForPort() throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        let handle = stdout.fileHandleForReading
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { if !process.isRunning { break }; continue }
            text += String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n")
            if let line = lines.first(where: { $0.hasPrefix("Listening on ") }),
               let p = line.split(separator: ":").last.flatMap({ Int($0) }) {
                if let ws = lines.first(where: { $0.hasPrefix("WebSocket listening on ") }),
                   let w = ws.split(separator: ":").last.flatMap({ Int($0) }) {
                    wsPort = w
                }
                return p
            }
        }
        throw NSError(domain: "ServerHarness", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)\n\(log)"])
    }

    var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    func stop(keepFiles: Bool = false) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keepFiles { try? FileManager.default.removeItem(at: root) }
    }

    /// SIGKILL: the server gets no chance to clean up (crash tests).
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var base: String { "http://127.0.0.1:\(port)" }

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
        var message: String { json["message"] as? String ?? "" }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) throws -> Reply {
        var req = URLRequest(url: URL(string: path.hasPrefix("http") ? path : base + path)!)
        req.httpMethod = method
        req.httpBody = body
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        req.timeoutInterval = 60
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var reply: Reply?; var error: Error? }
        let box = Box()
        URLSession.shared.dataTask(with: req) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h["\(k)"] = "\(v)" }
                box.reply = Reply(status: http.statusCode, headers: h, body: data ?? Data())
            }
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let r = box.reply { return r }
        throw box.error ?? NSError(domain: "ServerHarness", code: 2)
    }

    func get(_ path: String) throws -> Reply { try request("GET", path) }

    /// A multipart POST with files (`field` → (client filename, bytes)) and text fields.
    func postForm(_ path: String, files: [String: (String, Data)], fields: [String: String] = [:]) throws -> Reply {
        let boundary = "pz-boundary-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, (filename, bytes)) in files.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try request("POST", path, body: body, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
    }
}

/// Compiles the plain-C test plugin with `cc` against the public header.
enum CPluginBuilder {
    static func build(into dir: URL, name: String, defines: [String] = [], source file: String = "filter_plugin.c") throws -> URL {
        let source = ServerHarness.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/c_plugin/\(file)")
        let include = ServerHarness.packageRoot.appendingPathComponent("Sources/PluginABI/include")
        let output = dir.appendingPathComponent("lib\(name).so")
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-std=c99", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Werror", "-shared", "-fPIC",
                        "-I", include.path] + defines.map { "-D\($0)" } + [source.path, "-o", output.path]
        let err = Pipe()
        cc.standardError = err
        try cc.run()
        cc.waitUntilExit()
        guard cc.terminationStatus == 0 else {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw NSError(domain: "CPluginBuilder", code: Int(cc.terminationStatus), userInfo: [NSLocalizedDescriptionKey: text])
        }
        return output
    }
}
