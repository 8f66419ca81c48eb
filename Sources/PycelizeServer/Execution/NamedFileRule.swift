import RequestParsing
import PluginABI

/// What `open_named_file` accepts: the plain name of a file of the same conversation. Anything with a path
/// separator or a `..` is refused with 422 before any lookup (the original took server paths; see
/// docs/compatibility.md).
enum NamedFileRule {
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !SecureFilename.isTraversal(name, allowSeparators: false) && name != "." && name != ".."
    }

    static func refuse(_ context: OperationContext, _ name: String) -> OpaquePointer? {
        context.setError(Int32(PZ_ERR_INVALID_ARGUMENT.rawValue),
                         "Invalid file name '\(name)': give the name of a file uploaded to this conversation, not a path")
        return nil
    }
}
