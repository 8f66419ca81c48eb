// TEMPORARY: the foundation moves TableIO's DateFormatting into PycelizeDates (linked by PluginKit). Until that
// lands this is the same calendar arithmetic; delete this file when merging the foundation.
public enum DateFormatting {
    public struct Civil: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
    }

    public static func civil(seconds: Double) -> Civil {
        let totalMicros = (seconds * 1_000_000).rounded()
        guard abs(totalMicros) < 9.0e18 else { return Civil(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0) }
        var micros = Int64(totalMicros)
        let days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
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
        let secs = Int(micros / 1_000_000)
        return Civil(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60,
                     microsecond: Int(micros % 1_000_000))
    }
}
