import Foundation

/// Who can see a board, and so what personal data its layout may bind.
///
/// - `public`: door boards that can face the street. Patient name, callback phone and caller
///   number are never bound: they are absent from the template context, so a layout that names
///   them fails to load.
/// - `internal`: the command room. The same fields are bound masked (张*, 138****5678).
public enum PrivacyClass: String, Sendable, Hashable, CaseIterable {
    case `public`
    case `internal`
}

/// Masking of personal data for internal boards.
public enum Mask {
    /// Keeps the family name (first character), masks the rest: 张三 → 张*, 欧阳娜娜 → 欧***.
    public static func name(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, trimmed.count - 1))
    }

    /// Keeps the first three and last four digits of a number of eight digits or more
    /// (13812345678 → 138****5678); shorter numbers keep only their last two digits.
    public static func phone(_ phone: String) -> String {
        let digits = phone.filter(\.isASCIIDigit)
        guard !digits.isEmpty else { return "" }
        if digits.count >= 8 {
            return String(digits.prefix(3)) + String(repeating: "*", count: digits.count - 7) + String(digits.suffix(4))
        }
        return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
