import ArgumentParser
import Foundation
import PycelizeJSON
import PycelizeServer

/// `pycelize run`: one operation on local files, without a server.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one operation on local files, without a server.",
        discussion: """
        Loads the plugins of the same plugins.d/ as the server (bundled and third-party), converts and validates the \
        arguments exactly as the REST endpoint does, writes the outputs and prints the inline result as JSON on \
        standard output (`output_files` lists the written files). A progress bar is drawn on standard error when it \
        is a terminal.

        Examples:
          pycelize run csv/convert-to-excel --file sales.csv -o sales.xlsx
          pycelize run csv/search --file sales.csv --args '{"conditions": [{"column": "city", "operator": "equals", "value": "Hue"}]}'
          pycelize run excel/bind-single-key --file source.xlsx --file bind.xlsx --arg comparison_column=id \\
            --arg 'bind_columns=["name"]' -o out/

        Exit codes:
          0  success
          1  internal failure (the plugin failed, a limit was hit, the disk is full)
          2  bad arguments (unknown operation, invalid argument, wrong number of files, bad -o)
          3  unreadable input (missing, unreadable, corrupt or wrong-format file)
        """)

    @Argument(help: "The operation, e.g. csv/convert-to-excel (`GET /api/v1/operations` lists them).")
    var operation: String
    @Option(name: .customLong("file"), help: "An input file; give it twice for two-input operations (source, then bind).")
    var files: [String] = []
    @Option(name: .customLong("arg"), help: ArgumentHelp("An argument as key=value, converted by its schema type like a form field (repeatable).",
                                                         valueName: "key=value"))
    var pairs: [String] = []
    @Option(name: .customLong("args"), help: ArgumentHelp("All arguments as one JSON object; --arg values override its members.", valueName: "json"))
    var json: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder (existing, or ending in /), or the first output's file name (default: the current folder).")
    var output: String?
    @OptionGroup var common: ConfigOptions

    func run() async throws {
        let cfg = try common.load()
        let local = LocalOperations(config: cfg, logger: ConfigOptions.bootstrapLogging(.warning))
        do {
            let op = try local.operation(operation)
            let arguments = try local.arguments(for: op, json: json, pairs: pairs)
            let inputs = try local.inputs(for: op, files: files)
            let bar = ProgressBar.onTerminal()
            let progress: (@Sendable (Double, String?) -> Void)? = bar.map { bar in
                { @Sendable fraction, message in bar.show(fraction, message) }
            }
            let outcome = try await local.run(op, arguments: arguments, inputs: inputs, output: output, progress: progress)
            bar?.clear()
            CommandOutput.printJSON(outcome.data)
            CommandOutput.note(outcome.message)
        } catch {
            // Every call above throws LocalFailure only (typed throws), so `error` is one.
            throw CommandOutput.exit(error, command: "run")
        }
    }
}

/// What the local commands write: JSON on standard output, notes and errors on standard error.
enum CommandOutput {
    static func printJSON(_ value: JSONValue) {
        FileHandle.standardOutput.write(Data((JSONSerializer.string(value, options: .init(indent: 2)) + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints the failure and returns the exit code to throw.
    static func exit(_ failure: LocalFailure, command: String) -> ExitCode {
        note("pycelize \(command): \(failure.message)")
        return ExitCode(failure.exitCode)
    }
}

/// A one-line progress bar on standard error, redrawn when the whole percentage changes; only for terminals, so
/// scripts and logs never see carriage returns.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPercent = -1

    static func onTerminal() -> ProgressBar? { isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil }

    func show(_ fraction: Double, _ message: String?) {
        let percent = Int(min(1, max(0, fraction.isFinite ? fraction : 0)) * 100)
        lock.withLock {
            guard percent != lastPercent else { return }
            lastPercent = percent
            let filled = percent * 30 / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
            let text = "\r[\(bar)] \(String(format: "%3d", percent))% \(message.map { String($0.prefix(40)) } ?? "")\u{1B}[K"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    func clear() {
        lock.withLock { if lastPercent >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    }
}
