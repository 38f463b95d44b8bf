import ArgumentParser

@main
struct Wallboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallboard",
        abstract: "LED and wallboard displays for a 120 emergency-medical dispatch centre.",
        subcommands: [
            AuditCommand.self,
            DemoCommand.self,
            FontsCommand.self,
            TextCommand.self,
            LayoutCommand.self,
            EmulateCommand.self,
            ReplayCommand.self,
            PostgresCommand.self,
            ServeCommand.self,
            SimulateCommand.self,
            StateCommand.self,
            DevicesCommand.self,
        ]
    )
}
