import Testing
import WallboardDispatch
@testable import WallboardLayout

/// `ReadScope(boards:)` decides what an instance reads from `ContextField` alone: a field the
/// builder builds but `ContextField` does not declare would be read too narrowly, and a board
/// would show wrong data.
@Suite struct ContextFieldTests {
    @Test func everyFieldTheBuilderBuildsIsDeclared() {
        var roots: Set<String> = []
        var figures: Set<String> = []
        // The builder's whole context of every kind of board, a door board's with its alert.
        for kind in BoardKind.allCases {
            guard case .object(let fields) = SampleContext.context(kind: kind, privacy: .internal) else {
                Issue.record("the \(kind) board's context is not an object")
                continue
            }
            roots.formUnion(fields.keys)
            if case .object(let figureFields)? = fields[ContextField.figures.rawValue] { figures.formUnion(figureFields.keys) }
        }
        #expect(roots == Set(ContextField.allCases.map(\.rawValue)))
        #expect(figures == Set(ContextField.Figure.allCases.map(\.rawValue)))
    }

    @Test func aFigureOfTheDaysCallsKeepsAStationsReadAndAnyOtherReadsTheWholeCentre() {
        #expect(ReadScope.needs(of: ["figures.callsWaiting", "station.name"]) == (false, [.dayTallies]))
        #expect(ReadScope.needs(of: ["figures.vehiclesOnTask"]) == (true, [.dayTallies]))
        #expect(ReadScope.needs(of: ["figures"]) == (true, [.dayTallies]))
        #expect(ReadScope.needs(of: ["figures.aFigureNotBuilt"]) == (true, [.dayTallies]))
        // Names inside a section are relative to it; the section's path says what is read.
        #expect(ReadScope.needs(of: ["station.standby", "callSign"]) == (false, []))
        #expect(ReadScope.needs(of: ["alerts", "text"]) == (true, [.incidentCallers, .dayTallies]))
    }
}
