// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .library(name: "WallboardRender", targets: ["WallboardRender"]),
        .library(name: "WallboardExport", targets: ["WallboardExport"]),
        .library(name: "WallboardTestKit", targets: ["WallboardTestKit"]),
        .library(name: "WallboardText", targets: ["WallboardText"]),
        .library(name: "WallboardFonts", targets: ["WallboardFonts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
        // PNG and animated GIF for people to look at and for golden files; outside the render core.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "WallboardExport", dependencies: ["WallboardRender", "CZlib"]),
        // YAML with file:line:column errors, for layouts and the service configuration.
        .target(name: "WallboardYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
        // ASCII-picture assertions for bitmaps, for every module's tests.
        .target(name: "WallboardTestKit", dependencies: ["WallboardRender"]),
        // Bitmap fonts (BDF), font chains, measuring, drawing and laying out text. Imports nothing.
        .target(name: "WallboardText", dependencies: ["WallboardRender"]),
        // Finds the Fonts directory and loads fonts and chains by name (file I/O).
        .target(name: "WallboardFonts", dependencies: ["WallboardText"]),
        // The command line: one root command, a subcommand per job.
        .executableTarget(
            name: "wallboard",
            dependencies: [
                "WallboardRender", "WallboardExport", "WallboardText", "WallboardFonts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(name: "WallboardYAMLTests", dependencies: ["WallboardYAML"]),
        .testTarget(name: "WallboardExportTests", dependencies: ["WallboardExport", "WallboardRender", "WallboardTestKit"]),
        .testTarget(
            name: "WallboardTextTests",
            dependencies: ["WallboardText", "WallboardFonts", "WallboardRender", "WallboardTestKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
