import PluginKit

/// Every normalisation type the original declared, in its enum order (the order of its "Valid types are" message).
enum NormalizationType: String, CaseIterable, Sendable {
    case uppercase, lowercase, title_case, trim_whitespace, remove_special_chars, phone_format, email_format, name_format
    case min_max_scale, z_score, round_decimal, integer_convert, currency_format, date_format, datetime_format
    case date_extract_year, date_extract_month, date_extract_day, boolean_convert, yes_no_convert, categorical_mapping
    case regex_replace, custom_function, fill_null_values, outlier_removal, remove_duplicates

    /// Case-insensitive lookup, as the original.
    init?(name: String) { self.init(rawValue: name.lowercased()) }

    /// The description `GET /normalization/types` shows; nil for `custom_function`, which is never run.
    var summary: String? {
        switch self {
        case .uppercase: return "Convert text to uppercase"
        case .lowercase: return "Convert text to lowercase"
        case .title_case: return "Convert text to title case"
        case .trim_whitespace: return "Remove leading and trailing whitespace"
        case .remove_special_chars: return "Remove special characters from text"
        case .phone_format: return "Format phone numbers to standard format"
        case .email_format: return "Format email addresses (lowercase, trimmed)"
        case .name_format: return "Format personal names (title case, trimmed)"
        case .min_max_scale: return "Scale numeric values to 0-1 range"
        case .z_score: return "Standardize values using z-score"
        case .round_decimal: return "Round numeric values to specified decimal places"
        case .integer_convert: return "Convert values to integers"
        case .currency_format: return "Parse currency values to numeric format"
        case .date_format: return "Format date values to specified format"
        case .datetime_format: return "Format datetime values to specified format"
        case .date_extract_year: return "Extract the year from date values"
        case .date_extract_month: return "Extract the month from date values"
        case .date_extract_day: return "Extract the day of the month from date values"
        case .boolean_convert: return "Convert values to boolean"
        case .yes_no_convert: return "Convert boolean-like values to Yes/No"
        case .categorical_mapping: return "Map categories to new values (mapping object, optional default)"
        case .regex_replace: return "Replace values using regex pattern"
        case .custom_function: return nil
        case .fill_null_values: return "Fill null/empty values with specified value or method"
        case .outlier_removal: return "Remove statistical outliers using IQR method"
        case .remove_duplicates: return "Remove rows whose value in the column repeats (first kept)"
        }
    }

    /// The original's message for an unknown type (Python list repr of every declared type).
    static func invalidTypeMessage(_ name: String) -> String {
        "Invalid normalization type: '\(name)'. Valid types are: \(PythonRepr.list(allCases.map(\.rawValue)))"
    }
}

/// `GET /normalization/types`: `{type: description}` for every type that runs, with the envelope's `total`.
enum NormalizationTypesOperation {
    static let operation = PluginDefinition.Operation(
        name: "normalization/types",
        summary: "The available normalisation types and what each does",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "Normalization types retrieved successfully",
        needsInput: false,
        body: { call throws(OperationFailure) in
            let types = NormalizationType.allCases.compactMap { t in t.summary.map { (t.rawValue, JSONValue.string($0)) } }
            call.setResult(.object(types + [("$total", .int(Int64(types.count)))]))
        }
    )
}
