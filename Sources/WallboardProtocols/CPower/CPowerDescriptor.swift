extension CPower {
    public static let descriptor = BoardProtocolDescriptor(
        title: "C-Power CP5200 real-time windows",
        models: [BoardModel(
            name: "cpower", title: "C-Power CP5200 controller", family: .cpower,
            textLimits: TextAreaLimits(maximumAreas: maximumWindows, maximumAreaBytes: nil),
            replies: ReplyRules(makeParser: CPowerReplyParser.init, isRetryable: CPowerReplyParser.isRetryable)
        )],
        fuzzTarget: "cpower"
    )
}
