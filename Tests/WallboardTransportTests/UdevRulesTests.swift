import Foundation
import Testing

/// One udev rule: its match keys and its assignments, as written.
struct UdevRule {
    struct Token: Equatable {
        let key: String
        let attribute: String?
        let operation: String
        let value: String
    }

    let line: Int
    let tokens: [Token]

    func matches(_ key: String, _ attribute: String? = nil) -> String? {
        tokens.first { $0.key == key && $0.attribute == attribute && $0.operation == "==" }?.value
    }

    func assigned(_ key: String) -> [Token] {
        tokens.filter { $0.key == key && ["=", "+=", ":="].contains($0.operation) }
    }

    /// The value of a device attribute matched on the device itself (ATTR) or a parent (ATTRS).
    func attribute(_ name: String) -> String? {
        matches("ATTRS", name) ?? matches("ATTR", name)
    }
}

struct UdevSyntaxError: Error, CustomStringConvertible {
    let description: String
}

/// Parses the subset of udev's rule syntax the rules use, rejecting anything else with file:line.
func parseUdevRules(_ text: String, file: String) throws -> [UdevRule] {
    let knownKeys: Set = ["ACTION", "SUBSYSTEM", "SUBSYSTEMS", "ATTR", "ATTRS", "ENV", "KERNEL", "DRIVERS",
                          "GROUP", "MODE", "OWNER", "SYMLINK", "TAG", "IMPORT", "GOTO", "LABEL", "RUN"]
    let pattern = /\s*([A-Z]+)(?:\{([^}]*)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/
    var rules: [UdevRule] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { continue }
        var tokens: [UdevRule.Token] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            guard let found = rest.prefixMatch(of: pattern) else {
                throw UdevSyntaxError(description: "\(file):\(index + 1): cannot parse \"\(rest)\"")
            }
            let key = String(found.1)
            guard knownKeys.contains(key) else {
                throw UdevSyntaxError(description: "\(file):\(index + 1): unknown key \(key)")
            }
            tokens.append(UdevRule.Token(key: key, attribute: found.2.map(String.init),
                                         operation: String(found.3), value: String(found.4)))
            rest = rest[found.range.upperBound...]
        }
        rules.append(UdevRule(line: index + 1, tokens: tokens))
    }
    return rules
}

@Suite("udev rules")
struct UdevRulesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("udev")
    static let rulesPath = directory.appendingPathComponent("70-wallboard.rules").path

    static let required: [(subsystem: String, vendor: String, product: String, name: String)] = [
        ("tty", "1a86", "7523", "CH340"),
        ("tty", "10c4", "ea60", "CP210x"),
        ("tty", "0403", "6001", "FTDI FT232R"),
        ("tty", "0403", "6015", "FTDI FT231X"),
        ("usb", "8765", "1234", "BetaBrite Prism"),
        ("usb", "1d34", "0013", "Dream Cheeky"),
        ("hidraw", "1d34", "0013", "Dream Cheeky (hidraw)"),
    ]

    func rules() throws -> [UdevRule] {
        try parseUdevRules(String(contentsOfFile: Self.rulesPath, encoding: .utf8), file: Self.rulesPath)
    }

    @Test("every board and adapter gets group wallboard, mode 0660 and a name under /dev/wallboard/")
    func everyDeviceCovered() throws {
        let rules = try rules()
        for device in Self.required {
            let rule = rules.first {
                $0.matches("SUBSYSTEM") == device.subsystem && $0.attribute("idVendor") == device.vendor
                    && $0.attribute("idProduct") == device.product && !$0.assigned("GROUP").isEmpty
            }
            let found = try #require(rule, "no rule for \(device.name) \(device.vendor):\(device.product)")
            #expect(found.assigned("GROUP").map(\.value) == ["wallboard"], "\(device.name), line \(found.line)")
            #expect(found.assigned("MODE").map(\.value) == ["0660"], "\(device.name), line \(found.line)")
            #expect(found.assigned("SYMLINK").contains { $0.value.hasPrefix("wallboard/") },
                    "\(device.name), line \(found.line)")
        }
    }

    @Test("every rule that names a device also restricts it to a VID:PID and grants no wider access")
    func noWiderAccess() throws {
        for rule in try rules() where !rule.assigned("GROUP").isEmpty || !rule.assigned("MODE").isEmpty {
            #expect(rule.attribute("idVendor") != nil && rule.attribute("idProduct") != nil, "line \(rule.line)")
            #expect(rule.assigned("MODE").allSatisfy { $0.value == "0660" }, "line \(rule.line)")
        }
    }

    @Test("the GOTO has its LABEL")
    func gotoHasLabel() throws {
        let rules = try rules()
        let labels = Set(rules.flatMap { $0.tokens.filter { $0.key == "LABEL" }.map(\.value) })
        for rule in rules {
            for jump in rule.tokens where jump.key == "GOTO" {
                #expect(labels.contains(jump.value), "line \(rule.line): GOTO \(jump.value) has no LABEL")
            }
        }
    }

    @Test("the parser rejects what it does not understand")
    func parserRejects() {
        #expect(throws: UdevSyntaxError.self) { try parseUdevRules("SUBSYSTEM==tty", file: "x") }
        #expect(throws: UdevSyntaxError.self) { try parseUdevRules("BOGUS==\"1\"", file: "x") }
    }

    @Test("the README explains the group and the install")
    func readme() throws {
        let readme = try String(contentsOf: Self.directory.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("groupadd --system wallboard"))
        #expect(readme.contains("/etc/udev/rules.d/"))
        #expect(readme.contains("udevadm control --reload-rules"))
    }

    static let udevadm = ["/usr/bin/udevadm", "/bin/udevadm", "/sbin/udevadm"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// systemd 253 added `udevadm verify`; Debian 12 has 252.
    static var udevadmCanVerify: Bool {
        guard let udevadm else { return false }
        return (try? run(udevadm, ["verify", "--help"])) == 0
    }

    static func run(_ udevadm: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: udevadm)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("udevadm verify accepts the rules", .enabled(if: udevadmCanVerify, "udevadm has no verify before systemd 253 (Debian 12 has 252)"))
    func udevadmVerify() throws {
        let udevadm = try #require(Self.udevadm)
        #expect(try Self.run(udevadm, ["verify", Self.rulesPath]) == 0)
    }
}
