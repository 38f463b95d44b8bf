import WallboardDispatch

/// What only a SQLite file can report.
extension SourceProblem.Kind {
    /// The file exists but is not a SQLite database, or is damaged.
    public static let notADatabase = Self(rawValue: "notADatabase")
    /// A writer holds a lock that keeps readers out.
    public static let locked = Self(rawValue: "locked")
}
