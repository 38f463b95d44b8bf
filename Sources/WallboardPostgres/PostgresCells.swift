import Foundation
import WallboardInterface

/// PostgreSQL's binary wire format for the column types an interface view can return, decoded into
/// cells for the shared row decoder. Pure (no networking), so that `make fuzz` reaches it.
package enum PostgresCells {
    /// The type identifiers (`pg_type.oid`) the decoder understands.
    package enum TypeID {
        package static let bool: UInt32 = 16
        package static let bytea: UInt32 = 17
        package static let char: UInt32 = 18
        package static let name: UInt32 = 19
        package static let int8: UInt32 = 20
        package static let int2: UInt32 = 21
        package static let int4: UInt32 = 23
        package static let text: UInt32 = 25
        package static let oid: UInt32 = 26
        package static let json: UInt32 = 114
        package static let float4: UInt32 = 700
        package static let float8: UInt32 = 701
        package static let unknown: UInt32 = 705
        package static let bpchar: UInt32 = 1042
        package static let varchar: UInt32 = 1043
        package static let numeric: UInt32 = 1700
        package static let uuid: UInt32 = 2950
        package static let jsonb: UInt32 = 3802
    }

    /// Types that hold text, keys or references.
    package static let textTypes: Set<UInt32> = [TypeID.text, TypeID.varchar, TypeID.bpchar, TypeID.name, TypeID.char, TypeID.uuid, TypeID.unknown]
    /// Whole numbers, accepted as keys too.
    package static let integerTypes: Set<UInt32> = [TypeID.int2, TypeID.int4, TypeID.int8]
    /// Types that hold numbers: time stamps in Unix seconds, codes, counts, coordinates.
    package static let numberTypes: Set<UInt32> = [TypeID.int2, TypeID.int4, TypeID.int8, TypeID.oid, TypeID.float4, TypeID.float8, TypeID.numeric]

    /// One column in binary format; nil bytes is SQL NULL. Bytes that do not fit the type become a blob,
    /// which the row decoder notes as a bad value.
    package static func cell(type: UInt32, bytes: UnsafeRawBufferPointer?) -> Cell {
        guard let bytes else { return .null }
        switch type {
        case TypeID.bool:
            guard bytes.count == 1 else { break }
            return .integer(bytes[0] == 0 ? 0 : 1)
        case TypeID.int2:
            guard bytes.count == 2 else { break }
            return .integer(Int64(Int16(bitPattern: UInt16(bigEndian: bytes, at: 0))))
        case TypeID.int4:
            guard bytes.count == 4 else { break }
            return .integer(Int64(Int32(bitPattern: UInt32(bigEndian: bytes, at: 0))))
        case TypeID.oid:
            guard bytes.count == 4 else { break }
            return .integer(Int64(UInt32(bigEndian: bytes, at: 0)))
        case TypeID.int8:
            guard bytes.count == 8 else { break }
            return .integer(Int64(bitPattern: UInt64(bigEndian: bytes, at: 0)))
        case TypeID.float4:
            guard bytes.count == 4 else { break }
            return .real(Double(Float(bitPattern: UInt32(bigEndian: bytes, at: 0))))
        case TypeID.float8:
            guard bytes.count == 8 else { break }
            return .real(Double(bitPattern: UInt64(bigEndian: bytes, at: 0)))
        case TypeID.numeric:
            if let number = numeric(bytes) { return .real(number) }
        case TypeID.uuid:
            guard bytes.count == 16 else { break }
            return .text(uuidText(bytes))
        case TypeID.jsonb:
            guard bytes.first == 1 else { break }
            return .text(String(decoding: bytes.dropFirst(), as: UTF8.self))
        case TypeID.text, TypeID.varchar, TypeID.bpchar, TypeID.name, TypeID.char, TypeID.json, TypeID.unknown:
            return .text(String(decoding: bytes, as: UTF8.self))
        default:
            break
        }
        return .blob(Array(bytes))
    }

    /// `numeric` on the wire: digit count, weight, sign and display scale (16 bits each), then base-10000 digits.
    static func numeric(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard bytes.count >= 8 else { return nil }
        let count = Int(Int16(bitPattern: UInt16(bigEndian: bytes, at: 0)))
        let weight = Int(Int16(bitPattern: UInt16(bigEndian: bytes, at: 2)))
        let sign = UInt16(bigEndian: bytes, at: 4)
        switch sign {
        case 0xC000: return .nan
        case 0xD000: return .infinity
        case 0xF000: return -.infinity
        case 0x0000, 0x4000: break
        default: return nil
        }
        guard count >= 0, bytes.count == 8 + 2 * count else { return nil }
        // Whole and fractional digits are summed apart, so that 0.25 comes out as exactly 0.25.
        var whole = 0.0
        var fraction = 0.0
        var fractionDigits = 0
        for index in 0..<count {
            let digit = UInt16(bigEndian: bytes, at: 8 + 2 * index)
            guard digit < 10_000 else { return nil }
            let power = weight - index
            if power >= 0 {
                whole += Double(digit) * pow(10_000, Double(power))
            } else {
                fraction = fraction * 10_000 + Double(digit)
                fractionDigits += 1
            }
        }
        let leadingZeroGroups = max(0, -weight - 1)
        let value = whole + fraction / pow(10_000, Double(fractionDigits + leadingZeroGroups))
        return sign == 0x4000 ? -value : value
    }

    private static func uuidText(_ bytes: UnsafeRawBufferPointer) -> String {
        UUID(uuid: bytes.loadUnaligned(as: uuid_t.self)).uuidString.lowercased()
    }
}

private extension UInt16 {
    init(bigEndian bytes: UnsafeRawBufferPointer, at offset: Int) {
        self = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}

private extension UInt32 {
    init(bigEndian bytes: UnsafeRawBufferPointer, at offset: Int) {
        self = (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }
}

private extension UInt64 {
    init(bigEndian bytes: UnsafeRawBufferPointer, at offset: Int) {
        self = (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }
}
