import WallboardRender

/// The Dream Cheeky USB LED message board (1D34:0013): 21×7 red LEDs over HID. A frame is four
/// 8-byte reports `[brightness][row 0/2/4/6][3 bytes row n][3 bytes row n+1]`; each row is 24
/// bits, most significant byte first, with column 0 in bit 0 (columns reversed), 0 = lit, and
/// the three bits past column 20 (and the missing eighth row) sent as 1 (off). The board shows
/// a frame only briefly: the sender repeats it continuously.
public enum DreamCheeky {
    public static let width = 21
    public static let height = 7
    public static let reportLength = 8

    public enum Brightness: UInt8, Sendable, CaseIterable {
        case high = 0
        case medium = 1
        case low = 2
    }

    public static func reports(for bitmap: Bitmap, brightness: Brightness = .high) -> [[UInt8]] {
        let mono = bitmap.converted(to: .mono)
        func row(_ y: Int) -> UInt32 {
            guard y < height else { return 0xFF_FFFF }
            var bits: UInt32 = 0xFF_FFFF
            for x in 0..<width where mono[x, y] != 0 { bits &= ~(1 << UInt32(x)) }
            return bits
        }
        return stride(from: 0, to: 8, by: 2).map { top in
            let first = row(top), second = row(top + 1)
            return [
                brightness.rawValue, UInt8(top),
                UInt8(first >> 16 & 0xFF), UInt8(first >> 8 & 0xFF), UInt8(first & 0xFF),
                UInt8(second >> 16 & 0xFF), UInt8(second >> 8 & 0xFF), UInt8(second & 0xFF),
            ]
        }
    }

    /// The picture and brightness four reports show; nil unless they are four 8-byte reports
    /// for rows 0, 2, 4 and 6.
    public static func decode(_ reports: [[UInt8]]) -> (bitmap: Bitmap, brightness: Brightness)? {
        guard reports.count == 4, reports.allSatisfy({ $0.count == reportLength }),
              reports.map({ $0[1] }) == [0, 2, 4, 6], let brightness = Brightness(rawValue: reports[0][0])
        else { return nil }
        var bitmap = Bitmap(width: width, height: height, format: .mono)
        for report in reports {
            for (offset, start) in [(0, 2), (1, 5)] {
                let y = Int(report[1]) + offset
                guard y < height else { continue }
                let bits = UInt32(report[start]) << 16 | UInt32(report[start + 1]) << 8 | UInt32(report[start + 2])
                for x in 0..<width where bits & (1 << UInt32(x)) == 0 { bitmap[x, y] = 1 }
            }
        }
        return (bitmap, brightness)
    }
}
