import Dispatch

extension DispatchQueue {
    /// Runs `body` on this queue and waits for it without blocking the caller's thread: how blocking
    /// database calls leave Swift's cooperative pool for a connection's own queue.
    public func perform<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            async { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }
}
