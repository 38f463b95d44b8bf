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
    /// The dots of the font a dynamic area uses when its text names none (`O000`, 16-dot).
    public static let defaultFontHeight = 16
    /// An area update's bytes besides the text of its areas: the command's head, deletion and
    /// area count (7), then per area its record's length and settings (29).
    public static let updateHeadBytes = 7
    public static let areaRecordBytes = 29
    static let updateOverhead = updateHeadBytes + areaRecordBytes

    /// The controller's advance for `character` in its default font: its GB2312 fonts are
    /// fixed-width, ASCII half as wide as tall and everything else square.
    public static func advance(of character: Character) -> Int {
        character.unicodeScalars.allSatisfy(\.isASCII) ? defaultFontHeight / 2 : defaultFontHeight
    }
}
