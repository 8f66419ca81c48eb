import ArgumentParser
import Foundation
import PycelizeJSON
import PycelizeServer

/// `pycelize plugins`: tools for plugin authors.
struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tools for plugin authors.", subcommands: [PluginsCheck.self])
}

/// `pycelize plugins check LIB.so`: would the server load this library, and what would it offer?
struct PluginsCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a plugin as the server would and print its descriptor, operations and schemas, or why it is refused.",
        discussion: """
        The library is loaded in a child process (a crashing plugin cannot take the checker down), after the plugins \
        of the configured plugins.d/, so clashing plugin or operation names are reported as the server would. \
        LIBRARY may also be a plugins.d manifest (.yml).

        Exit codes: 0 the server would load it; 1 the server would refuse it (the reason is printed); \
        4 the plugin crashed while loading (the server would crash at start-up too); 2 bad usage.
        """)

    @Argument(help: "The plugin library (.so) or its plugins.d manifest (.yml).")
    var library: String
    @Flag(help: "Print the report as JSON (the plugin as GET /api/v1/plugins lists it, its operations as GET /api/v1/operations does).")
    var json = false
    @Flag(name: .customLong("in-process"), help: .hidden)
    var inProcess = false
    @OptionGroup var common: ConfigOptions

    func run() throws {
        if inProcess { return try check() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                                  ?? CommandLine.arguments[0])
        var arguments = ["plugins", "check", "--in-process", library]
        if json { arguments.append("--json") }
        if let config = common.config { arguments += ["--config", config] }
        if let dir = common.pluginsDir { arguments += ["--plugins-dir", dir] }
        child.arguments = arguments
        try child.run()
        child.waitUntilExit()
        if child.terminationReason == .uncaughtSignal {
            let signal = child.terminationStatus
            let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
            CommandOutput.note("""
                pycelize plugins check: the plugin crashed while loading (\(name), signal \(signal)): \(library)
                The server would crash the same way at start-up. Check pz_plugin_entry and the descriptor it returns.
                """)
            throw ExitCode(4)
        }
        throw ExitCode(child.terminationStatus)
    }

    /// The check itself, in this process.
    private func check() throws {
        let cfg = try common.load()
        let (report, accepted) = PluginCheck.run(library: library, config: cfg, logger: ConfigOptions.bootstrapLogging(.critical))
        if json {
            CommandOutput.printJSON(report)
        } else {
            print(Self.text(report, accepted: accepted))
        }
        if !accepted { throw ExitCode(1) }
    }

    static func text(_ report: JSONValue, accepted: Bool) -> String {
        let plugin = report["plugin"] ?? .null
        func field(_ key: String) -> String { plugin[key]?.stringValue ?? "?" }
        guard accepted else {
            let reason = plugin["reason"]?.stringValue ?? report["reason"]?.stringValue ?? "unknown"
            return "refused: \(reason)\n  plugin file: \(field("manifest_file"))\n  library: \(field("library_path"))"
        }
        var lines = ["accepted: plugin \(field("name")) \(field("version")) (ABI \(field("abi_version"))) from \(field("library_path"))"]
        for op in report["operations"]?.arrayValue ?? [] {
            let inputs = (op["inputs"]?.arrayValue ?? []).compactMap(\.stringValue)
            lines.append("  operation \(op["name"]?.stringValue ?? "?"): \(op["summary"]?.stringValue ?? "")")
            lines.append("    endpoint:        POST /api/v1/\(op["name"]?.stringValue ?? "?")")
            lines.append("    inputs:          \(inputs.isEmpty ? "none" : inputs.joined(separator: ", "))")
            lines.append("    success message: \(op["success_message"]?.stringValue ?? "")")
            lines.append("    arguments:       \(JSONSerializer.string(op["arguments_schema"] ?? .null))")
        }
        return lines.joined(separator: "\n")
    }
}
