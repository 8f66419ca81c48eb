// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for everything a client can send: the engine's readers (XLSX, CSV) and the request parsers
/// (multipart bodies, JSON, form arguments, file names, dump archives). A separate package so that the main
/// package's `swift build` and `swift test` never see `-parse-as-library` executables without a `main`; the
/// request-parser targets link only the framework-free `RequestParsing` and `PycelizeJSON` (no Hummingbird/NIO).
///
///     swift build --package-path Fuzz -c release --sanitize=fuzzer --product FuzzMultipart
///     Fuzz/.build/release/FuzzMultipart -max_total_time=60 /tmp/corpus Fuzz/corpus/multipart
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"]), .swiftLanguageMode(.v6)]
let tableIO: [Target.Dependency] = [.product(name: "TableIO", package: "pycelize")]
let requests: [Target.Dependency] = [.product(name: "RequestParsing", package: "pycelize"), .product(name: "PycelizeJSON", package: "pycelize")]

let package = Package(
    name: "pycelize-fuzz",
    dependencies: [.package(name: "pycelize", path: "..")],
    targets: [
        .executableTarget(name: "FuzzXLSX", dependencies: tableIO, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzCSV", dependencies: tableIO, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzMultipart", dependencies: requests, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzJSON", dependencies: requests, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzFormArguments", dependencies: requests, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzNames", dependencies: requests, swiftSettings: fuzzer),
        .executableTarget(name: "FuzzDump", dependencies: requests, swiftSettings: fuzzer),
    ]
)
