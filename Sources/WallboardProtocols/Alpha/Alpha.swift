import WallboardRender

/// The Alpha Sign Communications Protocol (Alpha, BetaBrite and compatible signs).
///
///     00 ×5 | 01 SOH | TypeCode | Addr (2 hex) | { 02 STX | Cmd | data | 03 ETX | CCCC }… | 04 EOT
///
/// The protocol has no byte stuffing: any byte below 0x20 in data is a command. Text is
/// therefore filtered: control bytes (below 0x20 and 0x7F) never reach the wire, and a
/// character the sign cannot show is reported before anything is sent.
public enum Alpha {
    static let nul: UInt8 = 0x00, soh: UInt8 = 0x01, stx: UInt8 = 0x02, etx: UInt8 = 0x03, eot: UInt8 = 0x04
    static let escape: UInt8 = 0x1B, colourCode: UInt8 = 0x1C, callString: UInt8 = 0x10, callDots: UInt8 = 0x14
    static let carriageReturn: UInt8 = 0x0D
    /// The longest STRING file the sign accepts.
    public static let maximumStringLength = 125
    /// Wallboard labels STRING files `1`, `2`, `3` …, one per text area, up to `>` (`?` is not a label).
    public static let firstStringLabel = UInt8(ascii: "1")
    public static let maximumStringFiles = Int(UInt8(ascii: "?") - firstStringLabel)
    /// Wait this long at each of a transmission's pauses (after a DOTS size, between nested commands).
    public static let pauseMilliseconds = 100
}
