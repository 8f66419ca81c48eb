// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for the engine's readers. A separate package so that the main package's `swift build` and
/// `swift test` never see `-parse-as-library` executables without a `main`.
///
///     swift build --package-path Fuzz -c release --sanitize=fuzzer
///     Fuzz/.build/release/FuzzXLSX -max_total_time=60 Fuzz/corpus/xlsx
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"]), .swiftLanguageMode(.v6)]

let package = Package(
    name: "pycelize-fuzz",
    dependencies: [.package(name: "pycelize", path: "..")],
    targets: [
        .executableTarget(name: "FuzzXLSX", dependencies: [.product(name: "TableIO", package: "pycelize")], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "TableIO", package: "pycelize")], swiftSettings: fuzzer),
    ]
)
