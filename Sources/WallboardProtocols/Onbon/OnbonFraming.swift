/// The framing every Onbon BX-5/BX-6 controller speaks: `A5 ×8 | escape(packet) | 5A`, where the
/// packet is header + data + CRC-16/ARC (low byte first) and escaping turns `A5 A6 5A 5B` into
/// `A6 02, A6 01, 5B 02, 5B 01`. Because escaped bytes never contain A5 or 5A, data can never
/// open or close a frame: no field can inject a command.
public enum OnbonFraming {
    public static let frameStart: UInt8 = 0xA5
    public static let frameEnd: UInt8 = 0x5A
    public static let preambleLength = 8

    /// Wraps an unescaped packet (header + data + CRC) in the preamble, escaping and end byte.
    public static func frame(_ packet: [UInt8], preamble: Int = preambleLength) -> [UInt8] {
        // Worst case every byte doubles.
        var wire = [UInt8](repeating: frameStart, count: preamble + 2 * packet.count + 1)
        var count = preamble
        wire.withUnsafeMutableBufferPointer { out in
            packet.withUnsafeBufferPointer { input in
                for byte in input {
                    switch byte {
                    case 0xA5, 0xA6:
                        out[count] = 0xA6
                        out[count + 1] = byte == 0xA5 ? 0x02 : 0x01
                        count += 2
                    case 0x5A, 0x5B:
                        out[count] = 0x5B
                        out[count + 1] = byte == 0x5A ? 0x02 : 0x01
                        count += 2
                    default:
                        out[count] = byte
                        count += 1
                    }
                }
            }
            out[count] = frameEnd
        }
        wire.removeLast(wire.count - count - 1)
        return wire
    }

    /// Header + data + CRC, before escaping.
    public static func packet(header: [UInt8], data: [UInt8]) -> [UInt8] {
        var packet = header + data
        let crc = CRC16ARC.checksum(packet)
        packet.append(UInt8(truncatingIfNeeded: crc))
        packet.append(UInt8(truncatingIfNeeded: crc >> 8))
        return packet
    }

    /// Reverses the escaping of a frame body (between the preamble and `5A`); nil when an
    /// `A6`/`5B` is followed by anything but `01`/`02`.
    public static func unescape(_ body: ArraySlice<UInt8>) -> [UInt8]? {
        var result = [UInt8](repeating: 0, count: body.count)
        var count = 0
        let valid = result.withUnsafeMutableBufferPointer { out -> Bool in
            body.withUnsafeBufferPointer { input -> Bool in
                var pending: UInt8 = 0
                for byte in input {
                    if pending != 0 {
                        switch (pending, byte) {
                        case (0xA6, 0x01): out[count] = 0xA6
                        case (0xA6, 0x02): out[count] = 0xA5
                        case (0x5B, 0x01): out[count] = 0x5B
                        case (0x5B, 0x02): out[count] = 0x5A
                        default: return false
                        }
                        count += 1
                        pending = 0
                    } else if byte == 0xA6 || byte == 0x5B {
                        pending = byte
                    } else {
                        out[count] = byte
                        count += 1
                    }
                }
                return pending == 0
            }
        }
        guard valid else { return nil }
        result.removeLast(result.count - count)
        return result
    }

    public static func unescape(_ body: [UInt8]) -> [UInt8]? { unescape(body[...]) }
}

/// What the frame scanner found in the byte stream.
public enum OnbonScannedFrame: Equatable, Sendable {
    /// An unescaped packet: header + data + CRC (not yet checked).
    case packet([UInt8])
    /// A frame whose escaping was broken; `partial` is what could be read of its header.
    case badEscape(partial: [UInt8])
}

/// Finds frames in a stream that arrives in arbitrary chunks, resynchronising the way the
/// controller does: any `A5` starts a frame (a run of them is one preamble), the first other
/// byte opens the packet, `5A` ends it. Bytes outside frames are dropped.
public struct OnbonFrameScanner: Sendable {
    private enum State: Sendable {
        case hunting
        case preamble
        case body
    }

    private var state = State.hunting
    private var body: [UInt8] = []
    /// A body longer than this (escaped) is abandoned: no controller accepts it.
    public let maximumBodyLength: Int

    public init(maximumBodyLength: Int = 140_000) {
        self.maximumBodyLength = maximumBodyLength
    }

    /// True while a frame has started and not yet ended (for "closed mid-frame" reports).
    public var isInsideFrame: Bool { state != .hunting }

    public mutating func feed(_ bytes: [UInt8]) -> [OnbonScannedFrame] {
        feed(bytes[...])
    }

    public mutating func feed(_ bytes: ArraySlice<UInt8>) -> [OnbonScannedFrame] {
        var frames: [OnbonScannedFrame] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if state == .body, byte != OnbonFraming.frameStart, byte != OnbonFraming.frameEnd {
                // Fast path: copy the run of ordinary body bytes at once.
                var end = index
                while end < bytes.endIndex, bytes[end] != OnbonFraming.frameStart, bytes[end] != OnbonFraming.frameEnd { end += 1 }
                guard body.count + (end - index + 1) <= maximumBodyLength else {
                    state = .hunting
                    index = end
                    continue
                }
                body.append(byte)
                body.append(contentsOf: bytes[index..<end])
                index = end
                continue
            }
            switch state {
            case .hunting:
                if byte == OnbonFraming.frameStart { state = .preamble }
            case .preamble:
                if byte == OnbonFraming.frameStart { continue }
                if byte == OnbonFraming.frameEnd {
                    state = .hunting
                    continue
                }
                body.removeAll(keepingCapacity: true)
                body.append(byte)
                state = .body
            case .body:
                if byte == OnbonFraming.frameStart {
                    // A new frame starts: the one in progress was cut off.
                    state = .preamble
                } else {
                    if let packet = OnbonFraming.unescape(body[...]) {
                        frames.append(.packet(packet))
                    } else {
                        frames.append(.badEscape(partial: OnbonFraming.unescape(body.prefix(16)) ?? []))
                    }
                    state = .hunting
                }
            }
        }
        return frames
    }
}

/// The error codes Onbon controllers put in a NACK (the same numbers on BX-5K/6K font cards
/// and BX-5E/6E/6Q graphic cards; 17–19 only on the graphic cards).
public enum OnbonErrorCode: UInt16, Sendable, CaseIterable {
    case none = 0
    case commandGroup = 1
    case noSuchCommand = 2
    case busy = 3
    case outOfMemory = 4
    case checksum = 5
    case fileNotFound = 6
    case flashAccess = 7
    case fileDownload = 8
    case fileName = 9
    case fileType = 10
    case fileCRC = 11
    case fontMissing = 12
    case firmwareType = 13
    case dateTimeFormat = 14
    case fileExists = 15
    case fileBlockNumber = 16
    case controllerType = 17
    case screenParameters = 18
    case controllerID = 19

    /// The controller's name for the code and what it means, for status pages and logs.
    public var explanation: String {
        switch self {
        case .none: "ERR_NO: no error"
        case .commandGroup: "ERR_OUTOFGROUP: the controller does not know this command group"
        case .noSuchCommand: "ERR_NOCMD: the controller does not know this command"
        case .busy: "ERR_BUSY: the controller is busy"
        case .outOfMemory: "ERR_MEMORYVOLUME: the data does not fit the controller's memory (too many or too large areas)"
        case .checksum: "ERR_CHECKSUM: the packet's CRC16 was wrong (line noise or wrong baud rate)"
        case .fileNotFound: "ERR_FILENOTEXIST: no such file"
        case .flashAccess: "ERR_FLASH: flash access failed"
        case .fileDownload: "ERR_FILE_DOWNLOAD: file download failed"
        case .fileName: "ERR_FILE_NAME: bad file name"
        case .fileType: "ERR_FILE_TYPE: bad file type"
        case .fileCRC: "ERR_FILE_CRC16: file checksum wrong"
        case .fontMissing: "ERR_FONT_NOT_EXIST: the font the text asks for is not installed on the controller"
        case .firmwareType: "ERR_FIRMWARE_TYPE: firmware does not match the controller"
        case .dateTimeFormat: "ERR_DATE_TIME_FORMAT: bad date or time"
        case .fileExists: "ERR_FILE_EXIST: file already exists"
        case .fileBlockNumber: "ERR_FILE_BLOCK_NUM: file block number wrong"
        case .controllerType: "ERR_CONTROLLER_TYPE: the packet is for another controller type"
        case .screenParameters: "ERR_SCREEN_PARA: a parameter is out of range for this screen"
        case .controllerID: "ERR_CONTROLLER_ID: wrong controller ID"
        }
    }
}

extension OnbonFrameScanner {
    /// The replies in the frames completed so far: `checkHeader` says what is wrong with a
    /// packet's header (nil when nothing is), `read` reads the data between header and CRC.
    mutating func replies(
        _ bytes: [UInt8], headerLength: Int, checkHeader: ([UInt8]) -> String?, read: ([UInt8]) -> BoardReply
    ) -> [BoardReply] {
        feed(bytes).map { scanned in
            guard case .packet(let packet) = scanned else { return .garbled("broken escaping in the reply frame") }
            if let problem = checkHeader(packet) { return .garbled(problem) }
            return read(Array(packet[headerLength..<packet.count - 2]))
        }
    }
}

extension OnbonErrorCode {
    /// A NACK with the board's error code and what the document says it means.
    static func nack(code: Int) -> BoardReply {
        .nack(code: code, explanation: OnbonErrorCode(rawValue: UInt16(truncatingIfNeeded: code))?.explanation ?? "unknown error code")
    }
}

extension OnbonErrorCode {
    /// Onbon replies for both card families: a damaged packet (ERR_CHECKSUM) or a busy controller
    /// (ERR_BUSY) can succeed when sent again; every other refusal would only repeat itself.
    static func replyRules(_ makeParser: @escaping @Sendable () -> any BoardReplyParser) -> ReplyRules {
        ReplyRules(makeParser: makeParser) { code in
            code == Int(OnbonErrorCode.checksum.rawValue) || code == Int(OnbonErrorCode.busy.rawValue)
        }
    }
}
