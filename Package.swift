// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wallboard",
    platforms: [.macOS(.v14)],
    // Nothing outside the package uses the modules: only the two programs are products.
    products: [
        .executable(name: "wallboard", targets: ["wallboard"]),
        .executable(name: "wallboard-dev", targets: ["wallboard-dev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Render core: pixels, colours, canvas. Imports nothing.
        .target(name: "WallboardRender"),
        // Bitmap fonts (BDF), font chains, measuring, drawing and laying out text. Imports the render core only.
        .target(name: "WallboardText", dependencies: ["WallboardRender"]),
        // Finds the Fonts directory and loads fonts and chains by name (file I/O).
        .target(name: "WallboardFonts", dependencies: ["WallboardText"]),
        // PNG and animated GIF for people to look at and for golden files, and TrueType made from
        // bitmap fonts for the pages; outside the render core.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "WallboardExport", dependencies: ["WallboardRender", "WallboardText", "CZlib"]),
        // YAML with file:line:column errors, for layouts and the service configuration.
        .target(name: "WallboardYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Small helpers every module above the render core may use: Duration in seconds, a calendar
        // in a time zone, hex text. Foundation only.
        .target(name: "WallboardSupport"),
        // Dispatch state: the snapshot model, derived figures, the source interface. Foundation only.
        .target(name: "WallboardDispatch", dependencies: ["WallboardSupport"]),
        // What a kind of dispatch source declares (its `source:` key and command-line option, how it is
        // made, what it reports), the source settings, and the registry type that reads them.
        .target(name: "WallboardSourceKit", dependencies: ["WallboardDispatch", "WallboardYAML"]),
        // The dispatch interface whichever SQL database holds it: the schema (`schema.sql`, built in),
        // its queries, row decoding and snapshot assembly over a connection the database provides.
        .target(
            name: "WallboardInterface",
            dependencies: ["WallboardDispatch"],
            exclude: ["SCHEMA.md"],
            resources: [.embedInCode("schema.sql")]
        ),
        // The interface on SQLite: the read-only change-polling reader, past-moment replay, the simulator's store.
        .target(
            name: "WallboardSQLite",
            dependencies: [
                "WallboardDispatch", "WallboardInterface", "WallboardSimulator", "WallboardSourceKit", "WallboardSupport", "WallboardYAML",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The simulator: a seeded 120 centre's day, kept in its own state and written as interface SQL
        // through a store (SQLite's or PostgreSQL's).
        .target(name: "WallboardSimulator", dependencies: ["WallboardDispatch", "WallboardInterface", "WallboardSourceKit"]),
        // Layouts and widgets: a layout file plus a snapshot and a moment make a frame.
        .target(
            name: "WallboardLayout",
            dependencies: [
                "WallboardRender", "WallboardText", "WallboardDispatch", "WallboardSupport", "WallboardYAML",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Wire protocols: pure encoders and decoders, one folder per protocol, and the registry of
        // controller models (`BoardProtocols`). Glibc only for iconv.
        .target(name: "WallboardProtocols", dependencies: ["WallboardRender"]),
        // Board emulators: bytes in, replies out, the board's state and what it shows; served on transports.
        .target(name: "WallboardEmulator", dependencies: ["WallboardProtocols", "WallboardRender", "WallboardText", "WallboardTransportCore"]),
        // Pseudo-terminal, termios and ioctl calls that Swift's Glibc module hides.
        .target(name: "CWallboardSys"),
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        // What a transport is, as everything above it sees one: the `Transport` interface and its
        // errors, `TransportSetting` (a kind's configuration keys and the transport it makes), the
        // reply vocabulary and `ServedBoard`. No devices, no libusb: fakes, the configuration,
        // drivers and emulators need only this.
        .target(name: "WallboardTransportCore", dependencies: ["WallboardYAML"]),
        // Moving bytes to boards: serial, TCP, USB, each with its setting, registered in
        // `TransportKinds.all`; delivery with replies, retries and status.
        .target(name: "WallboardTransport", dependencies: ["WallboardSupport", "WallboardTransportCore", "WallboardYAML", "CWallboardSys", "CLibUSB"]),
        // Video-wall processors beside the boards: the link that keeps one in sight (heartbeat,
        // readiness, input signal) and sends it commands.
        .target(name: "WallboardProcessors", dependencies: ["WallboardProtocols", "WallboardTransport"]),
        // Frames to wire messages per protocol, only what changed; replies for delivery.
        .target(name: "WallboardDrivers", dependencies: ["WallboardSupport", "WallboardRender", "WallboardProtocols", "WallboardTransportCore"]),
        // ASCII-picture assertions for bitmaps, and a transport that records what it is sent, for
        // every module's tests.
        .target(name: "WallboardTestKit", dependencies: ["WallboardRender", "WallboardTransportCore"]),
        // The service configuration: one YAML file read and checked up front. Its own module, free of the
        // HTTP stack, so that `make fuzz` can compile it with the fuzzer.
        .target(name: "WallboardConfig", dependencies: ["WallboardYAML", "WallboardDispatch", "WallboardSourceKit", "WallboardSupport", "WallboardProtocols", "WallboardTransportCore"]),
        // The dispatch interface on a PostgreSQL server (primary or hot standby): the same queries and
        // row decoding as SQLite, LISTEN/NOTIFY or replay polling for changes, several hosts.
        .target(
            name: "WallboardPostgres",
            dependencies: [
                "WallboardDispatch", "WallboardInterface", "WallboardSimulator", "WallboardSourceKit", "WallboardSupport", "WallboardYAML",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("schema-postgres.sql"), .embedInCode("notify-postgres.sql")]
        ),
        // Private PostgreSQL servers (a primary, hot standbys) in temporary folders, for tests and wallboard-dev.
        .target(name: "WallboardLocalPostgres", dependencies: ["WallboardSupport", "CWallboardSys"]),
        // The registry of source kinds (one line per kind), and the one place where settings become a source.
        .target(name: "WallboardSources", dependencies: ["WallboardConfig", "WallboardDispatch", "WallboardSourceKit", "WallboardSQLite", "WallboardPostgres"]),
        // The audit trail: append-only JSON lines, each chained to the one before by its hash.
        .target(name: "WallboardAudit", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The service: one task per board, the source poller, HTTP preview, health and metrics.
        .target(
            name: "WallboardService",
            dependencies: [
                "WallboardRender", "WallboardExport", "WallboardFonts", "WallboardText", "WallboardDispatch", "WallboardLayout", "WallboardProtocols",
                "WallboardTransport", "WallboardTransportCore", "WallboardDrivers", "WallboardConfig", "WallboardSourceKit", "WallboardSources", "WallboardSupport",
                "WallboardAudit", "WallboardProcessors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Command-line pieces both programs use: where the fonts are.
        .target(
            name: "WallboardCommandLine",
            dependencies: ["WallboardFonts", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The command line a centre runs: one root command, a subcommand per job.
        .executableTarget(
            name: "wallboard",
            dependencies: [
                "WallboardAudit", "WallboardCommandLine", "WallboardConfig", "WallboardDispatch", "WallboardDrivers", "WallboardEmulator",
                "WallboardExport", "WallboardFonts", "WallboardInterface", "WallboardLayout", "WallboardPostgres", "WallboardProtocols", "WallboardRender",
                "WallboardSQLite", "WallboardService", "WallboardSimulator", "WallboardSourceKit", "WallboardSources", "WallboardSupport", "WallboardText", "WallboardTransport", "WallboardYAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The workshop, kept out of the product: benchmarks, the soak run, the emulated door-board
        // fleet and private PostgreSQL servers. Runs the `wallboard` built beside it.
        .executableTarget(
            name: "wallboard-dev",
            dependencies: [
                "WallboardCommandLine", "WallboardConfig", "WallboardDispatch", "WallboardDrivers", "WallboardEmulator", "WallboardFonts",
                "WallboardInterface", "WallboardLayout", "WallboardLocalPostgres", "WallboardPostgres", "WallboardProtocols", "WallboardRender", "WallboardSQLite",
                "WallboardService", "WallboardSimulator", "WallboardSourceKit", "WallboardSources", "WallboardSupport", "WallboardText", "WallboardTransport",
                "WallboardTransportCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The luma.core + Pillow peer of bench case text-192x32-two-lines-vs-luma.
            exclude: ["Bench/luma_text.py"]
        ),
        .testTarget(name: "WallboardRenderTests", dependencies: ["WallboardRender", "WallboardTestKit"]),
        .testTarget(name: "WallboardExportTests", dependencies: ["WallboardExport", "WallboardRender", "WallboardText", "WallboardTestKit"]),
        .testTarget(name: "WallboardYAMLTests", dependencies: ["WallboardYAML"]),
        .testTarget(name: "WallboardAuditTests", dependencies: ["WallboardAudit"]),
        // Runs the built `wallboard` program; needs the whole package built (make test does).
        .testTarget(name: "WallboardCLITests", dependencies: ["WallboardExport", "WallboardTestKit", "WallboardAudit"]),
        .testTarget(name: "WallboardDispatchTests", dependencies: ["WallboardDispatch"]),
        .testTarget(name: "WallboardInterfaceTests", dependencies: ["WallboardInterface"]),
        .testTarget(name: "WallboardSimulatorTests", dependencies: ["WallboardSimulator", "WallboardInterface"]),
        .testTarget(
            name: "WallboardSQLiteTests",
            dependencies: [
                "WallboardSQLite", "WallboardInterface", "WallboardSimulator", "WallboardDispatch", "WallboardTestKit",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Starts private PostgreSQL servers (a primary and a hot standby) in temporary folders.
        .testTarget(
            name: "WallboardPostgresTests",
            dependencies: [
                "WallboardPostgres", "WallboardLocalPostgres", "WallboardDispatch", "WallboardInterface", "WallboardSimulator", "WallboardTestKit",
                "WallboardEmulator", "WallboardFonts", "WallboardProtocols", "WallboardTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "WallboardTextTests",
            dependencies: ["WallboardText", "WallboardFonts", "WallboardRender", "WallboardTestKit"]
        ),
        .testTarget(name: "WallboardProtocolsTests", dependencies: ["WallboardProtocols", "WallboardRender", "WallboardTestKit"]),
        .testTarget(
            name: "WallboardEmulatorTests",
            dependencies: ["WallboardEmulator", "WallboardProtocols", "WallboardRender", "WallboardTestKit"]
        ),
        .testTarget(
            name: "WallboardProcessorsTests",
            dependencies: ["WallboardProcessors", "WallboardEmulator", "WallboardProtocols", "WallboardTestKit", "WallboardTransport", "WallboardTransportCore"]
        ),
        .testTarget(name: "WallboardTransportTests", dependencies: ["WallboardTransport", "WallboardTransportCore", "WallboardTestKit", "WallboardYAML"]),
        .testTarget(
            name: "WallboardDriversTests",
            dependencies: [
                "WallboardDrivers", "WallboardEmulator", "WallboardProtocols", "WallboardLayout", "WallboardFonts",
                "WallboardDispatch", "WallboardRender", "WallboardTransport", "WallboardTransportCore", "WallboardTestKit",
            ]
        ),
        .testTarget(
            name: "WallboardLayoutTests",
            dependencies: [
                "WallboardLayout", "WallboardFonts", "WallboardDispatch", "WallboardExport", "WallboardRender", "WallboardSQLite", "WallboardSimulator", "WallboardTestKit",
                "WallboardText", "WallboardYAML",
            ],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "WallboardServiceTests",
            dependencies: [
                "WallboardService", "WallboardSourceKit", "WallboardSources", "WallboardPostgres", "WallboardSQLite", "WallboardSimulator", "WallboardDispatch", "WallboardRender", "WallboardExport",
                "WallboardInterface", "WallboardLocalPostgres",
                "WallboardLayout", "WallboardTransport", "WallboardTransportCore", "WallboardDrivers", "WallboardEmulator", "WallboardProtocols", "WallboardFonts",
                "WallboardSupport", "WallboardTestKit", "WallboardAudit", "WallboardConfig", "WallboardText", "WallboardYAML", "WallboardProcessors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
