// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Segmark",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "segmark", targets: ["segmark"]),
        .library(name: "SegmarkKit", targets: ["SegmarkKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // `segmark serve` only: a small HTTP/1.1 server on async sockets (no SwiftNIO).
        .package(url: "https://github.com/swhitty/FlyingFox.git", exact: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "Ccmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(
            name: "SegmarkKit",
            dependencies: [
                "Ccmark",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "segmark",
            dependencies: [
                "SegmarkKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // `make bench` only: Segmark's template engine beside swift-mustache.
        .executableTarget(
            name: "segmark-render-bench",
            dependencies: ["SegmarkKit", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .executableTarget(
            name: "segmark-fuzz",
            dependencies: ["SegmarkKit"]
        ),
        // swift-mustache is a test oracle only: the differential test renders with both engines.
        .testTarget(
            name: "SegmarkKitTests",
            dependencies: ["SegmarkKit", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "SegmarkCLITests",
            dependencies: ["SegmarkKit", "segmark"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
