import PluginKit

/// The date family: `date_format`, `datetime_format` (strftime-style `format`) and `date_extract_year`,
/// `date_extract_month`, `date_extract_day`. They read date cells and date text (`CellValue.dateTime`, parsed by
/// PluginKit's `DateText` one cell at a time, so mixed formats in a column all work); a value that is not a date
/// becomes empty, as the original.
final class DateFormatNormalizer: ColumnNormalizer {
    let format: String

    init(format: String) { self.format = format }

    override func apply(_ value: CellValue) -> CellValue {
        if case .null = value { return .null }
        guard let date = value.dateTime else { return .null }
        return .text(DateText.format(seconds: date.seconds, pattern: format))
    }
}

/// The year, month or day of a date as an integer.
final class DatePartNormalizer: ColumnNormalizer {
    enum Part: String { case year = "%Y", month = "%m", day = "%d" }
    let part: Part

    init(_ part: Part) { self.part = part }

    override func apply(_ value: CellValue) -> CellValue {
        if case .null = value { return .null }
        // A time of day has no calendar date.
        guard let date = value.dateTime, date.flags & 0x2 == 0 else { return .null }
        return Int64(DateText.format(seconds: date.seconds, pattern: part.rawValue)).map { .int($0) } ?? .null
    }
}
