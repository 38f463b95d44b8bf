extension Duration {
    /// The length in seconds, as a floating-point number (for rates, percentiles and APIs that take seconds).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The length in milliseconds, as a floating-point number.
    public var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
