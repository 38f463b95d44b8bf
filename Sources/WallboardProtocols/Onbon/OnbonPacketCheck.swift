/// The checks both card families make on an unescaped packet before reading its command:
/// room for a header and CRC, a readable header, the CRC-16/ARC, and DataLen. A controller
/// answers every failure here with ERR_CHECKSUM.
enum OnbonPacketCheck {
    struct Failure<Header: Sendable>: Error {
        let message: String
        /// The header, when it could be read (a reply can then be addressed).
        let header: Header?
    }

    static func checkedHeader<Header: Sendable>(
        _ packet: [UInt8], headerLength: Int, read: (inout ByteReader) throws -> Header, dataLength: (Header) -> Int
    ) throws(Failure<Header>) -> Header {
        guard packet.count >= headerLength + 2 else {
            throw Failure(message: "packet of \(packet.count) bytes is shorter than a header and CRC", header: nil)
        }
        var reader = ByteReader(packet)
        guard let header = try? read(&reader) else { throw Failure(message: "unreadable header", header: nil) }
        let sent = UInt16(packet[packet.count - 2]) | UInt16(packet[packet.count - 1]) << 8
        let computed = CRC16ARC.checksum(packet[..<(packet.count - 2)])
        guard sent == computed else {
            throw Failure(message: "CRC \(String(sent, radix: 16)) but the packet sums to \(String(computed, radix: 16))", header: header)
        }
        guard dataLength(header) == packet.count - headerLength - 2 else {
            throw Failure(message: "DataLen says \(dataLength(header)) bytes, the packet holds \(packet.count - headerLength - 2)", header: header)
        }
        return header
    }
}
