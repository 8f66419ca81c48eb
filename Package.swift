// swift-tools-version:6.2
import PackageDescription

/// Pycelize: a spreadsheet-processing server whose operations are C-ABI plugins.
///
/// Targets by concern:
/// - `PluginABI`      the C header that is the whole plugin contract (`pycelize_plugin.h`).
/// - `PycelizeCore`   typed cells, dates (calendar maths, text dates, strftime) and numbers, shared by the engine
///                    and the plugins.
/// - `TableIO`        the hand-written XLSX/CSV readers and writers (the product's core, see docs/engine.md).
/// - `PycelizeJSON`   an order-preserving JSON value, parser and serializer (arguments, results, envelopes).
/// - `RequestParsing` the multipart parser and other parsers of client input, free of any HTTP framework.
/// - `PluginKit`      a thin Swift layer over the ABI that the bundled Swift plugins link.
/// - `PycelizeServer` HTTP surface, plugin loading, host services, configuration.
/// - `Host`           the `pycelize` executable (CLI).
/// - `Plugins/*`      the four bundled plugins, each a dynamic library loaded with dlopen.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "pycelize",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pycelize", targets: ["Host"]),
        .library(name: "TableIO", targets: ["TableIO"]),
        .library(name: "PycelizeJSON", targets: ["PycelizeJSON"]),
        .library(name: "RequestParsing", targets: ["RequestParsing"]),
        .library(name: "CSVOps", type: .dynamic, targets: ["CSVOps"]),
        .library(name: "ExcelOps", type: .dynamic, targets: ["ExcelOps"]),
        .library(name: "SQLGen", type: .dynamic, targets: ["SQLGen"]),
        .library(name: "JSONGen", type: .dynamic, targets: ["JSONGen"]),
        .library(name: "Normalize", type: .dynamic, targets: ["Normalize"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", exact: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    ],
    targets: [
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        .systemLibrary(name: "CPycelizeZlib", path: "Sources/CPycelizeZlib"),
        .systemLibrary(name: "CPycelizeISAL", path: "Sources/CPycelizeISAL", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CPycelizeArchive", path: "Sources/CPycelizeArchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CPycelizePCRE2", path: "Sources/CPycelizePCRE2", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "PycelizeCore", dependencies: ["PluginABI"], swiftSettings: swiftSettings),
        .target(
            name: "TableIO",
            dependencies: ["PluginABI", "PycelizeCore", "CPycelizeZlib", "CPycelizeISAL"],
            // The engine's readers/writers are single-threaded, non-reentrant classes; dynamic exclusivity checks
            // on their stored properties cost ~12% of read time (measured with perf). Static checks remain.
            swiftSettings: swiftSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "PycelizeJSON", swiftSettings: swiftSettings),
        // Framework-free parsers of everything a client sends (multipart bodies, form arguments, file names, dump
        // archives): unit-tested and fuzzed without building Hummingbird or NIO.
        .target(name: "RequestParsing", dependencies: ["PycelizeJSON", "CPycelizeArchive"], swiftSettings: swiftSettings),
        .target(name: "PluginKit", dependencies: ["PluginABI", "PycelizeCore", "PycelizeJSON", "CPycelizePCRE2"], swiftSettings: swiftSettings),
        .target(
            name: "PycelizeServer",
            dependencies: [
                "PluginABI", "TableIO", "PycelizeJSON", "RequestParsing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Host",
            dependencies: [
                "PycelizeServer", "TableIO", "PluginABI", "PycelizeJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CSVOps", dependencies: ["PluginKit"], path: "Plugins/CSVOps", swiftSettings: swiftSettings),
        .target(name: "ExcelOps", dependencies: ["PluginKit"], path: "Plugins/ExcelOps", swiftSettings: swiftSettings),
        .target(name: "SQLGen", dependencies: ["PluginKit"], path: "Plugins/SQLGen", swiftSettings: swiftSettings),
        .target(name: "JSONGen", dependencies: ["PluginKit"], path: "Plugins/JSONGen", swiftSettings: swiftSettings),
        .target(name: "Normalize", dependencies: ["PluginKit"], path: "Plugins/Normalize", swiftSettings: swiftSettings),
        .testTarget(
            name: "TableIOTests",
            dependencies: ["TableIO", "PycelizeJSON", "CPycelizeZlib", "CPycelizeISAL"],
            exclude: ["Fixtures/make_fixtures.py"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PluginKitTests", dependencies: ["PluginKit", "PycelizeCore", "PluginABI"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PycelizeServerTests",
            dependencies: ["PycelizeServer", "TableIO", "RequestParsing"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RequestParsingTests", dependencies: ["RequestParsing", "PycelizeJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TableIO", .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
