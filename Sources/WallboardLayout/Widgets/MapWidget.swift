import Foundation
import WallboardDispatch
import WallboardRender
import WallboardText
import WallboardYAML

/// `map:` a base map from a GeoJSON file (districts filled and outlined, roads, district
/// names) and the live layers over it: stations, active incidents coloured by priority
/// (critical ones blinking), vehicles at their positions coloured by status, and optionally a
/// line from each vehicle to its incident.
struct MapKind: WidgetKind {
    static let name = "map"
    static let maySpanBezels = true
    static let keys: [String] = []

    let base: BaseMapRaster
    let projection: MapProjection
    /// What the GeoJSON is drawn in; positions (WGS-84) are converted to it.
    let datum: MapDatum
    let fonts: [String]
    let outline: Color?
    let road: Color?
    let nameColour: Color
    let stationColour: Color
    let colours: StatusColours
    let priorities: [IncidentPriority: Color]
    let vehicleRadius: Int
    let links: Color?

    func inputs(mustacheFields: Set<String>) -> Set<String> { ["stations", "vehicles", "incidents"] }
    var fontNames: Set<String> { Set(fonts) }
    func mostTextAreas(in rect: Rect) -> Int { 1 }

    func bind(_ binding: WidgetBinding) -> (any DrawnWidget)? {
        guard let chain = binding.fonts(fonts).first else { return nil }
        return MapWidget(
            id: binding.id, rect: binding.rect, kind: self, chain: chain, format: binding.renderer.layout.format, context: binding.context,
            memo: binding.renderer.memo
        )
    }

    static func parse(_ value: YAMLValue, fields widgetFields: YAMLMapping, rect: Rect, scope: Scope) throws -> MapKind {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys([
            "geojson", "datum", "bounds", "font", "district", "outline", "road", "names", "stations", "colours", "other",
            "priorities", "vehicleSize", "links",
        ])
        let fileValue = try fields.required("geojson")
        let path = try fileValue.string()
        // A relative path is read from the layout file's folder.
        let layoutFolder = URL(fileURLWithPath: fileValue.location.file).deletingLastPathComponent()
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : layoutFolder.appendingPathComponent(path)
        let features: GeoFeatures
        do {
            features = try GeoFeatures(json: try Data(contentsOf: url))
        } catch let error as GeoJSONError {
            throw fileValue.error("the GeoJSON file \(url.path) cannot be used: \(error.message)")
        } catch {
            throw fileValue.error("cannot read the GeoJSON file \(url.path): \(error.localizedDescription)")
        }
        let datum = try fields.optional("datum")?.choice(MapDatum.allCases.map { ($0.rawValue, $0) }) ?? .wgs84
        let projection = try self.projection(fields.optional("bounds"), features: features, rect: rect, fileValue: fileValue)
        var priorities: [IncidentPriority: Color] = [.critical: .red, .urgent: .amber, .routine: .green]
        if let mapping = try fields.optional("priorities")?.mapping() {
            for entry in mapping.entriesInOrder {
                guard let priority = IncidentPriority.allCases.first(where: { $0.englishName == entry.key || $0.chineseName == entry.key }) else {
                    let names = IncidentPriority.allCases.map(\.englishName)
                    throw YAMLFileError(entry.keyLocation, "priorities are \(names.joined(separator: ", ")), not '\(entry.key)'\(suggestion(for: entry.key, among: names))")
                }
                priorities[priority] = try scope.colour(entry.value)
            }
        }
        return MapKind(
            base: BaseMapRaster(features: features, projection: projection, fill: try fields.optional("district").map(scope.colour) ?? .rgb(RGB(16, 32, 64))),
            projection: projection, datum: datum,
            fonts: try scope.fonts(fields.required("font")),
            outline: try fields.optional("outline").map(scope.colour) ?? .rgb(RGB(48, 96, 160)),
            road: try fields.optional("road").map(scope.colour) ?? .rgb(RGB(128, 96, 32)),
            nameColour: try fields.optional("names").map(scope.colour) ?? .rgb(RGB(128, 144, 160)),
            stationColour: try fields.optional("stations").map(scope.colour) ?? .on,
            colours: try StatusColours.parse(fields, scope: scope),
            priorities: priorities,
            vehicleRadius: try fields.optional("vehicleSize")?.int(in: 0...32) ?? 3,
            links: try fields.optional("links").map(scope.colour)
        )
    }

    /// `bounds: [west, south, east, north]`, or the GeoJSON's extent.
    private static func projection(_ value: YAMLValue?, features: GeoFeatures, rect: Rect, fileValue: YAMLValue) throws -> MapProjection {
        if let value {
            let numbers = try value.sequence().map { try $0.double(in: -180...180) }
            guard numbers.count == 4, numbers[0] < numbers[2], numbers[1] < numbers[3], (-90...90).contains(numbers[1]), (-90...90).contains(numbers[3]) else {
                throw value.error("'bounds' is [west, south, east, north] in degrees, west below east and south below north")
            }
            return MapProjection(rect: rect, west: numbers[0], south: numbers[1], east: numbers[2], north: numbers[3])
        }
        let points = features.points
        guard let west = points.map(\.longitude).min(), let east = points.map(\.longitude).max(),
              let south = points.map(\.latitude).min(), let north = points.map(\.latitude).max()
        else { throw fileValue.error("the GeoJSON file has no districts or roads; give the map's 'bounds'") }
        return MapProjection(rect: rect, west: west, south: south, east: east, north: north)
    }
}

/// The map bound to one snapshot: the base, drawn once for the board and shared by every binding, and
/// the live markers over it. Critical incidents blink on their own (`companions`), so that the
/// map itself stays still and a new snapshot redraws only the markers that moved.
struct MapWidget: DrawnWidget {
    struct Marker: Sendable, Equatable {
        enum Shape: Sendable, Equatable { case disc, square, diamond }
        var x: Int
        var y: Int
        var shape: Shape
        var colour: Color
        var blinks: Bool
    }

    let id: Int
    let rect: Rect
    let picture: MapBasePicture
    let links: [BaseMapRaster.Segment]
    let linkColour: Color?
    /// The markers drawn with the map, in order: stations, incidents that do not blink, vehicles.
    let markers: [Marker]
    let radius: Int
    let companions: [any DrawnWidget]

    init(id: Int, rect: Rect, kind: MapKind, chain: FontChain, format: PixelFormat, context: ContextValue, memo: LayoutMemo) {
        self.id = id
        self.rect = rect
        radius = kind.vehicleRadius
        picture = memo.mapBase(id: id, isCurrent: { $0.draws(kind.base, in: rect, chain: chain, format: format) }) {
            MapBasePicture(kind: kind, rect: rect, chain: chain, format: format, memo: memo)
        }
        func place(_ item: ContextValue) -> BaseMapRaster.Point? {
            // Positions come from the dispatch database: one off the earth is not drawn.
            guard let latitude = item.finiteNumber("latitude"), let longitude = item.finiteNumber("longitude"),
                  (-90...90).contains(latitude), (-180...180).contains(longitude)
            else { return nil }
            let (x, y) = kind.projection.pixel(kind.datum.fromWGS84(GeoPoint(latitude: latitude, longitude: longitude)))
            return BaseMapRaster.Point(x: x, y: y)
        }
        var markers: [Marker] = []
        var blinking: [Marker] = []
        for station in context.items("stations") {
            if let at = place(station) { markers.append(Marker(x: at.x, y: at.y, shape: .square, colour: kind.stationColour, blinks: false)) }
        }
        var incidentPlaces: [String: BaseMapRaster.Point] = [:]
        for incident in context.items("incidents") {
            guard let at = place(incident) else { continue }
            if let id = incident.lookup("id")?.display { incidentPlaces[id] = at }
            let priority = incident.finiteNumber("priorityCode").flatMap { (1...3).contains($0) ? IncidentPriority(rawValue: Int($0)) : nil }
            let colour = priority.flatMap { kind.priorities[$0] } ?? .on
            let marker = Marker(x: at.x, y: at.y, shape: .diamond, colour: colour, blinks: priority == .critical)
            if marker.blinks { blinking.append(marker) } else { markers.append(marker) }
        }
        var links: [BaseMapRaster.Segment] = []
        for vehicle in context.items("vehicles") {
            guard let at = place(vehicle) else { continue }
            markers.append(Marker(x: at.x, y: at.y, shape: .disc, colour: kind.colours.colour(of: vehicle), blinks: false))
            if kind.links != nil, let incident = vehicle.lookup("incidentID")?.display, let target = incidentPlaces[incident] {
                links.append(BaseMapRaster.Segment(from: at, to: target))
            }
        }
        self.links = links
        linkColour = kind.links
        self.markers = markers
        let radius = self.radius
        companions = blinking.map { BlinkingMarker(marker: $0, radius: radius, map: rect) }
    }

    var bounds: Rect { rect }
    /// The base covers the whole rectangle.
    var isOpaque: Bool { true }

    static func == (lhs: MapWidget, rhs: MapWidget) -> Bool {
        lhs.id == rhs.id && lhs.rect == rhs.rect && lhs.picture === rhs.picture && lhs.links == rhs.links
            && lhs.linkColour == rhs.linkColour && lhs.markers == rhs.markers && lhs.radius == rhs.radius
    }

    /// The boxes of the markers and links that changed, appeared or went.
    func changedRects(since previous: any DrawnWidget) -> [Rect] {
        guard let previous = previous as? MapWidget, previous.rect == rect, previous.picture === picture,
              previous.radius == radius, previous.linkColour == linkColour
        else { return wholeBounds(since: previous) }
        // By position: a marker drawn over another changes the pixels only if the order changed.
        let changed = changedBoxes(markers, previous.markers) { MapWidget.box($0, radius: radius) }
            + changedBoxes(links, previous.links, box: MapWidget.box)
        // Links span the map: gathering many changes into tiles measured no faster than one box.
        return coalesced(changed.map { $0.intersection(rect) }.filter { !$0.isEmpty }, beyond: 8)
    }

    /// Every pixel a marker may draw.
    static func box(_ marker: Marker, radius: Int) -> Rect {
        Rect(x: marker.x - radius - 1, y: marker.y - radius - 1, width: 2 * radius + 3, height: 2 * radius + 3)
    }

    static func box(_ link: BaseMapRaster.Segment) -> Rect {
        Rect(x: min(link.from.x, link.to.x), y: min(link.from.y, link.to.y), width: abs(link.to.x - link.from.x) + 1, height: abs(link.to.y - link.from.y) + 1)
    }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        canvas.clipped(to: rect) { canvas in
            canvas.blit(picture.bitmap, x: rect.x, y: rect.y)
            if let linkColour {
                for link in links where MapWidget.box(link).intersects(canvas.clip) {
                    canvas.line(from: (link.from.x, link.from.y), to: (link.to.x, link.to.y), linkColour)
                }
            }
            for marker in markers where MapWidget.box(marker, radius: radius).intersects(canvas.clip) {
                MapWidget.draw(marker, radius: radius, on: &canvas)
            }
        }
        output.strings += picture.names.strings
        for scalar in picture.names.missing where !output.missing.contains(scalar) { output.missing.append(scalar) }
        output.textAreas.append(TextArea(id: id, rect: rect, runs: picture.runs, fontHeight: picture.fontHeight))
    }

    static func draw(_ marker: Marker, radius: Int, on canvas: inout Canvas) {
        let stored = canvas.value(for: marker.colour)
        switch marker.shape {
        case .disc:
            for dy in -radius...radius {
                let half = Int(Double(radius * radius - dy * dy).squareRoot())
                canvas.plotRun(x: marker.x - half, y: marker.y + dy, count: 2 * half + 1, stored)
            }
        case .diamond:
            let size = radius + 1
            for dy in -size...size {
                let half = size - abs(dy)
                canvas.plotRun(x: marker.x - half, y: marker.y + dy, count: 2 * half + 1, stored)
            }
        case .square:
            let size = radius + 1
            canvas.strokeRectangle(Rect(x: marker.x - size, y: marker.y - size, width: 2 * size + 1, height: 2 * size + 1), marker.colour)
        }
    }
}

/// A critical incident on the map, lit in the first half of every second: a widget of its own
/// so that blinking restores and redraws its box only, not the map.
struct BlinkingMarker: DrawnWidget {
    let marker: MapWidget.Marker
    let radius: Int
    /// The map's rectangle, which nothing is drawn outside.
    let map: Rect

    var bounds: Rect { MapWidget.box(marker, radius: radius).intersection(map) }
    var isAnimated: Bool { true }

    func drawsTheSame(at now: Date, asAt earlier: Date) -> Bool {
        Blinking.isVisible(at: now) == Blinking.isVisible(at: earlier)
    }

    func nextChange(after now: Date) -> Date? { Blinking.nextPhase(after: now) }

    func draw(on canvas: inout Canvas, at now: Date, into output: inout RenderOutput) {
        guard Blinking.isVisible(at: now) else { return }
        canvas.clipped(to: bounds) { canvas in MapWidget.draw(marker, radius: radius, on: &canvas) }
    }
}

/// The map's base drawn once for a board: district fills, roads, outlines and district names,
/// in the map's rectangle and the board's pixel format, with the names' text as drawing gave it.
final class MapBasePicture: Sendable {
    let base: BaseMapRaster
    let chainName: String
    let origin: Rect
    let bitmap: Bitmap
    let names: RenderOutput
    let runs: [TextArea.Run]
    let fontHeight: Int

    init(kind: MapKind, rect: Rect, chain: FontChain, format: PixelFormat, memo: LayoutMemo) {
        base = kind.base
        chainName = chain.name
        origin = rect
        fontHeight = chain.lineHeight
        // Drawn where the map is on the board, on a canvas just large enough, then cut out.
        var canvas = Canvas(width: rect.maxX, height: rect.maxY, format: format)
        var names = RenderOutput()
        var runs: [TextArea.Run] = []
        canvas.clipped(to: rect) { canvas in
            kind.base.draw(on: &canvas, outline: kind.outline, road: kind.road)
            for name in kind.base.names {
                let width = chain.measure(name.name)
                let box = Rect(x: name.at.x - width / 2, y: name.at.y - chain.lineHeight / 2, width: max(1, width), height: chain.lineHeight)
                PlacedText(name.name, chain: chain, memo: memo, in: box, colour: kind.nameColour).draw(on: &canvas, into: &names, runs: &runs)
            }
        }
        bitmap = canvas.bitmap.cropped(to: rect)
        self.names = names
        self.runs = runs
    }

    /// True when this picture is what `base` draws in `rect` with `chain` on a board of `format`.
    func draws(_ base: BaseMapRaster, in rect: Rect, chain: FontChain, format: PixelFormat) -> Bool {
        self.base === base && origin == rect && chainName == chain.name && bitmap.format == format
    }
}
