import Glibc

/// Writes exported pictures so that a full disk (or any failed write) never leaves a cut-off
/// file where a good one is expected: the bytes go to `NAME.partial` beside the target, which
/// replaces the target only once every byte is on disk; on failure it is removed and the target
/// keeps what it had.
public enum ExportFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let partial = path + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "cannot create \(partial)") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let error = failure(path, "wrote \(written) of \(bytes.count) bytes")
                close(descriptor)
                unlink(partial)
                throw error
            }
            written += count
        }
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            let error = failure(path, "could not flush \(bytes.count) bytes to disk")
            close(descriptor)
            unlink(partial)
            throw error
        }
        close(descriptor)
        guard rename(partial, path) == 0 else {
            let error = failure(path, "could not move \(partial) into place")
            unlink(partial)
            throw error
        }
    }

    private static func failure(_ path: String, _ what: String) -> WriteError {
        let code = errno
        let reason = code == 0 ? "the device took no more bytes" : String(cString: strerror(code))
        return WriteError(description: "\(path): \(what): \(reason); nothing was replaced")
    }
}
