// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .library(name: "WallboardRender", targets: ["WallboardRender"]),
        .library(name: "WallboardTestKit", targets: ["WallboardTestKit"]),
        .library(name: "WallboardDispatch", targets: ["WallboardDispatch"]),
        .library(name: "WallboardSQLite", targets: ["WallboardSQLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
        // ASCII-picture assertions for bitmaps, for every module's tests.
        .target(name: "WallboardTestKit", dependencies: ["WallboardRender"]),
        // Dispatch state: the snapshot model, derived figures, the source interface. Foundation only.
        .target(name: "WallboardDispatch"),
        // The SQLite interface: schema, read-only change-polling reader, past-moment replay, simulator.
        .target(
            name: "WallboardSQLite",
            dependencies: [
                "WallboardDispatch",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            exclude: ["schema.sql", "SCHEMA.md"]
        ),
        // The command line: one root command, a subcommand per job.
        .executableTarget(
            name: "wallboard",
            dependencies: [
                "WallboardRender",
                "WallboardDispatch",
                "WallboardSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(name: "WallboardDispatchTests", dependencies: ["WallboardDispatch"]),
        .testTarget(name: "WallboardSQLiteTests", dependencies: ["WallboardSQLite", "WallboardDispatch"]),
    ],
    swiftLanguageModes: [.v6]
)
