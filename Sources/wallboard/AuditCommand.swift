import ArgumentParser
import Foundation
import WallboardAudit

/// `wallboard audit`: the audit trail of control actions.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit trail of control actions (http.audit).",
        subcommands: [AuditVerifyCommand.self]
    )
}

/// `wallboard audit verify PATH`: checks every line's hash chain.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no line or day of an audit trail was changed, inserted or removed; exits non-zero naming the first file and line that was."
    )

    @Argument(help: "The audit trail: the configured http.audit path (all its days' files), the folder holding them, or one day's file.")
    var path: String

    func run() throws {
        let verified = try AuditTrail.verify(path: path)
        let start = verified.startsAtTheBeginning ? "" : "; the oldest day continues days removed after the retention period"
        FileHandle.standardOutput.write(Data("\(path): \(verified.lines) lines in \(verified.files) day files, the chain holds\(start)\n".utf8))
    }
}
