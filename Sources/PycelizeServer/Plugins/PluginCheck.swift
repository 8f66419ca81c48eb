import Foundation
import Logging
import PycelizeJSON

/// `pycelize plugins check`: loads one plugin the way the server does — after the plugins of the configured
/// `plugins.d/`, so a clash of plugin or operation names shows too — and reports what the server would list or
/// why it would refuse the plugin. Meant to run in a child process (a crashing plugin takes only that down).
public enum PluginCheck {
    /// The verdict for `library` (a `.so` path, or a `plugins.d` manifest `.yml`): the plugin as `GET /plugins`
    /// lists it, its operations as `GET /operations` lists them, and whether the server would accept it.
    public static func run(library: String, config: ServerConfig, logger: Logger) -> (report: JSONValue, accepted: Bool) {
        let loader = PluginLoader(searchPath: PycelizeServer.librarySearchPath(config), logger: logger)
        loader.loadDirectory(config.pluginsDirectory)
        let absolute = URL(fileURLWithPath: library).standardizedFileURL
        let real = absolute.resolvingSymlinksInPath().path
        var record = loader.records.first { record in
            record.libraryPath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path == real } ?? false
                || URL(fileURLWithPath: record.manifestFile).resolvingSymlinksInPath().path == real
        }
        if record == nil {
            if library.hasSuffix(".yml") || library.hasSuffix(".yaml") {
                loader.loadManifest(absolute.path)
            } else {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pycelize-check-\(getpid())")
                let manifest = folder.appendingPathComponent("99-checked.yml")
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try Data(JSONSerializer.string(.object([("library", .string(absolute.path))])).utf8).write(to: manifest)
                } catch {
                    return (.object([("accepted", false), ("reason", .string("cannot write a temporary manifest: \(error)"))]), false)
                }
                defer { try? FileManager.default.removeItem(at: folder) }
                loader.loadManifest(manifest.path)
            }
            record = loader.records.last
        }
        guard let record else { return (.object([("accepted", false), ("reason", "nothing was loaded")]), false) }
        let operations = record.operations.compactMap { loader.operations[$0] }.map(ServerRoutes.operationJSON)
        let accepted = record.status == .loaded
        return (.object([
            ("accepted", .bool(accepted)),
            ("plugin", ServerRoutes.pluginJSON(record)),
            ("operations", .array(operations)),
            ("plugins_directory", .string(config.pluginsDirectory)),
        ]), accepted)
    }
}
