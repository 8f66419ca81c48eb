/// Calendar arithmetic for the engine's date/time cells (seconds since 1970-01-01, wall-clock, no time zone).
/// Hand-written because Foundation's calendars are slow per cell and time-zone-bound; the algorithms are
/// Howard Hinnant's `days_from_civil` / `civil_from_days`.
public enum DateFormatting {
    public struct Civil: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(seconds: Double) -> Civil {
        let totalMicros = (seconds * 1_000_000).rounded()
        var micros = Int64(totalMicros)
        var days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        micros -= days * 86_400_000_000
        let z = Int(days) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        days = 0
        let secs = Int(micros / 1_000_000)
        return Civil(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60,
                     microsecond: Int(micros % 1_000_000))
    }

    /// `YYYY-MM-DD`, `HH:MM:SS` or `YYYY-MM-DD HH:MM:SS` (the original's text form of dates), by flags.
    public static func text(seconds: Double, flags: UInt32) -> String {
        let c = civil(seconds: seconds)
        func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        func p4(_ v: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, 4 - s.count)) + s }
        let date = "\(p4(c.year))-\(p2(c.month))-\(p2(c.day))"
        let time = "\(p2(c.hour)):\(p2(c.minute)):\(p2(c.second))"
        if flags & 0x1 != 0 { return date }
        if flags & 0x2 != 0 { return time }
        return "\(date) \(time)"
    }

    /// ISO 8601 form for JSON (`2026-01-15T00:00:00`, or a bare date/time per flags).
    public static func iso(seconds: Double, flags: UInt32) -> String {
        let t = text(seconds: seconds, flags: flags)
        return flags & 0x3 == 0 ? t.replacingOccurrences(of: " ", with: "T") : t
    }

    /// Excel serial day number (1900 system) → seconds since 1970. Serial 25569 is 1970-01-01.
    @inlinable public static func seconds(excelSerial: Double, date1904: Bool) -> Double {
        let base = date1904 ? 24107.0 : 25569.0
        return ((excelSerial - base) * 86400 * 1000).rounded() / 1000
    }

    /// Seconds since 1970 → Excel serial day number (1900 system).
    @inlinable public static func excelSerial(seconds: Double) -> Double {
        seconds / 86400 + 25569
    }
}

extension String {
    fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
