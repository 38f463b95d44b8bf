import Foundation

/// The built `wallboard` program as a test runs it, as people do: from the build directory beside
/// the test bundle (`make test` builds both), with the repository's fonts. Its output goes through
/// files: Foundation's pipe reading traps on interrupted system calls.
public struct WallboardProgram {
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wallboard")

    public let process: Process
    public let output: URL
    public let errors: URL

    /// How a run ended.
    public struct Finished: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "\(WallboardProgram.executable.path) is missing; build everything first (make test does)" }
    }

    /// Starts `wallboard arguments…` in `directory` (or another `program` beside it in a test, such
    /// as openssl or curl); its output goes to files there, its input comes from the file `input`.
    public static func start(_ arguments: [String], in directory: URL, program: URL = executable, input: URL? = nil) throws -> WallboardProgram {
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            if program == executable { throw Missing() }
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: program.path])
        }
        let name = UUID().uuidString
        let started = WallboardProgram(
            process: Process(), output: directory.appendingPathComponent("\(name).out"), errors: directory.appendingPathComponent("\(name).err")
        )
        try Data().write(to: started.output)
        try Data().write(to: started.errors)
        started.process.executableURL = program
        if let input { started.process.standardInput = try FileHandle(forReadingFrom: input) }
        started.process.arguments = arguments
        started.process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["WALLBOARD_FONTS"] = repository.appendingPathComponent("Fonts").path
        started.process.environment = environment
        started.process.standardOutput = try FileHandle(forWritingTo: started.output)
        started.process.standardError = try FileHandle(forWritingTo: started.errors)
        try started.process.run()
        return started
    }

    /// Runs `wallboard arguments…` (or `program`'s) in `directory` to its end.
    public static func run(_ arguments: [String], in directory: URL, program: URL = executable, input: URL? = nil) throws -> Finished {
        let started = try start(arguments, in: directory, program: program, input: input)
        started.process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: started.output)
            try? FileManager.default.removeItem(at: started.errors)
        }
        return Finished(
            status: started.process.terminationStatus,
            output: try String(contentsOf: started.output, encoding: .utf8),
            errors: try String(contentsOf: started.errors, encoding: .utf8)
        )
    }
}
