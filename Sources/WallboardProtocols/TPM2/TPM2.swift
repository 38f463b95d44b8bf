import WallboardRender

/// TPM2 over serial or USB-CDC for pixel matrices: `C9 DA size_hi size_lo RGB… 36`, one frame
/// per packet, pixels in row-major order; the device answers each frame with `AC`.
public enum TPM2 {
    public static let start: UInt8 = 0xC9
    public static let dataFrame: UInt8 = 0xDA
    public static let commandFrame: UInt8 = 0xC0
    public static let answerFrame: UInt8 = 0xAA
    public static let end: UInt8 = 0x36
    public static let acknowledgement: UInt8 = 0xAC
    public static let maximumPayload = 0xFFFF

    /// One data frame holding `bitmap`'s pixels as RGB, row by row.
    public static func encode(_ bitmap: Bitmap) throws(TPM2Error) -> [UInt8] {
        let size = bitmap.width * bitmap.height * 3
        guard size <= maximumPayload else {
            throw TPM2Error("a \(bitmap.width)x\(bitmap.height) frame is \(size) bytes, over TPM2's 65535: split the matrix")
        }
        var bytes = [UInt8](repeating: 0, count: size + 5)
        bytes[0] = start
        bytes[1] = dataFrame
        bytes[2] = UInt8(size >> 8)
        bytes[3] = UInt8(size & 0xFF)
        bytes[size + 4] = end
        let rgb = bitmap.converted(to: .rgb)
        bytes.withUnsafeMutableBufferPointer { out in
            rgb.withUnsafePixels { pixels in
                var offset = 4
                for value in pixels {
                    out[offset] = UInt8(truncatingIfNeeded: value >> 16)
                    out[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    out[offset + 2] = UInt8(truncatingIfNeeded: value)
                    offset += 3
                }
            }
        }
        return bytes
    }

    /// The pixels of a data frame's payload laid out `width` wide; nil when the payload is not
    /// whole pixels. Missing pixels stay off.
    public static func bitmap(payload: [UInt8], width: Int, height: Int) -> Bitmap? {
        guard payload.count % 3 == 0, width > 0, height > 0 else { return nil }
        var bitmap = Bitmap(width: width, height: height, format: .rgb)
        for index in 0..<min(payload.count / 3, width * height) {
            bitmap[index % width, index / width] = UInt32(payload[3 * index]) << 16 | UInt32(payload[3 * index + 1]) << 8 | UInt32(payload[3 * index + 2])
        }
        return bitmap
    }
}

public struct TPM2Error: Error, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A packet found in a TPM2 stream.
public struct TPM2Packet: Equatable, Sendable {
    public var type: UInt8
    public var payload: [UInt8]
}

/// Finds TPM2 packets in a stream arriving in any chunks. A packet whose end byte is not `36`
/// is dropped and the search restarts just after its start byte, so a garbled frame cannot
/// hide the next one.
public struct TPM2Scanner: Sendable {
    private var buffer: [UInt8] = []

    public init() {}

    public var isInsidePacket: Bool { !buffer.isEmpty }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [TPM2Packet] {
        buffer.append(contentsOf: bytes)
        var packets: [TPM2Packet] = []
        var index = 0
        scanning: while index < buffer.count {
            guard buffer[index] == TPM2.start else {
                index += 1
                continue
            }
            guard index + 4 <= buffer.count else { break scanning }
            let type = buffer[index + 1]
            guard type == TPM2.dataFrame || type == TPM2.commandFrame || type == TPM2.answerFrame else {
                index += 1
                continue
            }
            let size = Int(buffer[index + 2]) << 8 | Int(buffer[index + 3])
            let endIndex = index + 4 + size
            guard endIndex < buffer.count else { break scanning }
            if buffer[endIndex] == TPM2.end {
                packets.append(TPM2Packet(type: type, payload: Array(buffer[(index + 4)..<endIndex])))
                index = endIndex + 1
            } else {
                index += 1
            }
        }
        buffer.removeFirst(index)
        return packets
    }
}

/// Reads a TPM2 device's `AC` acknowledgements.
public struct TPM2ReplyParser: BoardReplyParser {
    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        bytes.compactMap { $0 == TPM2.acknowledgement ? .ack : nil }
    }
}
