import WallboardRender

/// Onbon BX-5E/6E/6Q graphic controllers: frames are rendered here and sent as pixels in a
/// dynamic area (`A7 00`), in each card's own bitmap format.
///
/// Packet: 16-byte header (Dst, Src, ProtoVer F0, reserved, DeviceType(2), 4 reserved,
/// DataLen(4)) + data (`RtnReq CmdGroup Cmd …`) + CRC, framed by `OnbonFraming`.
public enum OnbonGraphicCard {
    public static let headerLength = 16
    public static let protocolVersion: UInt8 = 0xF0
    /// The controller accepts packets up to 64 KB.
    public static let maximumDataLength = 65_535
}
