import WallboardText

/// The font chains a layout names, resolved once.
public struct FontSet: Sendable {
    let chains: [String: FontChain]

    /// `resolve` turns a layout's font name into a chain; it is asked once per name.
    public init(layout: Layout, resolve: (String) throws -> FontChain) throws {
        var chains: [String: FontChain] = [:]
        for name in layout.fontNames where chains[name] == nil {
            chains[name] = try resolve(name)
        }
        self.chains = chains
    }

    func callAsFunction(_ names: [String]) -> [FontChain] { names.compactMap { chains[$0] } }
}
