extension DreamCheeky {
    public static let descriptor = BoardProtocolDescriptor(
        title: "Dream Cheeky USB message board",
        models: [BoardModel(name: "dreamcheeky", title: "Dream Cheeky 21×7 USB board", family: .dreamCheeky, replies: nil)],
        fuzzTarget: "dream-cheeky"
    )
}
