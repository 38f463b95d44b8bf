extension Alpha {
    public static let descriptor = BoardProtocolDescriptor(
        title: "Alpha Sign Communications Protocol",
        models: [BoardModel(
            name: "alpha", title: "Alpha sign", family: .alpha,
            textLimits: TextAreaLimits(maximumAreas: maximumStringFiles, maximumAreaBytes: nil),
            replies: ReplyRules(makeParser: AlphaReplyParser.init, isRetryable: AlphaReplyParser.isRetryable)
        )],
        fuzzTarget: "alpha"
    )
}
