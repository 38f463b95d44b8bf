import CZlib

/// zlib's compression (RFC 1950) and CRC for PNG and the browser's frame messages, with zlib's
/// return codes turned into Swift errors. The one place that calls zlib.
public enum Zlib {
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "zlib failed with code \(code)" }
    }

    /// 1 is fastest, 9 smallest; 6 is zlib's default.
    public enum Level: Int32, Sendable {
        case fastest = 1
        case balanced = 6
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    public static func compress(_ bytes: [UInt8], level: Level = .balanced) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &capacity, source.baseAddress, uLong(source.count), level.rawValue)
            }
        }
        // compressBound guarantees room, so compress2 can only fail by running out of memory.
        precondition(status == Z_OK, "zlib compress2 failed with code \(status)")
        return Array(output[0..<Int(capacity)])
    }

    /// `expectedSize` is the size of the uncompressed data, or an upper bound of it.
    public static func decompress(_ bytes: [UInt8], expectedSize: Int) throws -> [UInt8] {
        var size = uLong(expectedSize)
        var output = [UInt8](repeating: 0, count: max(1, expectedSize))
        let status = output.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &size, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK else { throw Failure(code: status) }
        return Array(output[0..<Int(size)])
    }
}
