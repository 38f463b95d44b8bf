import Foundation
import WallboardConfig
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardRender
import WallboardSQLite
import WallboardSourceKit
import WallboardText
import WallboardTransport
import WallboardYAML

/// Layout files from arbitrary bytes. Loading either gives a layout or throws an error located in
/// the file; a layout that loads binds a snapshot with one of everything and draws frames: live, a
/// few seconds on (pages, marquees, blinking), stale, and before any data.
struct LayoutFuzzing: Sendable {
    static let file = "/etc/wallboard/layouts/fuzz.yaml"
    /// Boards larger than this are loaded and bound but not drawn: drawing is the same code at any
    /// size, and an 8192×8192 frame on every run would leave no time for the search.
    static let largestDrawnArea = 512 * 256

    let loader: LayoutLoader
    /// Every font name resolves to this small chain: the layouts' paths are what is exercised, and
    /// the real CJK fonts take seconds to load under the address sanitizer.
    let chain: FontChain
    let snapshot = SampleDispatch.snapshot()

    init(fontsDirectory: String) {
        do {
            let library = try FontLibrary(directory: fontsDirectory)
            loader = LayoutLoader(fontNames: library.names + FontLibrary.namedChains.map(\.name))
            let latin = try ["fixed-6x10", "fixed-5x7"].map { name in
                try Font(bdf: Array(Data(contentsOf: URL(fileURLWithPath: "\(fontsDirectory)/\(name).bdf"))), name: name)
            }
            chain = FontChain(latin[0], fallbacks: [latin[1]])
        } catch {
            fuzzSetupFailed("cannot load the fonts in \(fontsDirectory): \(error)")
        }
    }

    func run(_ bytes: [UInt8]) {
        let layout: Layout
        do {
            layout = try loader.load(String(decoding: bytes, as: UTF8.self), file: Self.file, name: "fuzz")
        } catch let error as YAMLFileError {
            expectLocated(error, in: Self.file)
            return
        } catch {
            fatalError("the layout loader threw an error without a location: \(error)")
        }
        let fonts: FontSet
        do {
            fonts = try FontSet(layout: layout) { _ in chain }
        } catch {
            fatalError("resolving fonts that always resolve failed: \(error)")
        }
        let identity = BoardIdentity(
            centreName: "急救指挥调度中心", stationID: layout.kind == .door ? SampleDispatch.stationID : nil,
            privacy: layout.privacy, timeZone: SampleDispatch.timeZone
        )
        let renderer = BoardRenderer(layout: layout, identity: identity, fonts: fonts)
        let now = snapshot.takenAt
        var bound = renderer.bind(snapshot, staleSince: nil)
        guard layout.width * layout.height <= Self.largestDrawnArea else { return }
        for seconds in [0, 7.5, 61] { _ = bound.render(at: now.addingTimeInterval(seconds)) }
        bound.rebind(snapshot, staleSince: now.addingTimeInterval(-30))
        _ = bound.render(at: now.addingTimeInterval(1))
        _ = renderer.render(nil, at: now)
    }
}

/// A configuration from arbitrary bytes: a checked configuration or an error located in the file.
/// The fuzz build has no PostgreSQL client, so `source:` knows the SQLite kind only.
func fuzzConfiguration(_ bytes: [UInt8]) {
    let file = "/etc/wallboard/wallboard.yaml"
    do {
        _ = try ConfigLoader.load(String(decoding: bytes, as: UTF8.self), file: file, sources: SourceKinds([SQLiteSourceKind()]), transports: TransportKinds.all)
    } catch let error as YAMLFileError {
        expectLocated(error, in: file)
    } catch {
        fatalError("the configuration loader threw an error without a location: \(error)")
    }
}

/// An error must name the file being read and a line and column in it, and say something.
func expectLocated(_ error: YAMLFileError, in file: String) {
    guard error.location.file == file, error.location.line >= 1, error.location.column >= 1, !error.message.isEmpty else {
        fatalError("badly located error: \(error)")
    }
}

func fuzzSetupFailed(_ message: String) -> Never {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
    exit(2)
}

/// A dispatch state with one of everything, every optional field set, and a door alert at S1.
enum SampleDispatch {
    static let stationID = "S1"
    static let timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
    static let now = Date(timeIntervalSince1970: 1_763_700_000)

    static func snapshot() -> DispatchSnapshot {
        let dayStart = DayBoundary(timeZone: timeZone).dayStart(containing: now)
        let stations = [
            Station(id: stationID, name: "越秀急救站", district: "越秀区", sortOrder: 1, latitude: 23.13, longitude: 113.26),
            Station(id: "S2", name: "天河急救站", district: "天河区", sortOrder: 2),
        ]
        let task = VehicleTask(
            id: "T1", incidentID: "I1", vehicleID: "V1", dispatchedAt: now.addingTimeInterval(-60),
            departedAt: now.addingTimeInterval(-10)
        )
        let vehicles = [
            Vehicle(
                id: "V1", callSign: "急救1号", plate: "粤A·12345", stationID: stationID, statusCode: 2,
                statusSince: now.addingTimeInterval(-10), incidentID: "I1", task: task
            ),
            Vehicle(id: "V2", callSign: "急救2号", plate: "粤A·23456", stationID: stationID, statusCode: 7, statusSince: now.addingTimeInterval(-600)),
            Vehicle(id: "V3", callSign: "急救10号", plate: "", stationID: "S2", statusCode: 99),
        ]
        let incident = Incident(
            id: "I1", callID: "C1", receivedAt: now.addingTimeInterval(-120), answeredAt: now.addingTimeInterval(-115),
            dispatchedAt: now.addingTimeInterval(-60), priority: .critical, category: "疾病", complaint: "胸痛，呼吸困难",
            incidentAddress: "中山一路1号", pickupAddress: "中山一路1号门口", landmark: "地铁站", district: "越秀区",
            casualties: 3, destinationHospital: "市第一人民医院", patientName: "张三", patientSex: "男", patientAge: 58,
            callbackPhone: "13812345678", vehicleIDs: ["V1"]
        )
        let calls = [
            Call(id: "C2", receivedAt: now.addingTimeInterval(-40), callerPhone: "13900000000"),
            Call(id: "C3", receivedAt: now.addingTimeInterval(-5), seatID: "P2"),
        ]
        let seats = [
            Seat(id: "P1", name: "1号台", dispatcherName: "李四", state: .talking, stateSince: now.addingTimeInterval(-40), currentCallID: "C2"),
            Seat(id: "P2", name: "2号台", dispatcherName: "王五", state: nil),
        ]
        let callsToday = [
            CallTimes(receivedAt: now.addingTimeInterval(-3000), answeredAt: now.addingTimeInterval(-2990), endedAt: now.addingTimeInterval(-2900), outcome: .valid),
            CallTimes(receivedAt: now.addingTimeInterval(-2000), answeredAt: nil, endedAt: now.addingTimeInterval(-1990), outcome: nil),
            CallTimes(receivedAt: now.addingTimeInterval(-40), answeredAt: nil, endedAt: nil, outcome: nil),
        ]
        let figures = DispatchFigures(
            callsToday: callsToday, runsToday: [task], vehicles: vehicles, stations: stations, now: now, dayStart: dayStart
        )
        return DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: 1, stations: stations, vehicles: vehicles, incidents: [incident],
            waitingCalls: calls, seats: seats, figures: figures,
            issues: [DataIssue(table: "vehicles", rowID: "V3", column: "status", problem: .unknownCode, rowSkipped: false)]
        )
    }
}
