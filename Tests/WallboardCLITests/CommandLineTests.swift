import Foundation
import Testing
import WallboardAudit
import WallboardExport
import WallboardTestKit

/// The `wallboard` program as people run it: exit status, messages and files. `make test` builds
/// it with the tests; it runs from the build directory beside the test bundle.
@Suite(.serialized) struct CommandLineTests {
    static let repository = WallboardProgram.repository

    static func wallboard(_ arguments: [String], in directory: URL) throws -> WallboardProgram.Finished {
        try WallboardProgram.run(arguments, in: directory)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// `wallboard serve --config NAME --check` over a configuration file holding `text`.
    static func serveCheck(_ text: String, named name: String) throws -> WallboardProgram.Finished {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return try wallboard(["serve", "--config", name, "--check"], in: directory)
    }

    @Test func theProductCarriesWhatACentreRunsAndTheWorkshopIsApart() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let product = try Self.wallboard(["--help"], in: directory)
        #expect(product.status == 0)
        for command in ["serve", "demo", "simulate", "state", "layout", "text", "fonts", "emulate", "replay", "postgres", "devices", "audit"] {
            #expect(product.output.contains("\n  \(command) "), "wallboard has \(command): \(product.output)")
        }
        for command in ["bench", "soak", "emulate-fleet"] {
            #expect(!product.output.contains("\n  \(command) "), "wallboard has no \(command): \(product.output)")
        }
        let workshop = WallboardProgram.executable.deletingLastPathComponent().appendingPathComponent("wallboard-dev")
        let listed = try WallboardProgram.run(["bench", "--list"], in: directory, program: workshop)
        #expect(listed.status == 0)
        #expect(listed.output.split(separator: "\n").contains("service-500-emulated-boards"), "\(listed.output)")
        let development = try WallboardProgram.run(["--help"], in: directory, program: workshop)
        for command in ["bench", "soak", "emulate-fleet"] {
            #expect(development.output.contains("\n  \(command) "), "wallboard-dev has \(command): \(development.output)")
        }
    }

    @Test func theFleetPlaysFontCardsAndCPowerCardsInTurnAndRefusesOtherModels() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let workshop = WallboardProgram.executable.deletingLastPathComponent().appendingPathComponent("wallboard-dev")
        let devices = directory.appendingPathComponent("devices.txt").path
        let log = directory.appendingPathComponent("log.tsv").path
        let nothing = URL(fileURLWithPath: "/dev/null")
        let served = try WallboardProgram.run(
            ["emulate-fleet", "--count", "3", "--models", "bx5k,cpower", "--devices", devices, "--log", log], in: directory, program: workshop, input: nothing
        )
        #expect(served.status == 0, "\(served.errors)")
        #expect(try String(contentsOfFile: devices, encoding: .utf8).split(separator: "\n").count == 3)
        let refused = try WallboardProgram.run(
            ["emulate-fleet", "--count", "2", "--models", "bx5k,huidu", "--devices", devices, "--log", log], in: directory, program: workshop, input: nothing
        )
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the fleet plays bx5k, cpower, not 'huidu'"), "\(refused.errors)")
    }

    @Test func aFleetsLogIsKeptOnlyInADirectoryThatExists() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let workshop = WallboardProgram.executable.deletingLastPathComponent().appendingPathComponent("wallboard-dev")
        let missing = directory.appendingPathComponent("missing").path
        for command in [["soak"], ["bench", "--case", "service-200-emulated-boards"]] {
            let refused = try WallboardProgram.run(command + ["--keep-fleet-log", missing], in: directory, program: workshop)
            #expect(refused.status != 0)
            #expect(refused.errors.contains("--keep-fleet-log: \(missing) is not a directory"), "\(command): \(refused.errors)")
        }
    }

    @Test func configurationWithAnErrorIsNamedAndExitsNonZero() throws {
        let finished = try Self.serveCheck("""
            centre: 测试中心
            source:
              sqlite: dispatch.db
              pol: 50ms
            boards: []
            """, named: "bad.yaml")
        #expect(finished.status != 0)
        #expect(finished.errors.contains("bad.yaml:4:"), "the error names file:line: \(finished.errors)")
        #expect(finished.errors.contains("poll"), "and suggests the setting meant: \(finished.errors)")
    }

    @Test func checkNamesTheProcessorsItWillDrive() throws {
        let finished = try Self.serveCheck("""
            centre: 测试中心
            source:
              sqlite: dispatch.db
            boards:
              - id: wall
                layout: \(Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path)
                transport: browser
            processors:
              - {id: wall-splicer, kind: novastar-h, address: 192.168.10.20, screen: 1, presets: {normal: 5, massCasualty: 9}}
            """, named: "processors.yaml")
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.output.contains("processors.yaml: 1 boards and video-wall processors wall-splicer (novastar-h at 192.168.10.20:6000), time zone"),
                "\(finished.output)")
    }

    /// A running service names the processors it drives when it starts.
    @Test func serveSaysWhichProcessorsItDrives() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            centre: 测试中心
            source:
              sqlite: dispatch.db
            http:
              port: 0
            boards:
              - id: wall
                layout: \(Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path)
                transport: browser
            processors:
              - {id: wall-splicer, kind: novastar-h, address: 127.0.0.1:9, screen: 1, presets: {normal: 5, massCasualty: 9}}
            """.write(to: directory.appendingPathComponent("processors.yaml"), atomically: true, encoding: .utf8)
        let server = try WallboardProgram.start(["serve", "--config", "processors.yaml"], in: directory)
        defer { server.process.terminate() }
        func printed() -> String { (try? String(contentsOf: server.output, encoding: .utf8)) ?? "" }
        try await eventually("the processors named at start", describe: printed) {
            printed().contains("Wallboard serving 1 boards and video-wall processors wall-splicer (novastar-h at 127.0.0.1:9) at http://")
        }
    }

    @Test func checkSaysWhichTimeZoneIsInForce() throws {
        let finished = try Self.serveCheck("""
            centre: 测试中心
            source:
              sqlite: dispatch.db
            boards:
              - id: wall
                layout: \(Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path)
                transport: browser
            """, named: "minimal.yaml")
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.output.contains("time zone Asia/Shanghai"), "\(finished.output)")
    }

    /// `--check` reads every user's token file as the service would, and refuses one others may read.
    @Test func checkRefusesATokenFileOthersCanRead() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("ops.token")
        try "operator-token-0123456789abcdef\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokenFile.path)
        try """
            centre: 测试中心
            source:
              sqlite: dispatch.db
            http:
              users:
                - {name: ops, role: operator, tokenFile: ops.token}
            boards:
              - id: wall
                layout: \(Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path)
                transport: browser
            """.write(to: directory.appendingPathComponent("wallboard.yaml"), atomically: true, encoding: .utf8)
        let refused = try Self.wallboard(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("wallboard.yaml:6:7: user 'ops'") && refused.errors.contains("chmod 600"), "\(refused.errors)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)
        let accepted = try Self.wallboard(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        #expect(accepted.status == 0, "\(accepted.errors)")
    }

    /// `--check` refuses a PostgreSQL password file that is missing or that others may read, as it
    /// does a token file, before any server is asked.
    @Test func checkRefusesAPasswordFileThatIsMissingOrOthersCanRead() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            centre: 测试中心
            source:
              postgres: postgresql://wallboard_reader@127.0.0.1:1/dispatch?passwordFile=secrets/wallboard.pw
            boards:
              - id: wall
                layout: \(Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path)
                transport: browser
            """.write(to: directory.appendingPathComponent("wallboard.yaml"), atomically: true, encoding: .utf8)
        let passwordFile = directory.appendingPathComponent("secrets/wallboard.pw")
        let missing = try Self.wallboard(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("source.postgres.passwordFile: \(passwordFile.path): cannot read the password file: No such file"), "\(missing.errors)")

        try FileManager.default.createDirectory(at: passwordFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "secret\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: passwordFile.path)
        let open = try Self.wallboard(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        #expect(open.status != 0)
        #expect(open.errors.contains("the password file is readable by group or others (mode 640); chmod 600 it"), "\(open.errors)")

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let accepted = try Self.wallboard(["serve", "--config", "wallboard.yaml", "--check"], in: directory)
        #expect(accepted.status == 0, "\(accepted.errors)")
    }

    @Test func auditVerifyFindsAnEditedLine() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.jsonl").path
        let trail = try AuditTrail(path: path)
        for text in ["演练", "测试", "清除"] {
            try trail.append(AuditEntry(
                time: Date(), user: "duty-leader", role: "operator", client: "10.1.2.3",
                action: "POST /api/v1/boards/door-s01/message", text: text, status: 202
            ))
        }
        let intact = try Self.wallboard(["audit", "verify", path], in: directory)
        #expect(intact.status == 0, "\(intact.errors)")
        #expect(intact.output.contains("3 lines in 1 day files, the chain holds"), "\(intact.output)")
        let day = try #require(AuditTrail.dayFiles(of: path).first?.path)
        let text = try String(contentsOfFile: day, encoding: .utf8)
        #expect(text.contains("\"text\":\"测试\""))
        try text.replacingOccurrences(of: "\"text\":\"测试\"", with: "\"text\":\"改过\"").write(toFile: day, atomically: true, encoding: .utf8)
        let edited = try Self.wallboard(["audit", "verify", directory.path], in: directory)
        #expect(edited.status != 0)
        #expect(edited.errors.contains("line 2 was changed after it was written"), "\(edited.errors)")
    }

    @Test func helpShowsDefaultsAsTheyAreTyped() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let finished = try Self.wallboard(["simulate", "--help"], in: directory)
        #expect(finished.status == 0)
        #expect(finished.output.contains("(default: midnight)"), "\(finished.output)")
        #expect(!finished.output.contains("MomentArgument"))
    }

    /// Every command that reads a source lists each registered kind's option, and none has an
    /// option of its own by that name, which would take it first (`state --json` is a flag).
    @Test func everySourceCommandTakesEveryKindsOptionAndNoneShadowsOne() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in [["state"], ["layout", "render"], ["replay"], ["demo"], ["serve"]] {
            let help = try Self.wallboard(command + ["--help"], in: directory).output
            let usage = try #require(help.split(separator: "\n").first { $0.hasPrefix("USAGE:") }, "\(command): \(help)")
            let start = try #require(usage.range(of: "[<--db path | --postgres url"), "\(command): \(usage)")
            let synopsis = usage[start.upperBound...].prefix { $0 != ">" }
            let kindOptions = ("--db path | --postgres url" + synopsis).components(separatedBy: " | ").compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(kindOptions.contains("--db") && kindOptions.contains("--postgres"), "\(command): \(kindOptions)")
            let ownOptions = help.components(separatedBy: "OPTIONS:").last?.split(separator: "\n")
                .compactMap { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) } ?? []
            for option in kindOptions {
                #expect(!ownOptions.contains(option), "\(command.joined(separator: " ")) has an option \(option) of its own")
            }
        }
    }

    /// The schema a dispatch system is given is the shipped file, byte for byte: the program carries it built in.
    @Test func printedSchemaIsTheShippedFile() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let finished = try Self.wallboard(["simulate", "--print-schema"], in: directory)
        #expect(finished.status == 0)
        let shipped = try String(contentsOf: Self.repository.appendingPathComponent("Sources/WallboardInterface/schema.sql"), encoding: .utf8)
        #expect(finished.output == shipped)
    }

    @Test func everyShippedLayoutChecksAndABrokenOneIsNamed() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Layouts").path)
            .filter { $0.hasSuffix(".yaml") }.map { Self.repository.appendingPathComponent("Layouts/\($0)").path }
        try #require(!shipped.isEmpty)
        let good = try Self.wallboard(["layout", "check"] + shipped, in: directory)
        #expect(good.status == 0, "\(good.output)\(good.errors)")
        let wall = good.output.split(separator: "\n").first { $0.contains("wall-3840x2160.yaml: ok") } ?? ""
        #expect(wall.contains("smallest text 40 px") && wall.contains("at least 40 px"), "each layout's smallest text: \(good.output)")

        try """
            board:
              kind: wall
              width: 1920
              height: 1080
              format: rgb
              privacy: internal
              minimumTextHeight: 20
            stale:
              rect: [0, 1032, 1920, 48]
              font: cjk-32
            states:
              main:
                - text: "{{figures.callsWaiting}}"
                  rect: [0, 0, 640, 16]
                  font: cjk-16
            """.write(to: directory.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        let small = try Self.wallboard(["layout", "check", "small.yaml"], in: directory)
        #expect(small.status != 0, "text under the wall's floor fails the check")
        #expect(small.output.contains("small.yaml:13:") && small.output.contains("under the 20 px"), "\(small.output)\(small.errors)")

        try """
            board:
              kind: wall
              width: 64
              height: 16
              format: mono
              privacy: public
            states:
              main:
                - text: "{{figures.callsWaiting}}"
                  rect: [0, 0, 64, 16]
                  font: cjk-99
            """.write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let broken = try Self.wallboard(["layout", "check", "broken.yaml"], in: directory)
        #expect(broken.status != 0)
        #expect((broken.output + broken.errors).contains("broken.yaml:11:"), "\(broken.output)\(broken.errors)")
    }

    @Test func textAndLayoutRenderWritePictures() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try Self.wallboard(["text", "城东分站 急救1号", "--size", "192x32", "--format", "bicolor", "--scale", "1", "--out", "text.png"], in: directory)
        #expect(text.status == 0, "\(text.errors)")
        let textPicture = try PNG.decode([UInt8](Data(contentsOf: directory.appendingPathComponent("text.png"))))
        #expect(textPicture.width == 192 && textPicture.height == 32)

        let simulated = try Self.wallboard(["simulate", "--db", "dispatch.db", "--start", "midnight", "--duration", "2h", "--fast"], in: directory)
        #expect(simulated.status == 0, "\(simulated.errors)")
        let wall = Self.repository.appendingPathComponent("Layouts/wall-384x192-rgb.yaml").path
        let rendered = try Self.wallboard(["layout", "render", "--layout", wall, "--db", "dispatch.db", "--scale", "1", "--out", "wall.png"], in: directory)
        #expect(rendered.status == 0, "\(rendered.errors)")
        let wallPicture = try PNG.decode([UInt8](Data(contentsOf: directory.appendingPathComponent("wall.png"))))
        #expect(wallPicture.width == 384 && wallPicture.height == 192)

        let door = Self.repository.appendingPathComponent("Layouts/door-192x32-bicolor.yaml").path
        let unplaced = try Self.wallboard(["layout", "render", "--layout", door, "--db", "dispatch.db", "--out", "door.png"], in: directory)
        #expect(unplaced.status != 0)
        #expect(unplaced.errors.contains("--station"), "\(unplaced.errors)")
    }

    /// `state --at` lists the seats as they were: the simulator keeps their history.
    @Test func stateAtAPastMomentListsTheSeatsAsTheyWere() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulated = try Self.wallboard(["simulate", "--db", "dispatch.db", "--start", "2026-11-20 08:00", "--duration", "2h", "--fast"], in: directory)
        #expect(simulated.status == 0, "\(simulated.errors)")
        let past = try Self.wallboard(["state", "--db", "dispatch.db", "--at", "2026-11-20 09:00"], in: directory)
        #expect(past.status == 0, "\(past.errors)")
        let seats = past.output.components(separatedBy: "\nseats:\n").last?.split(separator: "\n").prefix { $0.hasPrefix("  ") } ?? []
        #expect(seats.count == 3, "\(past.output)")
        #expect(seats.allSatisfy { !$0.contains("(nobody)") && $0.contains(" since 0") }, "\(seats)")
        #expect(!past.output.contains("data issues"), "\(past.output)")
    }

    /// `state --watch` prints each change with its delay; a file with a rollback journal is named
    /// once on standard error with what its writers need.
    @Test func stateWatchPrintsEachChangeAndWarnsOfARollbackJournal() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulated = try Self.wallboard(
            ["simulate", "--db", "dispatch.db", "--journal", "delete", "--fast", "--start", "2026-11-20 08:00", "--duration", "1h"], in: directory
        )
        #expect(simulated.status == 0, "\(simulated.errors)")
        let watcher = try WallboardProgram.start(["state", "--db", "dispatch.db", "--watch"], in: directory)
        defer { watcher.process.terminate() }
        func changes() -> [String] {
            let printed = (try? String(contentsOf: watcher.output, encoding: .utf8)) ?? ""
            return Array(printed.components(separatedBy: "--- change noticed at ").dropFirst())
        }
        try await eventually("the first state", describe: { changes().joined() }) { !changes().isEmpty }
        #expect(!(changes().first?.contains("暂停调用") ?? true))
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        writer.arguments = ["-cmd", ".timeout 1000", directory.appendingPathComponent("dispatch.db").path,
                            "UPDATE vehicles SET status = 9 WHERE id = (SELECT min(id) FROM vehicles)"]
        try writer.run()
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let change = try await eventually("the change", describe: { changes().joined() }) {
            changes().last.flatMap { $0.contains("暂停调用 1") ? $0 : nil }
        }
        #expect(change.contains(" s after the newest time stamp)"), "\(change)")
        let warnings = try String(contentsOf: watcher.errors, encoding: .utf8).components(separatedBy: "warning: ").dropFirst()
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.hasPrefix("database dispatch.db has a rollback journal (journal_mode delete)") == true, "\(warnings)")
    }

    @Test func emulatorNamesItsDeviceAndStopsWhenTold() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let finished = try Self.wallboard(["emulate", "--protocol", "bx5k", "--seconds", "1"], in: directory)
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.output.contains("bx5k 192x32 board on /dev/pts/"), "\(finished.output)")
        let unknown = try Self.wallboard(["emulate", "--protocol", "bx9z"], in: directory)
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("unknown protocol 'bx9z'"), "\(unknown.errors)")
    }

    /// A C-Power emulator plays the card a configuration addresses: its card ID and ID code.
    @Test func cpowerEmulatorAnswersToTheCardItIsTold() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let addressed = try Self.wallboard(["emulate", "--protocol", "cpower", "--tcp", "0", "--card-id", "7", "--id-code", "0a0b0c0d", "--seconds", "1"], in: directory)
        #expect(addressed.status == 0, "\(addressed.errors)")
        #expect(addressed.output.contains("cpower 192x32 board (card ID 7, ID code 0A0B0C0D) listening on 127.0.0.1:"), "\(addressed.output)")
        let factory = try Self.wallboard(["emulate", "--protocol", "cpower", "--seconds", "1"], in: directory)
        #expect(factory.output.contains("cpower 192x32 board (card ID 1, ID code FFFFFFFF) on /dev/pts/"), "\(factory.output)")
        let wrong = try Self.wallboard(["emulate", "--protocol", "cpower", "--id-code", "12345"], in: directory)
        #expect(wrong.status != 0)
        #expect(wrong.errors.contains("--id-code eight hexadecimal digits"), "\(wrong.errors)")
    }

    @Test func processorEmulatorListensOnUDPAndNeedsAPort() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The port is in the output while the emulator runs, not only when it ends.
        let running = try WallboardProgram.start(["emulate", "--protocol", "novastar-h", "--udp", "0"], in: directory)
        defer { running.process.terminate() }
        func printed() -> String { (try? String(contentsOf: running.output, encoding: .utf8)) ?? "" }
        try await eventually("the port, printed at once", within: .seconds(5), describe: printed) { printed().contains("on udp 127.0.0.1:") }
        running.process.terminate()
        let finished = try Self.wallboard(["emulate", "--protocol", "novastar-h", "--udp", "0", "--screens", "2", "--seconds", "1"], in: directory)
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.output.contains("novastar-h processor, 2 screen(s) and 1 input card(s), on udp 127.0.0.1:"), "\(finished.output)")
        let withoutPort = try Self.wallboard(["emulate", "--protocol", "novastar-h"], in: directory)
        #expect(withoutPort.status != 0)
        #expect(withoutPort.errors.contains("novastar-h is served over UDP: give --udp PORT"), "\(withoutPort.errors)")
    }
}
