import PluginKit

/// One requested normalisation, accepting both the original's keys (`column_name`, `normalization_type`) and the
/// ones its own chat bot produced (`column`, `type`, bug B18). Missing keys read as `""`, as the original.
struct NormalizationItem {
    let column: String
    let typeName: String
    let parameters: JSONValue
    let backup: Bool?

    init(_ json: JSONValue) throws(OperationFailure) {
        guard case .object = json else { throw .invalidArgument("Each normalization must be a JSON object") }
        column = json["column_name"]?.stringValue ?? json["column"]?.stringValue ?? ""
        typeName = json["normalization_type"]?.stringValue ?? json["type"]?.stringValue ?? ""
        parameters = json["parameters"].flatMap { $0.isNull ? nil : $0 } ?? .object([])
        backup = json["backup_original"]?.boolValue
    }

    /// `{column, type, parameters}` as the report lists the request.
    var requestedJSON: JSONValue {
        .object([("column", .string(column)), ("type", .string(typeName)), ("parameters", parameters)])
    }

    static func list(_ args: JSONValue) throws(OperationFailure) -> [NormalizationItem] {
        guard let value = args["normalizations"] else { throw .invalidArgument("No normalization configurations provided") }
        guard let items = value.arrayValue else { throw .invalidArgument("normalizations must be a valid JSON array") }
        guard !items.isEmpty else { throw .invalidArgument("No normalization configurations provided") }
        var out: [NormalizationItem] = []
        for item in items { out.append(try NormalizationItem(item)) }
        for item in out where NormalizationType(name: item.typeName) == .custom_function {
            throw .invalidArgument("Normalization type 'custom_function' is not supported: "
                                   + "this server never runs code sent by a client (column '\(item.column)')")
        }
        return out
    }
}

/// Builds the normaliser of one item from its type and parameters (with the original's defaults).
enum NormalizerFactory {
    /// Why an item could not be built: a per-item problem (reported, request goes on) or a request failure.
    enum Failure: Error {
        case item(String)
        case request(OperationFailure)
    }

    static func make(_ type: NormalizationType, _ json: JSONValue) throws(Failure) -> ColumnNormalizer {
        guard case .object = json else { throw .item("parameters must be a JSON object") }
        let p = Parameters(json: json)
        do {
            return try build(type, p)
        } catch let e as ItemError {
            throw .item(e.message)
        } catch let e as OperationFailure {
            throw .request(e)
        } catch {
            throw .item("\(error)")
        }
    }

    private static func build(_ type: NormalizationType, _ p: Parameters) throws -> ColumnNormalizer {
        let convert = try p.bool("convert_non_text", default: false)
        switch type {
        case .uppercase: return CaseNormalizer(.upper, convertNonText: convert)
        case .lowercase: return CaseNormalizer(.lower, convertNonText: convert)
        case .title_case: return CaseNormalizer(.title, convertNonText: convert)
        case .trim_whitespace: return CaseNormalizer(.trim, convertNonText: convert)
        case .email_format: return CaseNormalizer(.email, convertNonText: convert)
        case .name_format: return CaseNormalizer(.name, convertNonText: convert)
        case .phone_format: return PhoneNormalizer(convertNonText: convert)
        case .remove_special_chars, .regex_replace:
            let pattern = try p.string("pattern", default: type == .regex_replace ? "" : #"[^a-zA-Z0-9\s]"#)
            let replacement = try p.string("replacement", default: "")
            return RegexNormalizer(regex: try Regex(pattern), replacement: replacement, convertNonText: convert)
        case .min_max_scale: return MinMaxNormalizer()
        case .z_score: return ZScoreNormalizer()
        case .round_decimal: return RoundNormalizer(decimals: try p.integer("decimals", default: 2))
        case .integer_convert: return IntegerNormalizer()
        case .currency_format: return CurrencyNormalizer()
        case .date_format: return DateFormatNormalizer(format: try p.string("format", default: "%Y-%m-%d"))
        case .datetime_format: return DateFormatNormalizer(format: try p.string("format", default: "%Y-%m-%d %H:%M:%S"))
        case .date_extract_year: return DatePartNormalizer(.year)
        case .date_extract_month: return DatePartNormalizer(.month)
        case .date_extract_day: return DatePartNormalizer(.day)
        case .boolean_convert:
            return BooleanNormalizer(trueValues: try p.strings("true_values", default: ["true", "1", "yes", "y", "on"]), yesNo: false)
        case .yes_no_convert:
            return BooleanNormalizer(trueValues: try p.strings("true_values", default: ["true", "1", "yes", "y"]), yesNo: true)
        case .outlier_removal: return OutlierNormalizer(multiplier: try p.number("multiplier", default: 1.5))
        case .fill_null_values:
            let name = try p.string("method", default: "value")
            guard let method = FillNullNormalizer.Method(rawValue: name.lowercased()) else {
                throw ItemError("Invalid fill method: '\(name)'. Valid methods are: ['value', 'mean', 'median', 'mode']")
            }
            return FillNullNormalizer(method: method, value: CellValue(json: p.json["value"] ?? .string("")))
        case .categorical_mapping:
            guard let members = p.json["mapping"]?.objectValue, !members.isEmpty else {
                throw ItemError("categorical_mapping needs a non-empty 'mapping' object")
            }
            var mapping: [String: CellValue] = [:]
            for (k, v) in members where mapping[k] == nil { mapping[k] = CellValue(json: v) }
            return CategoryMapNormalizer(mapping: mapping, fallback: p.json["default"].map { CellValue(json: $0) })
        case .remove_duplicates: return DuplicateRowFilter()
        case .custom_function: throw OperationFailure.invalidArgument("Normalization type 'custom_function' is not supported")
        }
    }
}
