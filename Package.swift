// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .library(name: "WallboardRender", targets: ["WallboardRender"]),
        .library(name: "WallboardTestKit", targets: ["WallboardTestKit"]),
        .library(name: "WallboardProtocols", targets: ["WallboardProtocols"]),
        .library(name: "WallboardEmulator", targets: ["WallboardEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
        // ASCII-picture assertions for bitmaps, for every module's tests.
        .target(name: "WallboardTestKit", dependencies: ["WallboardRender"]),
        // Wire protocols: pure encoders and decoders, one file per protocol. Glibc only for iconv.
        .target(name: "WallboardProtocols", dependencies: ["WallboardRender"]),
        // Board emulators: bytes in, replies out, the board's state and what it shows.
        .target(name: "WallboardEmulator", dependencies: ["WallboardProtocols", "WallboardRender"]),
        // The command line: one root command, a subcommand per job.
        .executableTarget(
            name: "wallboard",
            dependencies: [
                "WallboardRender",
                "WallboardProtocols",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(name: "WallboardProtocolsTests", dependencies: ["WallboardProtocols", "WallboardRender"]),
        .testTarget(
            name: "WallboardEmulatorTests",
            dependencies: ["WallboardEmulator", "WallboardProtocols", "WallboardRender", "WallboardTestKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
