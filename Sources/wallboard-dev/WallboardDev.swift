import ArgumentParser

/// The workshop, apart from the `wallboard` a centre runs: benchmarks, the soak run and the
/// emulated door boards they drive. Where they need the product (`simulate`, `serve`) they run the
/// `wallboard` built beside this program.
@main
struct WallboardDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallboard-dev",
        abstract: "Wallboard's development tools: benchmarks, the soak run, a fleet of emulated door boards.",
        subcommands: [
            BenchCommand.self,
            EmulateFleetCommand.self,
            SoakCommand.self,
        ]
    )
}
