// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "imagebench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "imagebench", targets: ["imagebench"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Debian's zlib: gzip-compresses layers to estimate what a push transfers.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Pure: scenario model and loader, variant expansion, statistics. No I/O but reading scenario files.
        .target(
            name: "ImageBenchCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // glibc's extended attributes (overlay2 marks opaque directories with one); no library to link.
        .systemLibrary(name: "CXattr"),
        // glibc's mallopt (the executable keeps one malloc arena); no library to link.
        .systemLibrary(name: "CMalloc"),
        // The only module that starts processes.
        .target(
            name: "ImageBenchDocker",
            dependencies: [
                "ImageBenchCore", "CZlib", "CXattr",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // The only module that imports CSQLite.
        .target(name: "ImageBenchStore", dependencies: ["ImageBenchCore", "CSQLite"]),
        // Pure renderers: model in, String out.
        .target(name: "ImageBenchReport", dependencies: ["ImageBenchCore"]),
        .executableTarget(
            name: "imagebench",
            dependencies: [
                "ImageBenchCore", "ImageBenchDocker", "ImageBenchStore", "ImageBenchReport", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Writes large databases for benchmarks/database; not part of the product.
        .executableTarget(name: "imagebench-benchdata", dependencies: ["ImageBenchCore", "ImageBenchStore"]),
        // Mutates scenario files and loads them, for benchmarks/fuzz and the test suite; not part of the product.
        .executableTarget(name: "imagebench-fuzz", dependencies: ["ImageBenchCore"]),
        .target(name: "ImageBenchTestSupport", dependencies: ["ImageBenchCore", "ImageBenchDocker", "ImageBenchStore", "ImageBenchReport"]),
        .testTarget(name: "ImageBenchCoreTests", dependencies: ["ImageBenchCore", "ImageBenchTestSupport"]),
        .testTarget(
            name: "ImageBenchDockerTests",
            dependencies: ["ImageBenchDocker", "ImageBenchStore", "ImageBenchReport", "ImageBenchTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "ImageBenchStoreTests", dependencies: ["ImageBenchStore", "ImageBenchReport", "ImageBenchTestSupport"]),
        .testTarget(
            name: "ImageBenchReportTests",
            dependencies: ["ImageBenchReport", "ImageBenchTestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ImageBenchTestSupport", "ImageBenchCore", "ImageBenchStore", "ImageBenchDocker", "ImageBenchReport"],
            exclude: ["Fixtures"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
