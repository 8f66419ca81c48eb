import Foundation
import Logging
import PluginABI
import PycelizeJSON
import TableIO

/// The host's `pz_host_api` table: one process-wide, immutable table of C functions. Each function recovers the
/// Swift object behind the opaque handle it is given; no Swift error ever crosses back into the plugin.
enum HostServiceTable {
    /// Allocated once, never freed (plugins may keep the pointer for the life of the process).
    nonisolated(unsafe) static let shared: UnsafePointer<pz_host_api> = {
        let p = UnsafeMutablePointer<pz_host_api>.allocate(capacity: 1)
        p.initialize(to: makeTable())
        return UnsafePointer(p)
    }()

    static let ok = Int32(PZ_OK.rawValue)
    static let invalid = Int32(PZ_ERR_INVALID_ARGUMENT.rawValue)
    static let pluginLogger = Logger(label: "pycelize.plugin")

    static func context(_ p: OpaquePointer?) -> OperationContext? {
        p.map { Unmanaged<OperationContext>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }

    static func string(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }

    // swiftlint:disable:next function_body_length
    private static func makeTable() -> pz_host_api {
        var t = pz_host_api()
        t.struct_size = MemoryLayout<pz_host_api>.size
        t.abi_major = UInt32(PZ_ABI_MAJOR)
        t.abi_minor = UInt32(PZ_ABI_MINOR)

        t.log = { ctx, level, msg in
            let text = HostServiceTable.string(msg) ?? ""
            let c = HostServiceTable.context(ctx)
            let logger = c?.logger ?? HostServiceTable.pluginLogger
            let meta: Logger.Metadata = c.map { ["plugin": .string($0.pluginName), "operation": .string($0.operationName)] } ?? [:]
            switch UInt32(level) {
            case PZ_LOG_DEBUG.rawValue: logger.debug("\(text)", metadata: meta)
            case PZ_LOG_WARNING.rawValue: logger.warning("\(text)", metadata: meta)
            case PZ_LOG_ERROR.rawValue: logger.error("\(text)", metadata: meta)
            default: logger.info("\(text)", metadata: meta)
            }
        }
        t.set_error = { ctx, code, msg in
            HostServiceTable.context(ctx)?.setError(code, HostServiceTable.string(msg) ?? "")
        }
        t.report_progress = { ctx, fraction, msg in
            guard let c = HostServiceTable.context(ctx), fraction.isFinite else { return }
            c.progressSink?(min(1, max(0, fraction)), HostServiceTable.string(msg))
        }
        t.is_cancelled = { ctx in HostServiceTable.context(ctx)?.isCancelled == true ? 1 : 0 }
        t.arguments_json = { ctx in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            return UnsafePointer(c.argumentsCString)
        }
        t.input_count = { ctx in HostServiceTable.context(ctx)?.inputs.count ?? 0 }
        t.input_name = { ctx, index in HostServiceTable.context(ctx)?.inputNamePointer(index) }
        t.open_input = { ctx, index, sheet in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            guard index < c.inputs.count else {
                c.setError(Int32(PZ_ERR_NOT_FOUND.rawValue), "No input file number \(index)")
                return nil
            }
            return HostServiceTable.openReader(c, c.inputs[index], sheet: HostServiceTable.string(sheet))
        }
        t.open_named_file = { ctx, name, sheet in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            if let n = HostServiceTable.string(name), !NamedFileRule.isPlainName(n) { return NamedFileRule.refuse(c, n) }
            guard let n = HostServiceTable.string(name), let input = c.namedFileResolver?(n) else {
                c.setError(Int32(PZ_ERR_NOT_FOUND.rawValue), "File not found: \(HostServiceTable.string(name) ?? "")")
                return nil
            }
            return HostServiceTable.openReader(c, input, sheet: HostServiceTable.string(sheet))
        }
        t.reader_column_count = { r in ReaderHandle.from(r)?.columnCount ?? 0 }
        t.reader_column_name = { r, index, outName, outLen in
            guard let h = ReaderHandle.from(r), let (p, n) = h.columnName(index) else { return HostServiceTable.invalid }
            outName?.pointee = p
            outLen?.pointee = n
            return HostServiceTable.ok
        }
        t.reader_next_batch = { r, maxRows, out in
            guard let h = ReaderHandle.from(r) else { return HostServiceTable.invalid }
            guard let reader = h.reader else {
                h.context.setError(HostServiceTable.invalid, "The input table is closed")
                return HostServiceTable.invalid
            }
            do {
                let batch = try reader.nextBatch(maxRows: maxRows)
                out?.pointee = batch.publish()
                return HostServiceTable.ok
            } catch {
                return h.context.fail(error)
            }
        }
        t.reader_rewind = { r in
            guard let h = ReaderHandle.from(r), let reader = h.reader else { return HostServiceTable.invalid }
            do { try reader.rewind(); return HostServiceTable.ok } catch { return h.context.fail(error) }
        }
        t.reader_row_count_hint = { r in ReaderHandle.from(r)?.reader?.totalRowsHint ?? -1 }
        t.reader_close = { r in ReaderHandle.from(r)?.close() }

        t.create_output_table = { ctx, options in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            guard let o = options?.pointee, o.struct_size >= MemoryLayout<pz_output_options>.size else {
                c.setError(HostServiceTable.invalid, "create_output_table: options missing or struct_size too small")
                return nil
            }
            return HostServiceTable.createWriter(c, o)
        }
        t.writer_append_rows = { w, cells, rows, columns in
            guard let h = WriterHandle.from(w) else { return HostServiceTable.invalid }
            guard columns == h.columnCount else {
                h.context.setError(HostServiceTable.invalid, "writer_append_rows: \(columns) columns given, the table has \(h.columnCount)")
                return HostServiceTable.invalid
            }
            guard rows > 0 else { return HostServiceTable.ok }
            guard let cells else { h.context.setError(HostServiceTable.invalid, "writer_append_rows: cells is NULL"); return HostServiceTable.invalid }
            do {
                try h.append(UnsafeBufferPointer(start: cells, count: rows * columns), rows: rows)
                return HostServiceTable.ok
            } catch { return h.context.fail(error) }
        }
        t.writer_finish = { w in
            guard let h = WriterHandle.from(w) else { return HostServiceTable.invalid }
            do { try h.finish(); return HostServiceTable.ok } catch { return h.context.fail(error) }
        }
        t.create_text_output = { ctx, suffix, ext in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            let e = (HostServiceTable.string(ext) ?? "txt").filter { $0.isLetter || $0.isNumber }
            let (temp, dir, name) = c.planOutput(suffix: HostServiceTable.cleanSuffix(HostServiceTable.string(suffix)), fileExtension: e.isEmpty ? "txt" : e)
            do {
                let h = try TextWriterHandle(context: c, tempPath: temp, directory: dir, name: name)
                c.textWriters.append(h)
                return h.opaque
            } catch { _ = c.fail(error); return nil }
        }
        t.text_write = { w, data, len in
            guard let h = TextWriterHandle.from(w) else { return HostServiceTable.invalid }
            guard len > 0 else { return HostServiceTable.ok }
            guard let data else { return HostServiceTable.invalid }
            do { try h.write(UnsafeRawPointer(data), len); return HostServiceTable.ok } catch { return h.context.fail(error) }
        }
        t.text_finish = { w in
            guard let h = TextWriterHandle.from(w) else { return HostServiceTable.invalid }
            do { try h.finish(); return HostServiceTable.ok } catch { return h.context.fail(error) }
        }
        t.text_set_prefix = { w, data, len in
            guard let h = TextWriterHandle.from(w) else { return HostServiceTable.invalid }
            guard len <= TextWriterHandle.maxPrefix else {
                h.context.setError(HostServiceTable.invalid, "text_set_prefix: the prefix is over 1 MiB")
                return HostServiceTable.invalid
            }
            guard len == 0 || data != nil else {
                h.context.setError(HostServiceTable.invalid, "text_set_prefix: data is NULL")
                return HostServiceTable.invalid
            }
            do { try h.setPrefix(data.map { UnsafeRawPointer($0) }, len); return HostServiceTable.ok } catch { return h.context.fail(error) }
        }
        t.plugin_settings_json = { ctx in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            return UnsafePointer(c.pluginSettingsCString)
        }
        t.set_result_json = { ctx, json, len in
            guard let c = HostServiceTable.context(ctx) else { return HostServiceTable.invalid }
            guard let json else { c.setError(HostServiceTable.invalid, "set_result_json: json is NULL"); return HostServiceTable.invalid }
            let bytes = Array(UnsafeRawBufferPointer(start: json, count: len))
            do {
                let value = try JSONParser.parse(bytes)
                guard case .object = value else {
                    c.setError(HostServiceTable.invalid, "set_result_json: the result must be a JSON object")
                    return HostServiceTable.invalid
                }
                c.resultJSON = value
                return HostServiceTable.ok
            } catch {
                c.setError(HostServiceTable.invalid, "set_result_json: invalid JSON (\(error))")
                return HostServiceTable.invalid
            }
        }
        t.input_sheet_names = { ctx, index in
            guard let c = HostServiceTable.context(ctx) else { return nil }
            guard index < c.inputs.count else {
                c.setError(Int32(PZ_ERR_NOT_FOUND.rawValue), "No input file number \(index)")
                return nil
            }
            let input = c.inputs[index]
            do {
                let names: [String]
                switch try TableFiles.inputFormat(path: input.path, name: input.name) {
                case .csv: names = [c.settings.defaultSheetName]
                case .xlsx: names = try XLSXWorkbook(path: input.path, limits: c.settings.zipLimits, loadSharedStrings: false).sheetNames
                }
                return UnsafePointer(c.keep(JSONSerializer.string(.array(names.map { .string($0) }))))
            } catch {
                _ = c.fail(error)
                return nil
            }
        }
        return t
    }

    static func cleanSuffix(_ s: String?) -> String {
        let cleaned = (s ?? "output").filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return cleaned.isEmpty ? "output" : cleaned
    }

    static func openReader(_ c: OperationContext, _ input: OperationInput, sheet: String?) -> OpaquePointer? {
        do {
            let reader = try TableFiles.openReader(path: input.path, name: input.name, sheetName: sheet,
                                                   limits: c.settings.zipLimits, prefetching: true)
            let h = ReaderHandle(context: c, reader: reader)
            c.readers.append(h)
            return h.opaque
        } catch {
            _ = c.fail(error)
            return nil
        }
    }

    static func createWriter(_ c: OperationContext, _ o: pz_output_options) -> OpaquePointer? {
        let format: TableFormat
        switch o.format {
        case UInt32(PZ_FORMAT_XLSX.rawValue): format = .xlsx
        case UInt32(PZ_FORMAT_CSV.rawValue): format = .csv
        case UInt32(PZ_FORMAT_JSON.rawValue): format = .json
        default:
            c.setError(invalid, "create_output_table: unknown format \(o.format)")
            return nil
        }
        var names: [String] = []
        for i in 0..<o.column_count {
            guard let p = o.column_names?[i] else {
                c.setError(invalid, "create_output_table: column name \(i) is NULL")
                return nil
            }
            names.append(String(cString: p))
        }
        var sheet = string(o.sheet_name) ?? ""
        if sheet.isEmpty { sheet = c.settings.defaultSheetName }
        let (temp, dir, name) = c.planOutput(suffix: cleanSuffix(string(o.name_suffix)), fileExtension: format.fileExtension)
        var xlsx = XLSXWriteOptions(sheetName: sheet, maxColumnWidth: c.settings.maxColumnWidth,
                                    compressionLevel: c.settings.compressionLevel)
        if o.include_info_sheet != 0 && c.settings.includeInfoSheet {
            xlsx.infoSheet = .init(fileName: name, created: InfoSheetClock.now())
        }
        do {
            try XLSXWriteOptions.validateSheetName(sheet)
            let writer = try TableFiles.createWriter(format: format, path: temp, columnNames: names, xlsxOptions: xlsx)
            let h = WriterHandle(context: c, writer: writer, tempPath: temp, directory: dir, name: name)
            c.writers.append(h)
            return h.opaque
        } catch {
            _ = c.fail(error)
            return nil
        }
    }
}

/// Local "YYYY-MM-DD HH:MM:SS" for the Info sheet's Created row.
enum InfoSheetClock {
    static func now() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date())
    }
}
