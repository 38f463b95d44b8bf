/// Huidu (灰度) full-colour cards (HD-WF, HD-A, HD-C series) through SDK 2.0: XML requests in
/// length-prefixed packets over TCP port 10001. The card draws text with its own fonts from a
/// program tree; a live update replaces one string of a text item.
///
/// Packet: `[len u16le, the whole packet][cmd u16le][payload]`. A session opens with the
/// transport-version exchange (2001/2002, or 2000 and an error code), then `GetIFVersion`,
/// whose reply names the session GUID every later request carries. XML travels in fragments
/// (2003 asks, 2004 answers) of at most 8000 bytes; 005f/0060 are the heartbeat.
public enum Huidu {
    /// The transport version a client announces (0x01000005, as most SDKs send).
    public static let transportVersion: UInt32 = 0x0100_0005
    /// The SDK version `GetIFVersion` announces, as the hex text the SDKs write.
    public static let sdkVersion = "1000000"
    /// The GUID a request carries before the card has named the session's.
    public static let placeholderGUID = "##GUID"
    /// XML bytes in one fragment packet.
    public static let maximumFragmentBytes = 8000
    /// The longest request XML Wallboard sends and the emulator takes (a card answers longer
    /// ones kXmlCmdTooLong). No source states a card's limit.
    public static let maximumXMLBytes = 64 * 1024
    /// Text areas in one program. No source states a card's limit; sixteen is more than any
    /// shipped layout shows at once.
    public static let maximumAreas = 16
    /// The escaped bytes of one text item's string Wallboard sends: a program of the most areas
    /// then stays within `maximumXMLBytes`.
    public static let maximumStringBytes = 3 * 1024
    /// Length and command.
    static let headLength = 4
    /// Length, command, total XML length and offset.
    static let fragmentHeadLength = 12

    /// The packets' command codes.
    public enum Command: UInt16, Sendable {
        case heartbeatAsk = 0x005F
        case heartbeatAnswer = 0x0060
        case errorAnswer = 0x2000
        case versionAsk = 0x2001
        case versionAnswer = 0x2002
        case sdkAsk = 0x2003
        case sdkAnswer = 0x2004
    }

    /// `payload` behind its length and command.
    public static func packet(_ command: Command, _ payload: [UInt8] = []) -> [UInt8] {
        var writer = ByteWriter(capacity: headLength + payload.count)
        writer.u16(UInt16(truncatingIfNeeded: headLength + payload.count))
        writer.u16(command.rawValue)
        writer.append(payload)
        return writer.bytes
    }

    /// 2001: `08 00 01 20 05 00 00 01`.
    public static func versionAsk(_ version: UInt32 = transportVersion) -> [UInt8] {
        var writer = ByteWriter(capacity: 4)
        writer.u32(version)
        return packet(.versionAsk, writer.bytes)
    }

    /// 2002: the version and a status, 10 bytes in all as the official SDK reads it.
    public static func versionAnswer(_ version: UInt32 = transportVersion, status: UInt16 = 0) -> [UInt8] {
        var writer = ByteWriter(capacity: 6)
        writer.u32(version)
        writer.u16(status)
        return packet(.versionAnswer, writer.bytes)
    }

    /// 2000 with the error's code.
    public static func errorAnswer(_ error: HuiduErrorCode) -> [UInt8] {
        var writer = ByteWriter(capacity: 2)
        writer.u16(error.rawValue)
        return packet(.errorAnswer, writer.bytes)
    }

    public static let heartbeatAsk = packet(.heartbeatAsk)
    public static let heartbeatAnswer = packet(.heartbeatAnswer)

    /// `xml` as 2003 (or 2004) fragment packets, one after another: each `[total u32le][offset
    /// u32le]` and at most `maximumFragmentBytes` of the XML.
    public static func fragments(_ xml: [UInt8], command: Command = .sdkAsk) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(xml.count + fragmentHeadLength * (xml.count / maximumFragmentBytes + 1))
        var offset = 0
        repeat {
            let end = min(xml.count, offset + maximumFragmentBytes)
            var writer = ByteWriter(capacity: 8 + end - offset)
            writer.u32(UInt32(truncatingIfNeeded: xml.count))
            writer.u32(UInt32(truncatingIfNeeded: offset))
            writer.append(xml[offset..<end])
            bytes += packet(command, writer.bytes)
            offset = end
        } while offset < xml.count
        return bytes
    }
}

/// The error codes of ErrorAnswer (2000), by the names the SDKs give them; the same names
/// stand in an XML reply's `result`.
public enum HuiduErrorCode: UInt16, Sendable, CaseIterable {
    case kSuccess = 0, kWriteFinish, kProcessError, kVersionTooLow, kDeviceOccupa, kFileOccupa, kReadFileExcessive,
         kInvalidPacketLen, kInvalidParam, kNotSpaceToSave, kCreateFileFailed, kWriteFileFailed, kReadFileFailed,
         kInvalidFileData, kFileContentError, kOpenFileFailed, kSeekFileFailed, kRenameFailed, kFileNotFound,
         kFileNotFinish, kXmlCmdTooLong, kInvalidXmlIndex, kParseXmlFailed, kInvalidMethod, kMemoryFailed,
         kSystemError, kUnsupportVideo, kNotMediaFile, kParseVideoFailed, kUnsupportFrameRate,
         kUnsupportResolution, kUnsupportFormat, kUnsupportDuration, kDownloadFileFailed, kScreenNodeIsNull,
         kNodeExist, kNodeNotExist, kPluginNotExist, kCheckLicenseFailed, kNotFoundWifiModule,
         kTestWifiUnsuccessful, kRunningError, kUnsupportMethod, kInvalidGUID, kFirmwareFormatError,
         kTagNotFound, kAttrNotFound, kCreateTagFailed, kUnsupportDeviceType, kPermissionDenied,
         kPasswdTooSimple, kDelayRespond, kShortlyReturn

    /// The name as the SDKs and the `result` attribute spell it.
    public var name: String { String(describing: self) }

    /// The code an XML reply's `result` names; nil for a name no source lists.
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// What the code means for a person reading a board's faults.
    public var meaning: String {
        switch self {
        case .kDeviceOccupa: "kDeviceOccupa: another client holds the card"
        case .kXmlCmdTooLong: "kXmlCmdTooLong: the request's XML is longer than the card takes"
        case .kParseXmlFailed: "kParseXmlFailed: the card could not read the request's XML"
        case .kInvalidGUID: "kInvalidGUID: no program, area or item has that GUID"
        case .kVersionTooLow: "kVersionTooLow: the card wants a newer transport version"
        default: name
        }
    }
}
