// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .library(name: "WallboardRender", targets: ["WallboardRender"]),
        .library(name: "WallboardTestKit", targets: ["WallboardTestKit"]),
        .library(name: "WallboardTransport", targets: ["WallboardTransport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
        // ASCII-picture assertions for bitmaps, for every module's tests.
        .target(name: "WallboardTestKit", dependencies: ["WallboardRender"]),
        // Pseudo-terminal, termios and ioctl calls that Swift's Glibc module hides.
        .target(name: "CWallboardSys"),
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        // Moving bytes to boards: serial, TCP, USB; delivery with replies, retries and status.
        .target(name: "WallboardTransport", dependencies: ["CWallboardSys", "CLibUSB"]),
        // The command line: one root command, a subcommand per job.
        .executableTarget(
            name: "wallboard",
            dependencies: [
                "WallboardRender",
                "WallboardTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(name: "WallboardTransportTests", dependencies: ["WallboardTransport"]),
    ],
    swiftLanguageModes: [.v6]
)
