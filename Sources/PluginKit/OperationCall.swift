import PluginABI

/// One call of an operation, seen from a Swift plugin: a comfortable face on the host service table.
public struct OperationCall {
    let context: OpaquePointer
    public let host: UnsafePointer<pz_host_api>

    init(context: OpaquePointer, host: UnsafePointer<pz_host_api>) {
        self.context = context
        self.host = host
    }

    private var api: pz_host_api { host.pointee }

    /// The validated arguments object.
    public func arguments() throws(OperationFailure) -> JSONValue {
        guard let f = api.arguments_json, let p = f(context) else { return .object([]) }
        do { return try JSONParser.parse(String(cString: p)) } catch {
            throw .internalError("host passed invalid arguments JSON: \(error)")
        }
    }

    public func setError(_ status: pz_status, _ message: String) {
        api.set_error?(context, Int32(status.rawValue), message)
    }

    public func log(_ level: pz_log_level, _ message: String) {
        api.log?(context, Int32(level.rawValue), message)
    }

    public func progress(_ fraction: Double, _ message: String? = nil) {
        if let m = message { api.report_progress?(context, fraction, m) } else { api.report_progress?(context, fraction, nil) }
    }

    public var isCancelled: Bool { (api.is_cancelled?(context) ?? 0) != 0 }

    public var inputCount: Int { Int(api.input_count?(context) ?? 0) }

    public func inputName(_ index: Int) -> String? {
        api.input_name?(context, index).map { String(cString: $0) }
    }

    /// Sheet names of input `index` (ABI 1.1; throws on an older host).
    public func sheetNames(_ index: Int = 0) throws(OperationFailure) -> [String] {
        guard host.has(\.input_sheet_names), let f = api.input_sheet_names else {
            throw .internalError("the host is older than ABI 1.1 (no input_sheet_names)")
        }
        guard let p = f(context, index) else { throw OperationFailure(PZ_ERR_BAD_INPUT, "") }
        guard let v = try? JSONParser.parse(String(cString: p)), let items = v.arrayValue else {
            throw .internalError("host returned invalid sheet names")
        }
        return items.compactMap(\.stringValue)
    }

    /// Opens input `index` (sheet by name, or the first).
    public func openInput(_ index: Int = 0, sheet: String? = nil) throws(OperationFailure) -> InputTable {
        let reader: OpaquePointer?
        if let s = sheet { reader = api.open_input?(context, index, s) } else { reader = api.open_input?(context, index, nil) }
        guard let r = reader else { throw OperationFailure(PZ_ERR_BAD_INPUT, "") .reportedByHost() }
        return InputTable(reader: r, host: host)
    }

    /// Creates an output table.
    public func createOutputTable(columns: [String], suffix: String, format: pz_output_format = PZ_FORMAT_XLSX,
                                  sheetName: String? = nil, infoSheet: Bool = true) throws(OperationFailure) -> OutputTable {
        let cNames = columns.map { PluginKitStrings.duplicate($0) }
        defer { cNames.forEach { $0.deallocate() } }
        let writer: OpaquePointer? = suffix.withCString { sfx in
            PluginKitStrings.withOptionalCString(sheetName) { sheet in
                cNames.map { UnsafePointer($0) as UnsafePointer<CChar>? }.withUnsafeBufferPointer { names in
                    var options = pz_output_options(
                        struct_size: MemoryLayout<pz_output_options>.size, name_suffix: sfx,
                        format: UInt32(format.rawValue), sheet_name: sheet, include_info_sheet: infoSheet ? 1 : 0,
                        column_names: names.baseAddress, column_count: columns.count)
                    return api.create_output_table?(context, &options)
                }
            }
        }
        guard let w = writer else { throw OperationFailure(PZ_ERR_INTERNAL, "").reportedByHost() }
        return OutputTable(writer: w, host: host, columnCount: columns.count)
    }

    /// Sets the inline JSON result.
    public func setResult(_ value: JSONValue) {
        let bytes = JSONSerializer.bytes(value)
        bytes.withUnsafeBufferPointer { b in
            b.baseAddress.map { p in
                _ = p.withMemoryRebound(to: CChar.self, capacity: b.count) { api.set_result_json?(context, $0, b.count) }
            }
        }
    }
}

extension OperationFailure {
    /// Marks a failure whose message the host already recorded (an empty message keeps the host's).
    func reportedByHost() -> OperationFailure { self }
}

enum PluginKitStrings {
    static func duplicate(_ s: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        p.initialize(from: bytes, count: bytes.count)
        return p
    }

    static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }
}
