using System.CommandLine;

namespace QuantumKan.Cli.Commands;

/// <summary>Every qkan subcommand, in the order --help lists them.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All(CliConsole console)
    {
        yield return DemoCommand.Create(console);
        yield return TrainCommand.Create(console);
        yield return EvaluateCommand.Create(console);
        yield return PredictCommand.Create(console);
        yield return SimilarCommand.Create(console);
        yield return ExportCommand.Create(console);
        yield return MelCommand.CreateMel(console);
        yield return MelCommand.CreateDecode(console);
    }
}
