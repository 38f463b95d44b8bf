import Testing
import WallboardYAML

@Suite struct YAMLFileTests {
    let sample = """
        board:
          width: 192
          height: thirty-two
          format: bicolr
        widgets:
          - text: hello
          - clok: {}
        """

    @Test func valuesCarryTheirLineAndColumn() throws {
        let document = try YAMLValue.parse(sample, file: "door.yaml").mapping()
        let board = try document.required("board").mapping()
        #expect(try board.required("width").int() == 192)
        let error = try #require(throws: YAMLFileError.self) { try board.required("height").int() }
        #expect(error.description == "door.yaml:3:11: 'board.height' must be a whole number, not 'thirty-two'")
    }

    @Test func choicesNameTheValidOnesAndSuggest() throws {
        let board = try YAMLValue.parse(sample, file: "door.yaml").mapping().required("board").mapping()
        let error = try #require(throws: YAMLFileError.self) {
            try board.required("format").choice([("mono", 1), ("bicolor", 2), ("rgb", 3)])
        }
        #expect(error.description == "door.yaml:4:11: 'board.format' is 'bicolr'; expected one of: mono, bicolor, rgb (did you mean 'bicolor'?)")
    }

    @Test func unknownKeysAreReportedAtTheKey() throws {
        let widgets = try YAMLValue.parse(sample, file: "door.yaml").mapping().required("widgets").sequence()
        #expect(widgets.count == 2)
        let error = try #require(throws: YAMLFileError.self) { try widgets[1].mapping().rejectUnknownKeys(["text", "clock"]) }
        #expect(error.location == SourceLocation(file: "door.yaml", line: 7, column: 5))
        #expect(error.message.contains("unknown key 'clok' in 'widgets[1]'; valid keys: text, clock (did you mean 'clock'?)"))
    }

    @Test func missingKeysNameTheParent() throws {
        let board = try YAMLValue.parse(sample, file: "door.yaml").mapping().required("board").mapping()
        let error = try #require(throws: YAMLFileError.self) { try board.required("privacy") }
        #expect(error.description == "door.yaml:2:3: 'board' needs a 'privacy' key")
    }

    @Test func syntaxErrorsAndEmptyFilesAreLocated() {
        let error = #expect(throws: YAMLFileError.self) { try YAMLValue.parse("board:\n  width: [1, 2\n", file: "bad.yaml") }
        #expect(error?.location.file == "bad.yaml")
        #expect((error?.location.line ?? 0) >= 2)
        #expect(throws: YAMLFileError.self) { try YAMLValue.parse("", file: "empty.yaml") }
    }
}
