import Foundation
import WallboardLayout

/// Free text from arbitrary bytes, scrubbed for a public and an internal board: it never traps,
/// a public board's text grows by at most the marks it gains, an internal board's never grows,
/// and the patient's name is gone from the public text.
func fuzzScrubber(_ bytes: [UInt8]) {
    let split = bytes.isEmpty ? 0 : min(bytes.count, 1 + Int(bytes[0]) % 16)
    let name = String(decoding: bytes[min(1, split)..<split], as: UTF8.self)
    let text = String(decoding: bytes[split...], as: UTF8.self)
    let numbers = [String(decoding: bytes.prefix(12), as: UTF8.self)]

    let removed = FreeTextScrubber(names: [name], numbers: numbers, redaction: .remove).scrub(text)
    let marks = removed.ranges(of: FreeTextScrubber.mark).count
    guard removed.count <= text.count + marks * (FreeTextScrubber.mark.count - 1) else {
        fuzzInvariantBroken("public text grew past its marks: \(text.debugDescription) → \(removed.debugDescription)")
    }
    let fullName = name.filter { !$0.isWhitespace }
    if fullName.count >= 2, !fullName.contains("*"), !removed.ranges(of: fullName).isEmpty {
        fuzzInvariantBroken("the name \(fullName.debugDescription) is still in \(removed.debugDescription)")
    }
    let masked = FreeTextScrubber(names: [name], numbers: numbers, redaction: .mask).scrub(text)
    guard masked.count <= text.count else {
        fuzzInvariantBroken("internal text grew: \(text.debugDescription) → \(masked.debugDescription)")
    }
}

func fuzzInvariantBroken(_ message: String) -> Never {
    FileHandle.standardError.write(Data("scrubber: \(message)\n".utf8))
    abort()
}
