import Foundation

/// A point in the simulated city, in kilometres east and north of the centre.
struct CityPoint: Hashable {
    var x: Double
    var y: Double

    func distance(to other: CityPoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }

    /// Latitude and longitude around an invented city centre in southern China.
    var latitude: Double { 23.13 + y / 111.0 }
    var longitude: Double { 113.26 + x / 102.2 }
}

/// The fixed part of the simulated city: stations, vehicles, hospitals and seats.
struct City {
    struct StationInfo {
        let id: String
        let name: String
        let district: String
        let location: CityPoint
    }

    struct VehicleInfo {
        let id: String
        let callSign: String
        let plate: String
        let stationIndex: Int
    }

    struct HospitalInfo {
        let name: String
        let location: CityPoint
        let maternity: Bool
    }

    struct SeatInfo {
        let id: String
        let name: String
        let dispatcherName: String
    }

    /// Half the width of the square city, in kilometres.
    static let radius = 15.0
    /// The two central districts (east and west) lie within this many kilometres of the centre;
    /// the rest of the city is cut into equal sectors round them.
    static let centralRadius = 4.0
    static let outerSectors = 6

    struct Road {
        let name: String
        let points: [CityPoint]
    }

    /// The main roads, drawn on the map.
    static let mainRoads = [
        Road(name: "环城路", points: SimulatedCityMap.arc(radius: 8, from: 0, to: 360)),
        Road(name: "人民路", points: [CityPoint(x: -radius, y: 0), CityPoint(x: radius, y: 0)]),
        Road(name: "解放路", points: [CityPoint(x: 0, y: -radius), CityPoint(x: 0, y: radius)]),
        Road(name: "滨江大道", points: [CityPoint(x: -radius, y: -11), CityPoint(x: -4, y: -9.5), CityPoint(x: 6, y: -10.5), CityPoint(x: radius, y: -9)]),
        Road(name: "迎宾大道", points: [CityPoint(x: 2, y: 2), CityPoint(x: radius, y: 12)]),
    ]

    let stations: [StationInfo]
    let vehicles: [VehicleInfo]
    let hospitals: [HospitalInfo]
    let seats: [SeatInfo]

    init(stationCount: Int, vehicleCount: Int, seatCount: Int, random: inout SeededRandom) {
        let spread = Self.radius * 0.9
        var stations: [StationInfo] = []
        for index in 0..<stationCount {
            // The first station is central; the rest spread out on rings.
            let location: CityPoint
            if index == 0 {
                location = CityPoint(x: 0, y: 0)
            } else {
                let angle = Double(index) * 2.399963 + random.uniform(-0.2...0.2)
                let distance = spread * (Double(index) / Double(max(stationCount - 1, 1))).squareRoot()
                location = CityPoint(x: cos(angle) * distance, y: sin(angle) * distance)
            }
            let baseName = CityWords.stationNames[index % CityWords.stationNames.count]
            let round = index / CityWords.stationNames.count
            stations.append(StationInfo(
                id: String(format: "S%02d", index + 1),
                name: round == 0 ? baseName : baseName.replacingOccurrences(of: "分站", with: "\(round + 1)分站"),
                district: Self.district(at: location), location: location
            ))
        }
        var vehicles: [VehicleInfo] = []
        var plates = Set<String>()
        for index in 0..<vehicleCount {
            var plate: String
            repeat {
                let letter = random.chance(0.3) ? random.pick(CityWords.plateLetters) : String(random.int(0...9))
                plate = "粤A·\(letter)\(String(format: "%04d", random.int(0...9999)))"
            } while plates.contains(plate)
            plates.insert(plate)
            vehicles.append(VehicleInfo(
                id: String(format: "V%03d", index + 1), callSign: "急救\(index + 1)号", plate: plate,
                stationIndex: index % max(stationCount, 1)
            ))
        }
        var hospitals = CityWords.hospitals.map { name in
            HospitalInfo(name: name, location: CityPoint(x: random.uniform(-11...11), y: random.uniform(-11...11)), maternity: false)
        }
        hospitals.append(HospitalInfo(name: CityWords.maternityHospital, location: CityPoint(x: random.uniform(-5...5), y: random.uniform(-5...5)), maternity: true))
        let seats = (0..<seatCount).map { index in
            SeatInfo(
                id: String(format: "D%02d", index + 1), name: "\(index + 1)号台",
                dispatcherName: CityWords.dispatcherNames[index % CityWords.dispatcherNames.count]
            )
        }
        self.stations = stations
        self.vehicles = vehicles
        self.hospitals = hospitals
        self.seats = seats
    }

    /// Districts by compass sector and distance from the centre.
    static func district(at point: CityPoint) -> String {
        let distance = (point.x * point.x + point.y * point.y).squareRoot()
        if distance < centralRadius { return point.x < 0 ? CityWords.districts[1] : CityWords.districts[0] }
        let sector = Int(((atan2(point.y, point.x) + Double.pi) / (2 * Double.pi) * Double(outerSectors)).rounded(.down)) % outerSectors
        return CityWords.districts[2 + sector]
    }

    /// A point where people live: denser near the centre.
    static func randomLocation(_ random: inout SeededRandom) -> CityPoint {
        let distance = min(radius, random.exponential(mean: 5))
        let angle = random.uniform(0...(2 * Double.pi))
        return CityPoint(x: cos(angle) * distance, y: sin(angle) * distance)
    }

    func nearestHospital(to point: CityPoint, maternity: Bool, skipping: Int = 0) -> HospitalInfo {
        let candidates = hospitals.filter { $0.maternity == maternity }
        let sorted = candidates.sorted { $0.location.distance(to: point) < $1.location.distance(to: point) }
        return sorted[min(skipping, sorted.count - 1)]
    }
}

/// Addresses, people and phone numbers for one incident.
struct IncidentDetails {
    let category: String
    let complaint: String
    let priority: Int
    let incidentAddress: String
    let pickupAddress: String
    let landmark: String
    let district: String
    let patientName: String
    let patientSex: String
    let patientAge: Int
    let casualties: Int

    init(at location: CityPoint, massCasualty: Bool, random: inout SeededRandom) {
        let category: String
        let complaintText: String
        var priority: Int
        if massCasualty {
            let event = random.pick(CityWords.massCasualties)
            category = event.category
            complaintText = event.text
            priority = 1
            casualties = random.int(3...12)
        } else {
            let chosen = random.weighted(CityWords.categories.map { ($0, $0.weight) })
            let complaint = random.pick(chosen.complaints)
            category = chosen.name
            complaintText = complaint.text
            priority = complaint.priority
            casualties = category == "车祸" && random.chance(0.2) ? 2 : 1
        }
        if priority > 1, random.chance(0.08) { priority -= 1 }
        self.category = category
        complaint = complaintText
        self.priority = priority
        district = City.district(at: location)
        let street = random.pick(CityWords.streets)
        let number = random.int(1...388)
        landmark = random.pick(CityWords.landmarks)
        switch category {
        case "车祸", "成批伤员":
            var crossing = random.pick(CityWords.streets)
            if crossing == street { crossing = CityWords.streets[((CityWords.streets.firstIndex(of: street) ?? 0) + 1) % CityWords.streets.count] }
            incidentAddress = "\(district)\(street)与\(crossing)交叉口"
            pickupAddress = "\(street)与\(crossing)交叉口\(random.pick(["东侧", "西侧", "南侧", "北侧"]))"
        case "溺水":
            incidentAddress = "\(district)滨江公园\(random.pick(["码头", "亲水平台", "东段河堤"]))"
            pickupAddress = "滨江公园\(random.pick(["正门", "东门", "停车场"]))"
        case "触电":
            incidentAddress = "\(district)\(street)\(number)号在建工地"
            pickupAddress = "\(street)\(number)号工地大门"
        default:
            if random.chance(0.75) {
                let compound = random.pick(CityWords.compounds)
                let building = random.int(1...32)
                let unit = random.int(1...4)
                let room = random.int(1...28) * 100 + random.int(1...4)
                incidentAddress = "\(district)\(street)\(number)号\(compound)\(building)栋\(unit)单元\(room)"
                pickupAddress = "\(compound)\(random.pick(["东门", "南门", "西门", "北门", "正门"]))"
            } else {
                let place = random.pick(["超市", "餐馆", "菜市场", "公交站", "写字楼", "网吧", "宾馆"])
                incidentAddress = "\(district)\(street)\(number)号\(place)"
                pickupAddress = "\(street)\(number)号\(place)门口"
            }
        }
        let female = category == "分娩" || random.chance(0.48)
        patientSex = female ? "女" : "男"
        patientAge = category == "分娩" ? random.int(20...42) : random.weighted([(random.int(1...17), 0.08), (random.int(18...59), 0.42), (random.int(60...96), 0.5)])
        patientName = random.pick(CityWords.surnames) + random.pick(CityWords.givenNames)
    }

    static func phoneNumber(_ random: inout SeededRandom) -> String {
        let prefix = random.pick(["130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177", "180", "186", "187", "188", "189", "199"])
        return prefix + String(format: "%08d", random.int(0...99_999_999))
    }
}
