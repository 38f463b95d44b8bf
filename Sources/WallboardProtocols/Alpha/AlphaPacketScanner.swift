import WallboardRender

/// Splits a byte stream into Alpha packets, resynchronising at every SOH. Bytes outside
/// packets are dropped; a packet cut off by a new SOH is dropped too.
public struct AlphaPacketScanner: Sendable {
    private enum State: Sendable {
        case hunting
        case header([UInt8])
        case between
        case command(code: UInt8?, data: [UInt8], sum: Int)
        case checksum(code: UInt8, data: [UInt8], sum: Int, digits: [UInt8])
    }

    private var state = State.hunting
    private var packet = AlphaReceivedPacket(typeCode: 0, address: 0, commands: [])
    public let maximumPacketLength: Int
    private var length = 0

    public init(maximumPacketLength: Int = 70_000) {
        self.maximumPacketLength = maximumPacketLength
    }

    public var isInsidePacket: Bool {
        if case .hunting = state { return false }
        return true
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [AlphaReceivedPacket] {
        var packets: [AlphaReceivedPacket] = []
        for byte in bytes {
            length += 1
            if byte == Alpha.soh {
                state = .header([])
                length = 0
                continue
            }
            if length > maximumPacketLength { state = .hunting }
            switch state {
            case .hunting:
                continue
            case .header(var collected):
                collected.append(byte)
                if collected.count == 3 {
                    let address = parseHex(collected[1...2]) ?? -1
                    packet = AlphaReceivedPacket(typeCode: collected[0], address: address, commands: [])
                    state = .between
                } else {
                    state = .header(collected)
                }
            case .between:
                if byte == Alpha.stx { state = .command(code: nil, data: [], sum: Int(Alpha.stx)) }
                if byte == Alpha.eot {
                    packets.append(packet)
                    state = .hunting
                }
            case .command(let code, var data, let sum):
                switch byte {
                case Alpha.stx, Alpha.eot:
                    if let code { packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: .absent)) }
                    if byte == Alpha.eot {
                        packets.append(packet)
                        state = .hunting
                    } else {
                        state = .command(code: nil, data: [], sum: Int(Alpha.stx))
                    }
                case Alpha.etx:
                    state = .checksum(code: code ?? 0, data: data, sum: (sum + Int(byte)) & 0xFFFF, digits: [])
                default:
                    if code == nil {
                        state = .command(code: byte, data: data, sum: (sum + Int(byte)) & 0xFFFF)
                    } else {
                        data.append(byte)
                        state = .command(code: code, data: data, sum: (sum + Int(byte)) & 0xFFFF)
                    }
                }
            case .checksum(let code, let data, let sum, var digits):
                if byte == Alpha.stx || byte == Alpha.eot {
                    // ETX without a checksum: the nested form without checks.
                    packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: digits.isEmpty ? .absent : .wrong))
                    if byte == Alpha.eot {
                        packets.append(packet)
                        state = .hunting
                    } else {
                        state = .command(code: nil, data: [], sum: Int(Alpha.stx))
                    }
                    continue
                }
                digits.append(byte)
                if digits.count == 4 {
                    let valid = parseHex(digits) == sum
                    packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: valid ? .valid : .wrong))
                    state = .between
                } else {
                    state = .checksum(code: code, data: data, sum: sum, digits: digits)
                }
            }
        }
        return packets
    }
}
