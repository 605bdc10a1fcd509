using System.CommandLine;

namespace QuantumKan.Cli.Commands;

/// <summary>Every qkan subcommand, in the order --help lists them.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All(CliConsole console)
    {
        yield break;
    }
}
