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
        abstract: "Check that no line of an audit trail was changed, inserted or removed; exits non-zero naming the first that was."
    )

    @Argument(help: "The audit trail (JSON lines).")
    var path: String

    func run() throws {
        let verified = try AuditTrail.verify(path: path)
        FileHandle.standardOutput.write(Data("\(path): \(verified.lines) lines, the chain holds\n".utf8))
    }
}
