import Foundation
import Testing
import WallboardDispatch

/// The GCJ-02 offset against the reference pairs published with eviltransform
/// (github.com/googollee/eviltransform), which other implementations test against too.
@Suite struct MapDatumTests {
    static let references: [(wgs: GeoPoint, gcj: GeoPoint)] = [
        (GeoPoint(latitude: 31.1774276, longitude: 121.5272106), GeoPoint(latitude: 31.17530398364597, longitude: 121.531541859215)),   // Shanghai
        (GeoPoint(latitude: 22.543847, longitude: 113.912316), GeoPoint(latitude: 22.540796131694766, longitude: 113.9171764808363)),   // Shenzhen
        (GeoPoint(latitude: 39.911954, longitude: 116.377817), GeoPoint(latitude: 39.91334545536069, longitude: 116.38404722455657)),   // Beijing
    ]

    @Test(arguments: 0..<3) func wgs84ToGCJ02MatchesThePublishedPoints(index: Int) {
        let reference = Self.references[index]
        let converted = GCJ02.fromWGS84(reference.wgs)
        #expect(abs(converted.latitude - reference.gcj.latitude) < 1e-9)
        #expect(abs(converted.longitude - reference.gcj.longitude) < 1e-9)
        #expect(MapDatum.gcj02.fromWGS84(reference.wgs) == converted)
        #expect(MapDatum.wgs84.fromWGS84(reference.wgs) == reference.wgs)
    }

    @Test(arguments: 0..<3) func gcj02ToWGS84ReturnsToThePublishedPoints(index: Int) {
        let reference = Self.references[index]
        let back = GCJ02.toWGS84(reference.gcj)
        // 1e-7° is about a centimetre.
        #expect(abs(back.latitude - reference.wgs.latitude) < 1e-7)
        #expect(abs(back.longitude - reference.wgs.longitude) < 1e-7)
    }

    @Test func outsideChinaNothingMoves() {
        let london = GeoPoint(latitude: 51.5286416, longitude: -0.1015987)
        #expect(GCJ02.fromWGS84(london) == london)
        #expect(GCJ02.toWGS84(london) == london)
        let nonsense = GeoPoint(latitude: .nan, longitude: 116)
        #expect(GCJ02.fromWGS84(nonsense).longitude == 116)
    }

    @Test func theLayoutNamesOfTheDatums() {
        #expect(MapDatum(rawValue: "gcj-02") == .gcj02)
        #expect(MapDatum(rawValue: "wgs-84") == .wgs84)
    }
}
