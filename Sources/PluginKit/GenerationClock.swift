#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "Generated at" stamps for generated files: local wall-clock time in Python's `datetime.now().isoformat()` form
/// (`2026-11-25T02:35:44.219588`, the fraction omitted when it is zero), as the original wrote them.
///
/// `PYCELIZE_FIXED_TIME` (in the server's environment) replaces the clock with a fixed text, so that tests can
/// compare generated files byte for byte.
public enum GenerationClock {
    public static func localISO() -> String {
        if let p = getenv("PYCELIZE_FIXED_TIME"), p.pointee != 0 { return String(cString: p) }
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
        if tv.tv_usec != 0 { text += "." + pad(Int(tv.tv_usec), 6) }
        return text
    }
}
