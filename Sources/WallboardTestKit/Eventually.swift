import Testing

/// Something a test waited for that did not happen in time.
public struct TimedOut: Error, CustomStringConvertible {
    public let description: String
}

/// Asks `probe` until it answers (a non-nil value) and returns the answer; fails the test,
/// naming `what` and the last thing `describe` says, when `timeout` passes first. Probes are
/// asked 10 ms apart, so a test waits only as long as the thing it waits for takes.
@discardableResult
public func eventually<T>(
    _ what: String, within timeout: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    describe: () -> String = { "" },
    _ probe: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if let answer = try await probe() { return answer }
        guard clock.now < deadline else { break }
        try await Task.sleep(for: .milliseconds(10))
    }
    let last = describe()
    let message = "not within \(timeout): \(what)" + (last.isEmpty ? "" : "; last: \(last)")
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    throw TimedOut(description: message)
}

/// Waits until `condition` holds; see `eventually(_:within:sourceLocation:describe:_:)`.
///
/// Unlabelled like the probe so that a closure answering `Bool` comes here: given to the probe,
/// `false` would be an answer (not nil) and the wait would end at once.
public func eventually(
    _ what: String, within timeout: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    describe: () -> String = { "" },
    _ condition: () async throws -> Bool
) async throws {
    try await eventually(what, within: timeout, sourceLocation: sourceLocation, describe: describe) {
        try await condition() ? () : nil
    }
}
