extension Huidu {
    public static let descriptor = BoardProtocolDescriptor(
        title: "Huidu SDK 2.0 programs of text items",
        models: [BoardModel(
            name: "huidu", title: "Huidu full-colour card (SDK 2.0)", family: .huidu,
            textLimits: TextAreaLimits(maximumAreas: maximumAreas, maximumAreaBytes: nil),
            replies: ReplyRules(makeParser: HuiduReplyParser.init, isRetryable: HuiduReplyParser.isRetryable)
        )],
        fuzzTarget: "huidu"
    )
}
