import Synchronization

/// A value that a test shares with the closures and tasks it starts (a `Mutex` cannot be
/// captured by an escaping closure; a reference to one can).
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        try mutex.withLock(body)
    }
}
