import Dispatch
import WallboardSupport
import WallboardTransportCore

/// A board on USB through libusb: the BetaBrite Prism (bulk OUT, each packet followed by a
/// zero-length write) or the Dream Cheeky message board (8-byte HID output reports). Found by
/// VID:PID and, when given, serial number; a board that is unplugged reads as disconnected and is
/// used again when it comes back, sooner when hot-plug reports its return.
public actor USBTransport: Transport {
    public enum WriteMode: Sendable, Equatable {
        /// Bulk OUT, then a zero-length packet to end the transfer (BetaBrite Prism).
        case bulkWithZeroLengthPacket
        /// HID output reports of `length` bytes (the last padded with zeros): interrupt OUT when
        /// the interface has that endpoint, else SET_REPORT control transfers (Dream Cheeky: 8).
        case hidReports(length: Int)
    }

    public nonisolated let deviceName: String
    public let match: USBDeviceMatch
    public let writeMode: WriteMode
    public let interface: Int
    private let backend: any USBBackend
    /// libusb's synchronous calls block up to their timeout: they run here, never in the pool.
    private let worker: DispatchQueue
    private var connection: Connection?
    private var hotplug: (any USBHotplugSubscription)?
    private var hotplugUnavailable = false
    /// A matching device arrived since the last open or wait.
    private var arrivalPending = false
    private var arrivalWaiter: CheckedContinuation<Void, Never>?

    private struct Connection {
        let device: any USBDeviceConnection
        let endpoint: USBEndpoint?
        var deviceLeft = false
    }

    public init(match: USBDeviceMatch, writeMode: WriteMode, interface: Int = 0, backend: any USBBackend) {
        self.match = match
        self.writeMode = writeMode
        self.interface = interface
        self.backend = backend
        self.deviceName = "USB \(match)"
        self.worker = DispatchQueue(label: "wallboard.usb.\(match)")
    }

    public func open() async throws {
        close()
        watchHotplugOnce()
        arrivalPending = false
        let match = match
        let interface = interface
        let writeMode = writeMode
        let backend = backend
        let device = deviceName
        connection = try await onWorker { () throws(TransportError) -> Connection in
            let candidates: [USBDeviceInfo]
            do throws(USBCallError) {
                let devices = try backend.listDevices()
                candidates = devices.filter { $0.vendorID == match.vendorID && $0.productID == match.productID }
            } catch {
                throw Self.transportError(error, device: device, path: nil)
            }
            var lastError: TransportError?
            for candidate in candidates {
                do {
                    let opened = try backend.open(candidate)
                    if let wanted = match.serialNumber, try opened.serialNumber() != wanted { continue }
                    try opened.claim(interface: interface)
                    let endpoints = try opened.outEndpoints(interface: interface)
                    switch writeMode {
                    case .bulkWithZeroLengthPacket:
                        guard let bulk = endpoints.first(where: { $0.type == .bulk }) else {
                            throw TransportError(.unsupportedSetting, device: device, operation: "open",
                                                 detail: "interface \(interface) at \(candidate.devicePath) "
                                                     + "has no bulk OUT endpoint")
                        }
                        return Connection(device: opened, endpoint: bulk)
                    case .hidReports:
                        return Connection(device: opened, endpoint: endpoints.first { $0.type == .interrupt })
                    }
                } catch let error as USBCallError {
                    lastError = Self.transportError(error, device: device, path: candidate.devicePath)
                } catch let error as TransportError {
                    lastError = error
                } catch {
                    lastError = TransportError(.failed, device: device, operation: "open", detail: "\(error)")
                }
            }
            throw lastError ?? TransportError(.notFound, device: device, operation: "open",
                                              detail: "no such device is connected")
        }
    }

    public func write(_ bytes: [UInt8], timeout: Duration) async throws {
        guard let connection else {
            throw TransportError(.notOpen, device: deviceName, operation: "write", detail: "not open")
        }
        if connection.deviceLeft {
            close()
            throw TransportError(.disconnected, device: deviceName, operation: "write",
                                 detail: "the device was unplugged")
        }
        let milliseconds = UInt32(clamping: Int64(timeout.inMilliseconds))
        let writeMode = writeMode
        let interface = UInt16(clamping: interface)
        let device = deviceName
        do {
            try await onWorker { () throws(TransportError) in
                do {
                    try Self.send(bytes, over: connection, mode: writeMode, interface: interface,
                                  timeoutMilliseconds: milliseconds, device: device)
                } catch let error as USBCallError {
                    throw Self.transportError(error, device: device, path: connection.device.info.devicePath)
                } catch let error as TransportError {
                    throw error
                } catch {
                    throw TransportError(.failed, device: device, operation: "write", detail: "\(error)")
                }
            }
        } catch {
            if error.kind == .disconnected || error.kind == .notFound { close() }
            throw error
        }
    }

    /// These boards never answer: waits out the timeout and returns nothing.
    public func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        guard connection != nil else {
            throw TransportError(.notOpen, device: deviceName, operation: "read", detail: "not open")
        }
        if timeout > .zero { try await Task.sleep(for: timeout) }
        return []
    }

    public func close() {
        connection = nil
    }

    /// Returns early when hot-plug reports a matching device arriving (or one arrived since the
    /// last open).
    public func waitBeforeReconnect(delay: Duration) async throws {
        guard hotplug != nil else {
            try await Task.sleep(for: delay)
            return
        }
        if arrivalPending {
            arrivalPending = false
            return
        }
        let timer = Task { [weak self] in
            try await Task.sleep(for: delay)
            await self?.endWait()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                arrivalWaiter?.resume()
                arrivalWaiter = continuation
            }
        } onCancel: {
            Task { await self.endWait() }
        }
        timer.cancel()
        arrivalPending = false
        try Task.checkCancellation()
    }

    private func endWait() {
        arrivalWaiter?.resume()
        arrivalWaiter = nil
    }

    private func deviceArrived() {
        if arrivalWaiter == nil {
            arrivalPending = true
        } else {
            endWait()
        }
    }

    private func deviceLeft(_ info: USBDeviceInfo) {
        if connection?.device.info == info { connection?.deviceLeft = true }
    }

    private func watchHotplugOnce() {
        guard hotplug == nil, !hotplugUnavailable else { return }
        do {
            hotplug = try backend.watchHotplug(vendorID: match.vendorID, productID: match.productID) {
                [weak self] event in
                switch event {
                case .arrived:
                    Task { await self?.deviceArrived() }
                case .left(let info):
                    Task { await self?.deviceLeft(info) }
                }
            }
        } catch {
            // Without hot-plug a returning board is still found on the next attempt.
            hotplug = nil
        }
        hotplugUnavailable = hotplug == nil
    }

    private static func send(_ bytes: [UInt8], over connection: Connection, mode: WriteMode, interface: UInt16,
                             timeoutMilliseconds: UInt32, device: String) throws
    {
        let handle = connection.device
        switch mode {
        case .bulkWithZeroLengthPacket:
            guard let endpoint = connection.endpoint else { return }
            let sent = try handle.transfer(.bulk, endpoint: endpoint.address, bytes: bytes,
                                           timeoutMilliseconds: timeoutMilliseconds)
            guard sent == bytes.count else {
                throw TransportError(.timedOut, device: device, operation: "write",
                                     detail: "the device took \(sent) of \(bytes.count) bytes")
            }
            _ = try handle.transfer(.bulk, endpoint: endpoint.address, bytes: [],
                                    timeoutMilliseconds: timeoutMilliseconds)
        case .hidReports(let length):
            let reportLength = max(1, length)
            for start in stride(from: 0, to: bytes.count, by: reportLength) {
                var report = Array(bytes[start..<min(start + reportLength, bytes.count)])
                report += [UInt8](repeating: 0, count: reportLength - report.count)
                if let endpoint = connection.endpoint {
                    _ = try handle.transfer(.interrupt, endpoint: endpoint.address, bytes: report,
                                            timeoutMilliseconds: timeoutMilliseconds)
                } else {
                    // HID class SET_REPORT: host-to-device, class, interface; output report 0.
                    _ = try handle.controlTransfer(requestType: 0x21, request: 0x09, value: 0x0200, index: interface,
                                                   bytes: report, timeoutMilliseconds: timeoutMilliseconds)
                }
            }
        }
    }

    static func transportError(_ error: USBCallError, device: String, path: String?) -> TransportError {
        let location = path.map { " (\($0))" } ?? ""
        let code = error.code.rawValue
        switch error.code {
        case .access:
            return TransportError(.permissionDenied, device: device, operation: error.call, code: code,
                                  detail: "permission denied on \(path ?? "the USB device"): "
                                      + TransportError.permissionHint)
        case .noDevice, .io:
            return TransportError(.disconnected, device: device, operation: error.call, code: code,
                                  detail: "the device went away\(location)")
        case .notFound:
            return TransportError(.notFound, device: device, operation: error.call, code: code,
                                  detail: "not found\(location)")
        case .busy:
            return TransportError(.busy, device: device, operation: error.call, code: code,
                                  detail: "another program or driver holds the interface\(location)")
        case .timeout:
            return TransportError(.timedOut, device: device, operation: error.call, code: code,
                                  detail: "the device did not take the data in time\(location)")
        default:
            return TransportError(.failed, device: device, operation: error.call, code: code,
                                  detail: "\(error.code)\(location)")
        }
    }

    private func onWorker<Result: Sendable>(_ body: @escaping @Sendable () throws(TransportError) -> Result)
        async throws(TransportError) -> Result
    {
        let outcome: Swift.Result<Result, TransportError> = await withCheckedContinuation { continuation in
            worker.async {
                do throws(TransportError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }
}
