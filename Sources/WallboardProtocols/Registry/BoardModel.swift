/// One controller model, by the name configuration and the command line use (`bx5k`, `alpha`):
/// which protocol family drives it, what it can hold, and how its replies are read.
public struct BoardModel: Sendable, CustomStringConvertible {
    /// The protocol family and, where the family has several, the controller within it. Drivers
    /// and emulators are made from this, so both always work for the same controller.
    public enum Family: Sendable, Equatable {
        case onbonFontCard(OnbonFontCardModel)
        case onbonGraphicCard(OnbonGraphicModel)
        case alpha
        case tpm2
        case dreamCheeky
        case cpower
        case huidu
    }

    public let name: String
    /// What it is, for lists and errors ("Onbon BX-5K font card").
    public let title: String
    public let family: Family
    /// What a frame's text areas must fit; nil for boards that take pixels.
    public let textLimits: TextAreaLimits?
    /// How the board answers; nil for boards that never answer.
    public let replies: ReplyRules?
    /// The least time the controller's documents allow between two updates of what it shows;
    /// nil where they give none.
    public let minimumUpdateInterval: Duration?

    public init(
        name: String, title: String, family: Family, textLimits: TextAreaLimits? = nil, replies: ReplyRules?, minimumUpdateInterval: Duration? = nil
    ) {
        self.name = name
        self.title = title
        self.family = family
        self.textLimits = textLimits
        self.replies = replies
        self.minimumUpdateInterval = minimumUpdateInterval
    }

    public var description: String { name }
}

extension BoardModel: Equatable {
    public static func == (lhs: BoardModel, rhs: BoardModel) -> Bool { lhs.name == rhs.name }
}

/// What a controller that draws its own text can hold.
public struct TextAreaLimits: Sendable, Equatable {
    public var maximumAreas: Int
    /// The text of one area, in the controller's encoding, inline codes included; nil: no limit
    /// the driver must enforce (the driver shortens the text itself).
    public var maximumAreaBytes: Int?

    public init(maximumAreas: Int, maximumAreaBytes: Int?) {
        self.maximumAreas = maximumAreas
        self.maximumAreaBytes = maximumAreaBytes
    }
}

/// How a protocol's boards answer, and which of their refusals are worth sending again.
public struct ReplyRules: Sendable {
    public let makeParser: @Sendable () -> any BoardReplyParser
    /// Whether a NACK with this code can succeed when the same bytes are sent again (a damaged
    /// packet can; a missing font cannot).
    public let isRetryable: @Sendable (_ code: Int) -> Bool

    public init(makeParser: @escaping @Sendable () -> any BoardReplyParser, isRetryable: @escaping @Sendable (_ code: Int) -> Bool) {
        self.makeParser = makeParser
        self.isRetryable = isRetryable
    }
}

/// One wire protocol: its controller models and the name of its fuzz target (`make fuzz`).
public struct BoardProtocolDescriptor: Sendable {
    public let title: String
    public let models: [BoardModel]
    public let fuzzTarget: String

    public init(title: String, models: [BoardModel], fuzzTarget: String) {
        self.title = title
        self.models = models
        self.fuzzTarget = fuzzTarget
    }
}

/// Every protocol Wallboard speaks, registered here once; configuration, the command line, the
/// drivers and the emulators all look models up here.
public enum BoardProtocols {
    public static let all: [BoardProtocolDescriptor] = [
        OnbonFontCard.descriptor,
        OnbonGraphicCard.descriptor,
        Alpha.descriptor,
        TPM2.descriptor,
        DreamCheeky.descriptor,
        CPower.descriptor,
        Huidu.descriptor,
    ]

    public static var models: [BoardModel] { all.flatMap(\.models) }

    public static var names: [String] { models.map(\.name) }

    public static func model(named name: String) -> BoardModel? {
        models.first { $0.name == name }
    }
}
