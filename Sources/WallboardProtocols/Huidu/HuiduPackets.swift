/// One packet as it came off the wire: its command code and payload.
public struct HuiduPacket: Sendable, Equatable {
    public var command: UInt16
    public var payload: [UInt8]

    public init(command: UInt16, payload: [UInt8]) {
        self.command = command
        self.payload = payload
    }
}

/// Cuts packets out of bytes that arrive in any chunks. A length shorter than the packet's own
/// head leaves nothing to resynchronise on: the stream is damaged from there, and the scanner
/// drops what it holds and says so once.
public struct HuiduPacketScanner: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Whether part of a packet has arrived and the rest is awaited.
    public var holdsPartOfAPacket: Bool { !pending.isEmpty }

    public enum Item: Sendable, Equatable {
        case packet(HuiduPacket)
        case damaged(String)
    }

    public mutating func feed(_ bytes: [UInt8]) -> [Item] {
        pending += bytes
        var items: [Item] = []
        var index = 0
        while pending.count - index >= 2 {
            let length = Int(pending[index]) | Int(pending[index + 1]) << 8
            guard length >= Huidu.headLength else {
                items.append(.damaged("a packet whose length \(length) is shorter than its own head"))
                index = pending.count
                break
            }
            guard pending.count - index >= length else { break }
            let command = UInt16(pending[index + 2]) | UInt16(pending[index + 3]) << 8
            items.append(.packet(HuiduPacket(command: command, payload: Array(pending[index + Huidu.headLength..<index + length]))))
            index += length
        }
        pending.removeFirst(index)
        return items
    }
}

/// Why fragments do not make one XML document.
public struct HuiduFragmentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The XML announced is longer than the receiver takes (a card answers kXmlCmdTooLong).
    public var isTooLong: Bool
}

/// Puts one XML document back together from 2003 or 2004 fragments: each must carry the same
/// total and follow the one before without gap or overlap, and the total must be within
/// `limit`; anything else is refused and the document dropped.
public struct HuiduReassembler: Sendable {
    public let limit: Int
    private var total: Int?
    private var received: [UInt8] = []

    public init(limit: Int = Huidu.maximumXMLBytes) {
        self.limit = limit
    }

    /// Whether part of a document has arrived and more is awaited.
    public var isPartial: Bool { total != nil }

    /// Takes one fragment's payload; returns the document once its last fragment arrived.
    public mutating func add(_ payload: [UInt8]) throws(HuiduFragmentError) -> [UInt8]? {
        var reader = ByteReader(payload)
        guard let announced = try? reader.u32("total"), let offset = try? reader.u32("offset") else {
            reset()
            throw HuiduFragmentError(description: "a fragment of \(payload.count) bytes, shorter than its total and offset", isTooLong: false)
        }
        let chunk = payload[8...]
        guard Int(announced) <= limit else {
            reset()
            throw HuiduFragmentError(description: "an XML document of \(announced) bytes; at most \(limit) are taken", isTooLong: true)
        }
        if let total, Int(announced) != total {
            reset()
            throw HuiduFragmentError(description: "a fragment announcing \(announced) bytes in a document of \(total)", isTooLong: false)
        }
        guard Int(offset) == received.count, received.count + chunk.count <= Int(announced) else {
            let expected = received.count
            reset()
            throw HuiduFragmentError(
                description: "a fragment of \(chunk.count) bytes at offset \(offset) where \(expected) of \(announced) have arrived", isTooLong: false)
        }
        total = Int(announced)
        received += chunk
        guard received.count == Int(announced) else { return nil }
        let document = received
        reset()
        return document
    }

    public mutating func reset() {
        total = nil
        received = []
    }
}

extension Huidu {
    /// `message`, a request written for the placeholder GUID, addressed to the session `guid`
    /// instead: the document's `<sdk guid>` replaced and the fragments cut again. Anything else
    /// (a heartbeat, a request already addressed) is returned as it is.
    public static func addressed(_ message: [UInt8], to guid: String) -> [UInt8] {
        let placeholderHead = Array("\(HuiduXML.declaration)<sdk guid=\"\(placeholderGUID)\">".utf8)
        var scanner = HuiduPacketScanner()
        var reassembler = HuiduReassembler(limit: maximumXMLBytes)
        var document: [UInt8]?
        for item in scanner.feed(message) {
            guard case .packet(let packet) = item, packet.command == Command.sdkAsk.rawValue, document == nil,
                  let whole = try? reassembler.add(packet.payload) else { continue }
            document = whole
        }
        guard let document, document.starts(with: placeholderHead) else { return message }
        let head = Array("\(HuiduXML.declaration)<sdk guid=\"\(HuiduXML.escapeAttribute(guid))\">".utf8)
        return fragments(head + document[placeholderHead.count...])
    }
}
