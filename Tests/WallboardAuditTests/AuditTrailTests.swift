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
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let original = try String(contentsOfFile: path, encoding: .utf8)
        #expect(original.contains("演练 1") && original.contains("duty-leader"))
        try original.replacingOccurrences(of: "演练 1", with: "演练 X").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(verifyError(path).hasSuffix("line 2 was changed after it was written (its hash does not match)"), "\(verifyError(path))")

        var lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 1)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(verifyError(path).hasSuffix("line 2 does not follow line 1: a line before it was removed, inserted or changed"), "\(verifyError(path))")
        #expect(throws: AuditError.self) { try AuditTrail(path: path) }
    }
}
