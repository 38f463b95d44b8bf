import WallboardProtocols
import WallboardRender

/// A TPM2 pixel matrix: shows each data frame, answers `AC`.
public struct TPM2Emulator: BoardEmulator {
    public let width: Int
    public let height: Int
    private var scanner = TPM2Scanner()
    private var log = Journal()
    public private(set) var frame: Bitmap
    public private(set) var framesShown = 0

    public init(width: Int = 64, height: Int = 32) {
        self.width = width
        self.height = height
        self.frame = Bitmap(width: width, height: height, format: .rgb)
    }

    public var journal: [BoardEvent] { log.events }
    public var isInsidePacket: Bool { scanner.isInsidePacket }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        var replies: [UInt8] = []
        for packet in scanner.feed(bytes) {
            guard packet.type == TPM2.dataFrame else {
                log.record(.ignored("a TPM2 packet of type \(packet.type)"))
                continue
            }
            guard let bitmap = TPM2.bitmap(payload: packet.payload, width: width, height: height) else {
                log.record(.refused(code: 0, reason: "a payload of \(packet.payload.count) bytes is not whole RGB pixels"))
                continue
            }
            frame = bitmap
            framesShown += 1
            log.record(.accepted("frame of \(packet.payload.count / 3) pixels"))
            replies.append(TPM2.acknowledgement)
        }
        return replies
    }

    public func render() -> Bitmap { frame }
}
