import WallboardSourceKit

/// A kind of source the demo can fill with a simulated centre (`wallboard demo --db FILE`,
/// `--postgres URL`); a kind that is only read, never written, does not conform.
public protocol SimulatedSourceAddress: SourceAddress {
    /// The simulator, ready to write here (its rows replaced), and the address to read what it
    /// writes. `workDirectory`: where the demo keeps its files, when the person named one.
    func simulation(_ settings: SimulationSettings, workDirectory: String?) async throws -> SimulatedSource
}

/// A simulator and where its centre can be read.
public struct SimulatedSource {
    public var simulator: DispatchSimulator
    public var address: any SourceAddress
    /// The folder holding the simulated data, where the demo puts its pictures too; nil for a server.
    public var folder: String?

    public init(simulator: DispatchSimulator, address: any SourceAddress, folder: String?) {
        self.simulator = simulator
        self.address = address
        self.folder = folder
    }
}
