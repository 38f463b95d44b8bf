import Foundation
import Synchronization
import WallboardText

/// Why fonts could not be found or loaded, with what to do about it.
public struct FontsError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The BDF fonts of one Fonts directory, by name (the file name without `.bdf`: `isas-16`,
/// `unifont-16`, `digits-24`, …). Each font is parsed the first time it is asked for and then
/// kept, so start-up pays only for the fonts a layout uses.
public final class FontLibrary: Sendable {
    public let directory: String
    /// Every font name in the directory, sorted.
    public let names: [String]
    private let cache = Mutex<[String: Font]>([:])

    /// The environment variable naming the Fonts directory.
    public static let environmentVariable = "WALLBOARD_FONTS"

    /// Chains with their own names, for layouts and the command line: CJK fonts (each carries its
    /// own ASCII) that together have every CJK ideograph at the chain's size (Unifont's at 16 px,
    /// Noto Sans CJK's above), so that no character is drawn smaller than the text around it.
    /// Clock chains put digits first; `clock-64`'s other characters come from the 48 px font.
    public static let namedChains: [(name: String, fonts: [String])] = [
        ("cjk-12", ["wqy-12"]),
        ("cjk-16", ["isas-16", "unifont-16"]),
        ("cjk-24", ["noto-cjk-24"]),
        ("cjk-32", ["noto-32", "noto-cjk-32"]),
        ("cjk-48", ["noto-cjk-48"]),
        ("clock-16", ["digits-16", "isas-16", "unifont-16"]),
        ("clock-24", ["digits-24", "noto-cjk-24"]),
        ("clock-32", ["digits-32", "noto-32", "noto-cjk-32"]),
        ("clock-64", ["digits-64", "noto-cjk-48"]),
        ("latin-7", ["fixed-5x7"]),
        ("latin-10", ["fixed-6x10"]),
    ]

    /// The fonts `make` rasterises from Debian's fonts-noto-cjk instead of the repository
    /// holding them (Fonts/README.md).
    public static func isMadeAtBuildTime(_ name: String) -> Bool { name.hasPrefix("noto-cjk-") }

    /// The fonts in `directory`; throws when it does not exist or holds no `.bdf` file.
    public init(directory: String) throws(FontsError) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw FontsError("cannot read the fonts directory \(directory): \(error.localizedDescription)")
        }
        let names = files.filter { $0.hasSuffix(".bdf") }.map { String($0.dropLast(4)) }.sorted()
        guard !names.isEmpty else {
            throw FontsError("\(directory) holds no .bdf fonts; run Fonts/build-fonts.sh or point \(FontLibrary.environmentVariable) at the Fonts directory")
        }
        self.directory = directory
        self.names = names
    }

    /// The explicit directory, else `$WALLBOARD_FONTS`, else the first of
    /// `candidateDirectories` that holds fonts.
    public static func locate(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FontsError) -> FontLibrary {
        // A path someone gave is used or fails loudly, never skipped for another.
        if let explicit, !explicit.isEmpty {
            return try FontLibrary(directory: explicit)
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try FontLibrary(directory: fromEnvironment)
        }
        let candidates = candidateDirectories(explicit: nil, environment: [:])
        for candidate in candidates where isFontsDirectory(candidate) {
            return try FontLibrary(directory: candidate)
        }
        throw FontsError(
            "no Fonts directory found; looked in \(candidates.joined(separator: ", ")). "
                + "Pass --fonts PATH or set \(environmentVariable) to the project's Fonts directory"
        )
    }

    /// Where fonts are looked for, in order: the explicit path; `$WALLBOARD_FONTS`; `Fonts`
    /// beside the executable and `../share/wallboard/Fonts` (an installed copy); the `Fonts`
    /// directory of the source tree the executable was built in (found by walking up to
    /// `Package.swift`, then from this file's compile-time path); `./Fonts`.
    public static func candidateDirectories(explicit: String?, environment: [String: String]) -> [String] {
        var candidates: [String] = []
        if let explicit, !explicit.isEmpty { candidates.append(explicit) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = executable.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("Fonts").path)
            candidates.append(directory.appendingPathComponent("../share/wallboard/Fonts").standardized.path)
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                    candidates.append(directory.appendingPathComponent("Fonts").path)
                    break
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fonts").standardized
        candidates.append(sourceTree.path)
        candidates.append(FileManager.default.currentDirectoryPath + "/Fonts")
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    private static func isFontsDirectory(_ path: String) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.contains { $0.hasSuffix(".bdf") }
    }

    /// The font `name`, parsed on first use.
    public func font(named name: String) throws -> Font {
        if let font = cached(name) { return font }
        guard names.contains(name) else {
            if FontLibrary.isMadeAtBuildTime(name) {
                throw FontsError("\(path(of: name)) has not been made: `make large-fonts` (or `make build`, `make test`) rasterises it from Debian's fonts-noto-cjk")
            }
            throw FontsError("unknown font '\(name)'; the fonts in \(directory) are: \(names.joined(separator: ", "))")
        }
        // Parsed outside the lock so that several fonts can load at once; should two threads
        // race for one font, both parse it and the first stored wins.
        let font = try FontLibrary.load(path: path(of: name), name: name)
        return cache.withLock { cache in
            if let stored = cache[name] { return stored }
            cache[name] = font
            return font
        }
    }

    private func cached(_ name: String) -> Font? {
        cache.withLock { $0[name] }
    }

    /// The file a font name stands for.
    public func path(of name: String) -> String { directory + "/" + name + ".bdf" }

    /// Reads and parses one BDF file, without caching.
    public static func load(path: String, name: String) throws -> Font {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FontsError("cannot read font file \(path)")
        }
        return try data.withUnsafeBytes { raw in
            try Font(bdf: raw.bindMemory(to: UInt8.self), name: name, source: path)
        }
    }

    /// A chain from a spec: a named chain (`cjk-16`) or font names joined by `+`
    /// (`digits-24+isas-24+unifont-16`), first font first.
    public func chain(_ spec: String) throws -> FontChain {
        if let named = FontLibrary.namedChains.first(where: { $0.name == spec }) {
            return try chain(fonts: named.fonts)
        }
        let parts = spec.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw FontsError("'\(spec)' is not a font chain; give a chain name (\(FontLibrary.namedChains.map(\.name).joined(separator: ", "))) or font names joined by '+'")
        }
        for part in parts where !names.contains(part) && !FontLibrary.isMadeAtBuildTime(part) {
            throw FontsError(
                "unknown font '\(part)' in '\(spec)'; the fonts are: \(names.joined(separator: ", ")); "
                    + "the chains are: \(FontLibrary.namedChains.map(\.name).joined(separator: ", "))"
            )
        }
        return try chain(fonts: parts)
    }

    /// A chain of the named fonts, first font first.
    public func chain(fonts fontNames: [String]) throws -> FontChain {
        // Fonts not yet loaded are parsed side by side: start-up waits for the largest only.
        let toLoad = Array(Set(fontNames.filter { names.contains($0) && cached($0) == nil }))
        if toLoad.count > 1 {
            DispatchQueue.concurrentPerform(iterations: toLoad.count) { index in
                // A failure here is thrown again, with its message, by `font(named:)` below.
                _ = try? font(named: toLoad[index])
            }
        }
        let fonts = try fontNames.map { try font(named: $0) }
        guard let chain = FontChain(fonts) else { throw FontsError("a font chain needs at least one font") }
        return chain
    }
}

extension FontLibrary {
    /// The 6763 GB2312 hanzi, from `gb2312-hanzi.txt` in the Fonts directory (written by
    /// build-fonts.sh with iconv).
    public func gb2312Hanzi() throws(FontsError) -> [Unicode.Scalar] {
        let path = directory + "/gb2312-hanzi.txt"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FontsError("cannot read \(path); run Fonts/build-fonts.sh to make it")
        }
        return String(decoding: data, as: UTF8.self).unicodeScalars.filter { !$0.properties.isWhitespace }
    }
}
