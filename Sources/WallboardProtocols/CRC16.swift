/// CRC-16/ARC (polynomial 0x8005 reflected = 0xA001, initial value 0, no final XOR): the check
/// every Onbon packet carries, sent low byte first.
public enum CRC16ARC {
    static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        return crc
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        checksum(bytes[...])
    }

    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { data in
                for byte in data { crc = (crc >> 8) ^ table[Int((crc ^ UInt16(byte)) & 0xFF)] }
            }
        }
        return crc
    }
}
