import Foundation
import WallboardInterface
import WallboardPostgres

/// PostgreSQL's binary column values, as any server or view might send them, through the cell
/// decoder and then the row decoder that SQLite's rows go through too: every interface column type
/// the reader accepts, and some it refuses, with any bytes (or NULL).
func fuzzPostgresCells(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let types = Array(PostgresCells.textTypes.union(PostgresCells.numberTypes)).sorted() + [
        PostgresCells.TypeID.bool, PostgresCells.TypeID.bytea, PostgresCells.TypeID.json, PostgresCells.TypeID.jsonb, 1184,
    ]
    var cells: [Cell] = []
    while !input.isEmpty, cells.count < 8 {
        let type = types[Int(input.byte()) % types.count]
        let length = Int(input.byte()) % 40
        let value = input.bytes(length)
        cells.append(input.byte() & 7 == 0 ? PostgresCells.cell(type: type, bytes: nil) : value.withUnsafeBytes { PostgresCells.cell(type: type, bytes: $0) })
    }
    let row = CellRow(cells)
    var decoder = RowDecoder(latestAcceptable: Date(timeIntervalSince1970: 1_763_700_000))
    for index in 0..<cells.count {
        _ = decoder.key(row[index], table: "calls", position: index)
        _ = decoder.text(row[index], "calls", "#\(index)", "caller_phone")
        _ = decoder.integer(row[index], "calls", "#\(index)", "status")
        _ = decoder.real(row[index])
        _ = decoder.date(row, index, "calls", "#\(index)", "received_at")
        _ = decoder.outcome(row, index, "calls", "#\(index)")
        _ = row.flag(index)
    }
}
