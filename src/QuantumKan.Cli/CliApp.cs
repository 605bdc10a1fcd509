using System.CommandLine;
using QuantumKan.Cli.Commands;

namespace QuantumKan.Cli;

/// <summary>
/// The <c>qkan</c> command line. Exit codes: 0 success, 1 a runtime failure on the user's data (bad or missing audio,
/// a broken model zip, bad CSV), 2 bad arguments (with a usage message). A user's mistake never prints a stack trace
/// unless <c>--verbose</c> is given.
/// </summary>
public static class CliApp
{
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    /// <summary>Runs the CLI with the given arguments, writing to the given console streams.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var console = new CliConsole(output ?? Console.Out, error ?? Console.Error);
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
                console.Error.WriteLine($"error: {e.Message}");
            console.Error.WriteLine($"Run 'qkan {string.Join(' ', parse.CommandResult.Command.Name == "qkan" ? "" : parse.CommandResult.Command.Name)} --help' for usage.".Replace("  ", " "));
            return UsageError;
        }
        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, console, verbose: parse.GetValue(CliOptions.Verbose));
        }
    }

    internal static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand("QuantumKan.ML: sound-event classification and similarity with quantum field embeddings and KAN layers.");
        root.Options.Add(CliOptions.Verbose);
        foreach (var command in CommandRegistry.All(console))
            root.Subcommands.Add(command);
        return root;
    }
}

/// <summary>The console streams a command writes to (injected, so tests can capture them).</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error);

internal static class CliOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show full exception details (stack traces) on failure.",
        Recursive = true,
    };
}
