import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import WallboardAudit
import WallboardConfig
import WallboardDispatch
import WallboardDrivers
import WallboardFonts
import WallboardLayout
import WallboardProcessors
import WallboardRender
import WallboardSources
import WallboardSupport
import WallboardText
import WallboardTransport
import WallboardTransportCore

/// The running service: the source poller, one runtime per board, and the HTTP server, in one
/// service group that stops cleanly on SIGTERM and SIGINT.
///
///     let configuration = try ConfigLoader.load(contentsOf: url)
///     let service = try WallboardService(configuration: configuration)
///     try await service.run()
public final class WallboardService: Sendable {
    public let configuration: ServiceConfiguration
    public let feed: SourceFeed
    public let metrics: ServiceMetrics
    /// The boards in configuration order, then any previews added with `addPreview`.
    public var monitors: [BoardMonitor] { allMonitors.withLock { $0 } }
    private let allMonitors: Mutex<[BoardMonitor]>
    let boards: [BoardRuntime]
    /// The video-wall processors in configuration order.
    public var processorMonitors: [ProcessorMonitor] { processors.map(\.monitor) }
    let processors: [ProcessorRuntime]
    /// The stations and parts of the dispatch state the boards can show: what the source reads.
    let readScope: ReadScope
    let logger: Logger
    /// The time boards draw and the HTTP side reports; tests pass one they can step.
    let wallClock: @Sendable () -> Date
    /// The font the pages bring with them.
    let pageFont: PageFont
    /// The users' tokens and who must present one.
    let access: AccessList
    /// Where control actions are recorded (`http.audit`).
    let audit: AuditTrail?
    /// What HTTPS is served with (`http.tls`); nil: plain HTTP.
    public let certificate: ServedCertificate?

    /// Loads every layout and font, and opens nothing yet: devices open when their board's task
    /// starts. Throws a `ServiceSetupError` or a layout's located error for anything wrong.
    /// - Parameters:
    ///   - source: where the dispatch state comes from; nil: the configured one, made by `DispatchSources`.
    ///   - transports: opens a protocol board's transport; tests and the demo pass emulated ones.
    public convenience init(
        configuration: ServiceConfiguration, source: (any DispatchStateSource)? = nil,
        transports: @escaping (BoardConfiguration, any TransportSetting) throws -> any Transport = { _, setting in try setting.makeTransport() },
        processorTiming: NovaStarLink.Timing = .standard,
        logger: Logger = Logger(label: "wallboard"),
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try self.init(configuration: configuration, source: source, logger: logger, wallClock: wallClock, processorTiming: processorTiming) { board, layout in
            switch board.output {
            case .browser:
                return nil
            case .framebuffer(let path, let format):
                return try FramebufferSink(path: path, format: format, width: layout.width, height: layout.height)
            case .device(let model, let transportSetting):
                if let refusal = model.refusal(of: layout) {
                    throw ServiceSetupError("\(board.location): board '\(board.id)': \(refusal)")
                }
                let driver = BoardDrivers.make(model, width: layout.width, height: layout.height, format: layout.format, charset: board.charset,
                    overNetwork: transportSetting.isNetworkConnection, card: board.cpowerCard)
                let transport = try transports(board, transportSetting)
                return DriverSink(driver: driver, transport: transport, name: board.name)
            }
        }
    }

    /// `makeSink` gives each board its output (nil: preview only); tests pass their own, and a
    /// wall clock they can step.
    init(
        configuration: ServiceConfiguration, source: (any DispatchStateSource)?, logger: Logger,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        processorTiming: NovaStarLink.Timing = .standard,
        makeSink: (BoardConfiguration, Layout) throws -> (any BoardSink)?
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.wallClock = wallClock
        let fonts: FontLibrary
        do {
            fonts = try FontLibrary.locate(explicit: configuration.fontsDirectory)
        } catch {
            throw ServiceSetupError("\(configuration.file): \(error)")
        }
        pageFont = PageFont(fonts: fonts)
        access = try AccessList(settings: configuration.http, logger: logger)
        let address = configuration.source.address
        for secret in address.secretFiles {
            do {
                _ = try AccessTokens.readSecret(file: secret.path, holding: secret.holding)
            } catch {
                throw ServiceSetupError("\(configuration.file): source.\(address.kind.name).\(secret.setting): \(error)")
            }
        }
        do {
            audit = try configuration.http.audit.map {
                try AuditTrail(path: $0, retentionDays: configuration.http.auditRetentionDays, timeZone: configuration.source.timeZone)
            }
        } catch {
            throw ServiceSetupError("\(configuration.file): http.audit: \(error)")
        }
        certificate = try configuration.http.tls.map(ServedCertificate.init(files:))
        if let warning = certificate?.expiryWarning(now: wallClock()) {
            logger.warning("\(warning)")
        }
        if certificate == nil, !configuration.http.isLoopback {
            logger.warning("http.insecure: serving plain HTTP on \(configuration.http.address), which other machines reach: tokens and the boards' data cross the network in clear; give http.tls a certificate and key")
        }
        let settings = configuration.source
        let loader = LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name))
        let layouts = try configuration.boards.map { try loader.load(contentsOf: URL(fileURLWithPath: $0.layoutPath)) }
        readScope = Self.readScope(configuration, layouts)
        logger.info("reading \(readScope) of the dispatch state")
        let source = source ?? DispatchSources.make(settings, scope: readScope, wallClock: wallClock)
        metrics = ServiceMetrics()
        feed = SourceFeed(source: source, staleAfter: settings.staleAfter.inSeconds, logger: logger, metrics: metrics, wallClock: wallClock)
        var boards: [BoardRuntime] = []
        let ticker = Ticker()
        for (board, layout) in zip(configuration.boards, layouts) {
            if layout.kind == .door, board.stationID == nil {
                throw ServiceSetupError("\(board.location): board '\(board.id)' shows a door layout (\(layout.name)) and needs 'station'")
            }
            let identity = BoardIdentity(
                centreName: configuration.centreName, stationID: board.stationID, privacy: layout.privacy, timeZone: settings.timeZone
            )
            let fontSet: FontSet
            do {
                fontSet = try FontSet(layout: layout) { try fonts.chain($0) }
            } catch {
                throw ServiceSetupError("\(board.layoutPath): \(error)")
            }
            // Operator messages use the layout's own CJK fonts (already loaded), else its banner's.
            let cjkNames = layout.fontNames.filter { $0.hasPrefix("cjk-") }.sorted()
            let messageFonts = (cjkNames.isEmpty ? layout.staleBanner.fonts : cjkNames).compactMap { try? fonts.chain($0) }
            let sink = try makeSink(board, layout)
            if board.brightness?.switchesScreenOff == true, sink?.switchesScreen != true {
                throw ServiceSetupError("\(board.location): board '\(board.id)' (\(board.output.kindName)) has 'level: off' in its brightness schedule but no command to switch its screen off")
            }
            let monitor = BoardMonitor(
                id: board.id, name: board.name, output: board.output.kindName, device: sink?.deviceName,
                layoutName: layout.name, stationID: board.stationID, width: layout.width, height: layout.height,
                format: layout.format, controlsBrightness: sink?.takesCommands ?? false,
                switchesScreen: sink?.switchesScreen ?? false, bezels: layout.bezels, privacy: layout.privacy, ticker: ticker
            )
            boards.append(BoardRuntime(
                configuration: board, monitor: monitor, renderer: BoardRenderer(layout: layout, identity: identity, fonts: fontSet),
                sink: sink, feed: feed, metrics: metrics.board(board.id), timeZone: settings.timeZone, messageFonts: messageFonts,
                wallClock: wallClock, logger: logger
            ))
        }
        self.boards = boards
        allMonitors = Mutex(boards.map(\.monitor))
        var processors: [ProcessorRuntime] = []
        for processor in configuration.processors {
            let link: NovaStarLink
            do {
                link = try NovaStarLink(processor: UDPPeer(host: processor.host, port: processor.port), screen: processor.screen,
                                        watching: processor.signal, timing: processorTiming)
            } catch {
                throw ServiceSetupError("\(processor.location): processor '\(processor.id)': \(error)")
            }
            processors.append(ProcessorRuntime(
                monitor: ProcessorMonitor(configuration: processor), link: link, feed: feed, metrics: metrics.processor(processor.id),
                timeZone: settings.timeZone, wallClock: wallClock, logger: logger
            ))
        }
        self.processors = processors
    }

    public func processorMonitor(id: String) -> ProcessorMonitor? {
        processorMonitors.first { $0.id == id }
    }

    /// What the configured boards can show (a video-wall processor's rules look at the whole centre).
    static func readScope(_ configuration: ServiceConfiguration, _ layouts: [Layout]) -> ReadScope {
        guard configuration.processors.isEmpty else { return .wholeCentre }
        return ReadScope(boards: zip(configuration.boards, layouts).map { ($0.stationID, $1) })
    }

    public func monitor(id: String) -> BoardMonitor? {
        monitors.first { $0.id == id }
    }

    /// A picture that is not one of the configured boards but belongs beside them on the index
    /// page, such as what an emulated board decoded from its wire bytes. Show frames with
    /// `BoardMonitor.show(_:)`.
    public func addPreview(id: String, name: String, output: String, width: Int, height: Int, format: PixelFormat) throws -> BoardMonitor {
        let monitor = BoardMonitor(
            id: id, name: name, output: output, device: nil, layoutName: "-", stationID: nil,
            width: width, height: height, format: format, controlsBrightness: false
        )
        try allMonitors.withLock { monitors in
            guard !monitors.contains(where: { $0.id == id }) else { throw ServiceSetupError("a board or preview '\(id)' already exists") }
            monitors.append(monitor)
        }
        return monitor
    }

    /// The services that keep the boards and the video-wall processors current, without HTTP.
    public var boardServices: [any Service] { [feed] + boards + processors }

    /// Runs the source, the boards and the HTTP server until SIGTERM or SIGINT (or until the
    /// task is cancelled); SIGHUP reloads the TLS certificate. `onListening` gets the address the server took (port 0 picks one).
    /// `companions` run in the same group (the demo's simulator).
    public func run(companions: [any Service] = [], onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let application = HTTPInterface(service: self).application(onListening: onListening)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: companions + boardServices + [application, CertificateReloader(certificate: certificate, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}
