/// Dates written as text: parsing the forms people put in spreadsheets, and strftime-style formatting.
///
/// Parsing is total (any bytes in, a date or `nil` out) and locale-free. Accepted forms, each optionally surrounded by
/// spaces:
/// - ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.ffffff]]` or with `T`, an optional `Z` or `±HH[:]MM` offset that
///   is accepted and ignored (cells are wall-clock values, as everywhere in the engine);
/// - `YYYY/MM/DD` and `YYYY.MM.DD`, with an optional time as above;
/// - day and month first: `DD/MM/YYYY` when the first number is above 12, otherwise `MM/DD/YYYY` (dateutil's
///   default, which the original used for values); `-` and `.` work as separators too; optional time;
/// - month names in English, full or abbreviated: `Jan 5, 2024`, `January 5 2024`, `5 Jan 2024`, `05-Jan-2024`;
/// - a time of day alone, `HH:MM[:SS]` (flag `PZ_DT_TIME_ONLY`).
/// Impossible dates (`2024-02-30`, month 13) are `nil`, never rolled over.
public enum DateText {
    public typealias Parsed = (seconds: Double, flags: UInt32)

    public static func parse(_ s: String) -> Parsed? {
        var copy = s
        return copy.withUTF8 { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        guard bytes.count <= 64 else { return nil }
        var scanner = DateScanner(bytes)
        return scanner.parse()
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Formats seconds since 1970 (wall clock) with a strftime subset: `%Y %m %d %H %M %S %f %y %b %B %a %A %j %p %I
    /// %%`. Anything else is copied as written (as glibc's strftime does with unknown conversions).
    public static func format(seconds: Double, pattern: String) -> String {
        let c = DateFormatting.civil(seconds: seconds)
        var out = ""
        var percent = false
        for ch in pattern {
            guard percent else {
                if ch == "%" { percent = true } else { out.append(ch) }
                continue
            }
            percent = false
            switch ch {
            case "Y": out += pad(c.year, 4)
            case "m": out += pad(c.month, 2)
            case "d": out += pad(c.day, 2)
            case "H": out += pad(c.hour, 2)
            case "M": out += pad(c.minute, 2)
            case "S": out += pad(c.second, 2)
            case "f": out += pad(c.microsecond, 6)
            case "y": out += pad(((c.year % 100) + 100) % 100, 2)
            case "b": out += String(monthNames[c.month - 1].prefix(3)).capitalizedASCII
            case "B": out += monthNames[c.month - 1].capitalizedASCII
            case "a": out += String(dayNames[weekday(c)].prefix(3))
            case "A": out += dayNames[weekday(c)]
            case "j":
                let jan1 = DateFormatting.days(year: c.year, month: 1, day: 1)
                out += pad(DateFormatting.days(year: c.year, month: c.month, day: c.day) - jan1 + 1, 3)
            case "p": out += c.hour < 12 ? "AM" : "PM"
            case "I": out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case "%": out += "%"
            default: out += "%"; out.append(ch)
            }
        }
        if percent { out += "%" }
        return out
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    static func weekday(_ c: DateFormatting.Civil) -> Int {
        let days = DateFormatting.days(year: c.year, month: c.month, day: c.day)
        return ((days + 3) % 7 + 7) % 7
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds for a validated civil date and time, or nil when any part is out of range.
    static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                        micros: Int = 0) -> Double? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        let days = DateFormatting.days(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second) + Double(micros) / 1_000_000
    }
}

extension String {
    fileprivate var capitalizedASCII: String { prefix(1).uppercased() + dropFirst() }
}
