// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .library(name: "WallboardRender", targets: ["WallboardRender"]),
        .library(name: "WallboardTestKit", targets: ["WallboardTestKit"]),
        .library(name: "WallboardText", targets: ["WallboardText"]),
        .library(name: "WallboardFonts", targets: ["WallboardFonts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
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
                "WallboardRender",
                "WallboardText",
                "WallboardFonts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(
            name: "WallboardTextTests",
            dependencies: ["WallboardText", "WallboardFonts", "WallboardRender", "WallboardTestKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
