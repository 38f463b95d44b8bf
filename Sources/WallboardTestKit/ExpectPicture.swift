import Testing
import WallboardRender

/// Asserts that `bitmap` looks like `picture` (see `AsciiPicture`), printing expected and actual
/// side by side when it does not.
public func expectPicture(
    _ bitmap: Bitmap,
    _ picture: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let expected = AsciiPicture.parse(picture, format: bitmap.format) else {
        Issue.record("the expected picture is not a valid \(bitmap.format) picture:\n\(picture)", sourceLocation: sourceLocation)
        return
    }
    guard expected != bitmap else { return }
    let actual = AsciiPicture.render(bitmap)
    Issue.record(
        """
        picture differs (expected \(expected.width)x\(expected.height), actual \(bitmap.width)x\(bitmap.height))
        \(sideBySide(AsciiPicture.render(expected), actual))
        """,
        sourceLocation: sourceLocation
    )
}

/// Two pictures next to each other under the headings "expected" and "actual", with a `<` after
/// each row that differs.
public func sideBySide(_ expected: String, _ actual: String) -> String {
    let left = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let right = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let width = max(left.map(\.count).max() ?? 0, "expected".count)
    func padded(_ text: String) -> String { text + String(repeating: " ", count: width - text.count) }
    var lines = [padded("expected") + "   actual"]
    for index in 0..<max(left.count, right.count) {
        let l = index < left.count ? left[index] : ""
        let r = index < right.count ? right[index] : ""
        lines.append(padded(l) + " | " + r + (l == r ? "" : "  <"))
    }
    return lines.joined(separator: "\n")
}
