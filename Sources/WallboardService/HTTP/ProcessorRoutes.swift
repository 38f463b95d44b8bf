import Foundation
import Hummingbird

/// The video-wall processors' routes: their status and health history for readers, and for
/// operators the controls (a preset held until released, back to automatic, brightness, black screen).
extension HTTPInterface {
    /// `GET /api/v1/processors`, `/api/v1/processors/ID`, `/api/v1/processors/ID/events`.
    func addProcessorReads(to processors: RouterGroup<Context>) {
        let service = self.service
        processors.get { _, _ in
            try Self.json(service.processorMonitors.map(\.report))
        }
        processors.get("{id}") { _, context in
            try Self.json(try Self.processorMonitor(service, context).report)
        }
        processors.get("{id}/events") { _, context in
            try Self.json(try Self.processorMonitor(service, context).events(now: service.wallClock()))
        }
    }

    /// `POST /api/v1/processors/ID/…`: `preset`, `automatic`, `brightness`, `black`.
    func addProcessorControls(to processor: RouterGroup<Context>) {
        let service = self.service
        processor.post("preset") { request, context in
            let monitor = try Self.processorMonitor(service, context)
            let body = try await Self.decode(PresetRequest.self, from: request)
            let names = monitor.configuration.presets.map(\.name)
            guard names.contains(body.preset) else {
                throw HTTPError(.badRequest, message: "processor '\(monitor.id)' has no preset '\(body.preset)'; its presets: \(names.joined(separator: ", "))")
            }
            monitor.holdPreset(body.preset)
            return try Self.json(monitor.report, status: .accepted)
        }
        processor.post("automatic") { _, context in
            let monitor = try Self.processorMonitor(service, context)
            monitor.releaseToAutomatic()
            return try Self.json(monitor.report, status: .accepted)
        }
        processor.post("brightness") { request, context in
            let monitor = try Self.processorMonitor(service, context)
            let body = try await Self.decode(BrightnessRequest.self, from: request)
            let floor = service.configuration.http.brightnessFloor
            if let level = body.level, !(floor...1).contains(level) {
                throw HTTPError(.badRequest, message: "'level' must be between \(floor) (http.brightnessFloor) and 1, or null to follow the schedule")
            }
            guard body.seconds == nil else {
                throw HTTPError(.badRequest, message: "a processor's brightness holds until it is returned with {\"level\": null} or back to automatic; leave 'seconds' out")
            }
            monitor.holdBrightness(body.level)
            return try Self.json(monitor.report, status: .accepted)
        }
        processor.post("black") { request, context in
            let monitor = try Self.processorMonitor(service, context)
            let body = try await Self.decode(BlackScreenRequest.self, from: request)
            monitor.holdBlackScreen(body.black)
            return try Self.json(monitor.report, status: .accepted)
        }
    }

    struct PresetRequest: Decodable {
        var preset: String
    }

    struct BlackScreenRequest: Decodable {
        /// true: black; false: the picture; null: as the schedule says.
        var black: Bool?
    }

    static func processorMonitor(_ service: WallboardService, _ context: Context) throws -> ProcessorMonitor {
        let id = context.parameters.get("id") ?? ""
        guard let monitor = service.processorMonitor(id: id) else {
            throw HTTPError(.notFound, message: "no such processor")
        }
        return monitor
    }
}
