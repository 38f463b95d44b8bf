extension OnbonFontCard {
    public static let descriptor = BoardProtocolDescriptor(
        title: "Onbon BX-5K/6K font cards",
        models: OnbonFontCardModel.allCases.map(\.boardModel),
        fuzzTarget: "onbon-font-card"
    )
}

extension OnbonFontCardModel {
    /// `bx5k`, `bx6k`.
    public var boardModel: BoardModel {
        BoardModel(
            name: rawValue.filter { $0 != "-" }.lowercased(), title: "Onbon \(rawValue) font card",
            family: .onbonFontCard(self),
            textLimits: TextAreaLimits(maximumAreas: maximumAreas, maximumAreaBytes: maximumAreaBytes),
            replies: OnbonErrorCode.replyRules(OnbonFontCardReplyParser.init),
            minimumUpdateInterval: minimumUpdateInterval
        )
    }
}
