/// Which dynamic areas a command deletes, the same on font cards (`A3 06`) and graphic cards
/// (`A7 01`): `DelNum` 0 none, FF all, else that many area ids.
public enum OnbonAreaDeletion: Equatable, Sendable {
    case none
    case all
    case areas([UInt8])

    func append(to writer: inout ByteWriter) throws(OnbonEncodingError) {
        switch self {
        case .none: writer.u8(0)
        case .all: writer.u8(0xFF)
        case .areas(let ids):
            guard !ids.isEmpty, ids.count < 0xFF else { throw OnbonEncodingError("delete between 1 and 254 area ids, got \(ids.count)") }
            writer.u8(UInt8(ids.count))
            writer.append(ids)
        }
    }

    static func read(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> OnbonAreaDeletion {
        let count = try reader.u8("DeleteAreaNum")
        switch count {
        case 0: return .none
        case 0xFF: return .all
        default: return .areas(Array(try reader.take(Int(count), "DeleteAreaId")))
        }
    }
}
