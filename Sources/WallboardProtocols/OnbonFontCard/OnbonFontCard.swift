import WallboardRender

/// Onbon BX-5K/5MK/6K "font card" controllers: the controller draws GB2312 text with its own
/// fonts, so a live update is a few tens of bytes. Dynamic areas (`A3 06`) live in RAM and may
/// be rewritten as often as needed (programs live in flash and are never used for live data).
///
/// Packet: 14-byte header (Dst, Src, 3 reserved, BarCode, CheckMode, DisplayMode, DeviceType,
/// ProtocolVersion, DataLen) + data (`CmdGroup Cmd Response 00 00 …`) + CRC, framed by
/// `OnbonFraming`.
public enum OnbonFontCard {
    public static let headerLength = 14
    /// Replies as the controller documents them open with nine A5 bytes.
    public static let replyPreamble = 9
}
