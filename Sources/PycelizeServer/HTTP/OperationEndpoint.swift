import Foundation
import Hummingbird
import PycelizeJSON
import RequestParsing

/// The one-shot REST endpoint of an operation: `POST {prefix}/{operation name}` with a multipart body, exactly as
/// the original's `/csv/convert-to-excel`, `/excel/search`, … were called.
///
/// - Files: `file` (one input), or `source_file` + `bind_file`/`target_file` (two inputs).
/// - Every other form field becomes an argument, converted by the type the operation's schema declares for it:
///   `boolean` fields are true only for `true` (any case, as the original), `integer`/`number` are parsed,
///   `array`/`object` fields are JSON text; empty fields are treated as absent.
/// - `output_filename` names the (first) output file; it is sanitised, and the right extension is appended.
/// - Success: `data` = the plugin's result object plus `download_url` of the first output and `output_files`
///   (`[{file_name, download_url}]`, every output in order); `message` = the
///   operation's success message, with `{key}` placeholders filled from the result.
struct OperationEndpoint: Sendable {
    let operation: LoadedOperation
    let services: ServerServices

    static let hostFields: Set<String> = ["output_filename", "file", "source_file", "bind_file", "target_file"]

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let config = services.config
        let uploadDir = config.dataPath(config.uploadFolder)
        var inputs: [OperationInput] = []
        var form = MultipartForm()
        let isMultipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
        if isMultipart {
            form = try await MultipartForm.parse(request, into: uploadDir, maxBytes: config.maxUploadBytes)
        } else if operation.needsInput || operation.twoInputs {
            throw APIError.validation("No file uploaded")
        }
        defer { form.removeFiles() }

        if operation.twoInputs {
            let second = form.files["bind_file"] == nil && form.files["target_file"] != nil ? "target_file" : "bind_file"
            inputs.append(try Self.input(form, field: "source_file"))
            inputs.append(try Self.input(form, field: second))
        } else if operation.needsInput {
            inputs.append(try Self.input(form, field: "file"))
        }

        if let requested = form.fields["output_filename"], SecureFilename.isTraversal(requested, allowSeparators: false) {
            throw APIError.badRequest("Invalid output_filename: it must be a plain file name")
        }
        let arguments = try Self.arguments(from: form.fields, schema: operation.schema)
        let planner = OneShotPlanner(
            directory: config.dataPath(config.outputFolder),
            inputBase: inputs.first.map { SecureFilename.baseName($0.name) } ?? "output",
            requestedName: form.fields["output_filename"].map(SecureFilename.sanitize).flatMap { $0.isEmpty ? nil : $0 },
            timestamp: OutputFiles.timestamp())
        let result = try await services.runner.run(operation, arguments: arguments, inputs: inputs, planner: planner,
                                                   callKind: "rest")

        let directives = result.directives
        var data = directives.data
        if !result.outputs.isEmpty {
            let files: [JSONValue] = result.outputs.map { output in
                .object([("file_name", .string(output.fileName)),
                         ("download_url", .string(services.urls.fileDownloadURL(request, name: output.fileName)))])
            }
            // `download_url` (the first output) is what the original's clients read; `output_files` lists them all.
            data = data.setting("download_url", files[0]["download_url"] ?? .null).setting("output_files", .array(files))
        }
        return services.envelope.response(data: data, message: directives.message ?? Self.message(operation.successMessage, data),
                                          total: directives.total)
    }

    /// The uploaded file of `field` as an operation input (sanitised name).
    static func input(_ form: MultipartForm, field: String) throws -> OperationInput {
        guard let file = form.files[field], !file.clientName.isEmpty else { throw APIError.validation("No file uploaded") }
        // Browsers may send a full client path (old Windows IE); a `..` segment is an attack, not a path.
        var name = try SecureFilename.uploadName(file.clientName)
        if name.isEmpty { name = "upload" }
        return OperationInput(path: file.path, name: name)
    }

    /// Converts form fields to an arguments object using the schema's declared property types.
    static func arguments(from fields: [String: String], schema: JSONValue) throws -> JSONValue {
        try FormArguments.convert(fields, schema: schema, skipping: hostFields)
    }

    /// Fills `{key}` placeholders of a success message from the result object.
    static func message(_ template: String, _ data: JSONValue) -> String {
        guard template.contains("{"), let members = data.objectValue else { return template }
        var out = template
        for (k, v) in members {
            let text: String
            switch v {
            case .string(let s): text = s
            case .int(let i): text = String(i)
            case .double(let d): text = String(d)
            case .bool(let b): text = b ? "true" : "false"
            default: continue
            }
            out = out.replacingOccurrences(of: "{\(k)}", with: text)
        }
        return out
    }
}

/// Output naming for one-shot calls: `{input-base}_{suffix}_{timestamp}.{ext}` in the output folder, or the
/// sanitised `output_filename` (with the right extension) for the first output.
struct OneShotPlanner: OutputPlanner {
    let directory: String
    let inputBase: String
    let requestedName: String?
    let timestamp: String

    func directory(forOutput index: Int) -> String { directory }

    func fileName(forOutput index: Int, suffix: String, fileExtension: String) -> String {
        if index == 0, let name = requestedName {
            return SecureFilename.fileExtension(name) == ".\(fileExtension)" ? name : "\(name).\(fileExtension)"
        }
        let base = inputBase.isEmpty ? "output" : inputBase
        return "\(base)_\(suffix)_\(timestamp).\(fileExtension)"
    }
}
