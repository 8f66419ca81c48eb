import PluginABI
import PluginKit

/// The bundled `sql-gen` plugin: `sql/*` operations.
let definition = PluginDefinition(
    name: "sql-gen",
    version: "1.0.0",
    description: "SQL generation for PostgreSQL, MySQL and SQLite: INSERT statements, text files, custom templates",
    operations: [SQLDatabases.operation, SQLGenerate.operation, SQLGenerateToText.operation, SQLGenerateCustom.operation]
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = definition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}

/// `sql/databases`: the supported dialects (no input file; GET or POST).
enum SQLDatabases {
    static let operation = PluginDefinition.Operation(
        name: "sql/databases",
        summary: "The database types SQL generation supports",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "Supported databases retrieved successfully",
        needsInput: false,
        body: { call throws(OperationFailure) in
            call.setResult(.object([("databases", .array(SQLDialect.allCases.map { .string($0.rawValue) }))]))
        }
    )
}
