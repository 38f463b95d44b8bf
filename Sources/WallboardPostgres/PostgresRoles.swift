import WallboardDispatch

/// What a PostgreSQL server is to the source that reads it.
extension SourceEndpoint.Role {
    /// Takes writes; changes are announced with NOTIFY.
    public static let primary = Self(rawValue: "primary")
    /// A hot standby replaying the primary's log; changes are found by polling the replay position.
    public static let standby = Self(rawValue: "standby")
}
