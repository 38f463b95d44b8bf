import CWallboardSys
import Glibc

/// Starts a detached system thread running `body`: for loops that must block (the poll() loop,
/// libusb event handling) without occupying a thread of Swift's cooperative pool.
func startDetachedThread(name: String, _ body: @escaping @Sendable () -> Void) {
    final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box {
        wb_name_current_thread(name)
        body()
    }).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard result == 0 else {
        // Without this thread no device I/O can happen at all.
        fatalError("cannot start thread \(name): \(String(cString: strerror(result)))")
    }
    pthread_detach(thread)
}
