extension OnbonGraphicCard {
    public static let descriptor = BoardProtocolDescriptor(
        title: "Onbon BX-5E/6E/6Q graphic cards",
        models: OnbonGraphicModel.allCases.map(\.boardModel),
        fuzzTarget: "onbon-graphic"
    )
}

extension OnbonGraphicModel {
    /// `bx5e`, `bx6e`, `bx6q`.
    public var boardModel: BoardModel {
        BoardModel(
            name: rawValue.filter { $0 != "-" }.lowercased(), title: "Onbon \(rawValue) graphic card",
            family: .onbonGraphicCard(self), replies: OnbonErrorCode.replyRules(OnbonGraphicCardReplyParser.init)
        )
    }
}
