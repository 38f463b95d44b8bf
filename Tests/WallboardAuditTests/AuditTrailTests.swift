import Foundation
import Testing
import WallboardAudit

struct AuditTrailTests {
    static func entry(_ index: Int) -> AuditEntry {
        AuditEntry(
            time: Date(timeIntervalSince1970: 1_900_000_000 + Double(index)), user: "duty-leader", role: "operator", client: "10.1.2.3",
            action: "POST /api/v1/boards/door-s01/message", text: "演练 \(index)", status: 202
        )
    }

    static func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("audit.jsonl").path
    }

    func verifyError(_ path: String) -> String {
        do {
            _ = try AuditTrail.verify(path: path)
            return "verified"
        } catch {
            return "\(error)"
        }
    }

    /// The file of the day `entry(index)` falls on (UTC; 1_900_000_000 is 2030-03-17).
    static func dayFile(_ path: String, _ day: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().path + "-\(day).jsonl"
    }

    @Test func linesChainAcrossRestartsAndAChangedOrRemovedLineIsFound() throws {
        let path = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        do {
            let trail = try AuditTrail(path: path)
            for index in 0..<3 { try trail.append(Self.entry(index)) }
        }
        let reopened = try AuditTrail(path: path)
        try reopened.append(Self.entry(3))
        #expect(try AuditTrail.verify(path: path).lines == 4, "the chain goes on after a restart")
        let file = Self.dayFile(path, "2030-03-17")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let original = try String(contentsOfFile: file, encoding: .utf8)
        #expect(original.contains("演练 1") && original.contains("duty-leader"))
        try original.replacingOccurrences(of: "演练 1", with: "演练 X").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(verifyError(path).hasSuffix("line 2 was changed after it was written (its hash does not match)"), "\(verifyError(path))")

        var lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 1)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(verifyError(path).hasSuffix("line 2 does not follow line 1: a line or a day before it was removed, inserted or changed"), "\(verifyError(path))")
        #expect(throws: AuditError.self) { try AuditTrail(path: path) }
    }

    /// One file per day in the configured zone, the chain running on from day to day; days older
    /// than the retention are removed; a removed day in the middle is found; `verify` takes the
    /// configured path, the folder or one day's file.
    @Test func daysRotateChainAcrossFilesAndOldDaysAreRemoved() throws {
        let path = try Self.scratch()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let trail = try AuditTrail(path: path, retentionDays: 180, timeZone: shanghai)
        // 2030-03-17 23:30 in Shanghai, then every 12 hours for 200 days.
        let start = Date(timeIntervalSince1970: 1_900_000_000).addingTimeInterval(-1_900_000_000.truncatingRemainder(dividingBy: 86400) + 15.5 * 3600)
        for step in 0..<400 {
            var entry = Self.entry(step)
            entry.time = start.addingTimeInterval(Double(step) * 43200)
            try trail.append(entry)
        }
        let days = AuditTrail.dayFiles(of: path)
        #expect(days.count == 181, "today and the 180 days before it: \(days.first?.day ?? "") … \(days.last?.day ?? "")")
        #expect(days.last?.day == "2030-10-03")
        #expect(days.first?.day == "2030-04-06")
        for target in [path, folder, days[5].path] {
            let verified = try AuditTrail.verify(path: target)
            #expect(!verified.startsAtTheBeginning, "the first days were removed")
            #expect(verified.files == (target == days[5].path ? 1 : 181))
        }
        let newest = try trail.entries(since: nil, limit: 3)
        #expect(newest.map(\.text) == ["演练 397", "演练 398", "演练 399"])
        let since = try trail.entries(since: start.addingTimeInterval(390 * 43200), limit: 4)
        #expect(since.map(\.text) == ["演练 390", "演练 391", "演练 392", "演练 393"])

        #expect(verifyError(folder + "/elsewhere.jsonl").hasSuffix("holds no audit trail: no file or folder of that name, and no days' files beside it (elsewhere-YYYY-MM-DD.jsonl)"), "a mistyped path is not an empty trail")

        try FileManager.default.removeItem(atPath: days[100].path)
        #expect(verifyError(folder).contains("\(days[101].path): line 1 does not follow the last line of \(URL(fileURLWithPath: days[99].path).lastPathComponent)"), "\(verifyError(folder))")
    }
}
