using QuantumKan.Core;
using System.CommandLine;
using System.Globalization;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using QuantumKan.Cli.Commands;
using QuantumKan.Cli.Options;

namespace QuantumKan.Cli;

/// <summary>
/// The <c>qkan</c> command line. Exit codes: 0 success, 1 a runtime failure on the user's data (bad or missing audio,
/// a broken model zip, bad CSV), 2 bad arguments (with a usage message), 130 cancelled (Ctrl+C). A user's mistake never
/// prints a stack trace unless <c>--verbose</c> is given. This class and <see cref="CliErrors"/> are the one place that
/// maps failures to exit codes.
/// </summary>
public static class CliApp
{
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;

    /// <summary>The program's name in usage messages.</summary>
    public const string Name = "qkan";

    /// <summary>Runs the CLI with the given arguments, writing to the given streams (the process console when null).</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Results; null for stdout (with progress bars when it is a terminal).</param>
    /// <param name="error">Errors; null for stderr.</param>
    /// <param name="cancellation">Stops long steps at the next safe point (exit code 130).</param>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellation = default)
    {
        bool interactive = output is null && !Console.IsOutputRedirected;
        var console = new CliConsole(output ?? Console.Out, error ?? Console.Error, interactive, cancellation);
        return Run(args, console);
    }

    /// <summary>Runs the CLI on a prepared console.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        // Numbers in, numbers out: "--lr 0.003" and "mAP 0.973" mean the same on every machine, whatever its locale.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return RunInvariant(args, console);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static int RunInvariant(string[] args, CliConsole console)
    {
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (parse.CommandResult.Command == root && parse.UnmatchedTokens.FirstOrDefault() is { } unknown
            && CommandValidation.ClosestCommand(root, unknown) is { } suggestion)
            errors.Add($"'{unknown}' is not a command. Did you mean '{suggestion}'?");
        // Checks across options only apply when the command itself runs (not for --help or --version).
        if (errors.Count == 0 && parse.Action == parse.CommandResult.Command.Action)
            errors.AddRange(CommandValidation.Errors(parse.CommandResult));
        if (errors.Count > 0)
            return ReportUsage(parse, errors, console);
        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        int? previousThreads = null;
        try
        {
            if (parse.GetValue(CliOptions.Threads) is int threads)
            {
                previousThreads = TorchRuntime.IntraOpThreads;
                TorchRuntime.SetIntraOpThreads(threads);
            }
            return parse.Invoke(config);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, console, verbose: parse.GetValue(CliOptions.Verbose));
        }
        finally
        {
            if (previousThreads is int previous)
                TorchRuntime.SetIntraOpThreads(previous); // in-process callers (tests) get their setting back
            console.Out.Flush();
            console.Error.Flush();
        }
    }

    internal static Command BuildRoot(CliConsole console)
    {
        // A plain Command rather than RootCommand, whose name would be the host executable's (e.g. "testhost" in tests).
        var root = new Command(Name, "QuantumKan.ML: sound-event classification and similarity with quantum field embeddings and KAN layers.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(CliOptions.Verbose);
        root.Options.Add(CliOptions.Threads);
        foreach (var command in CommandRegistry.All(console))
            root.Subcommands.Add(command);
        // "qkan" alone lists the commands rather than doing nothing.
        root.SetAction(parse => WriteHelp(root, [], console.Out));
        return root;
    }

    // Bad arguments: each error, then the usage of the command they belong to, on stderr; exit 2.
    private static int ReportUsage(ParseResult parse, IEnumerable<string> errors, CliConsole console)
    {
        foreach (var e in errors)
            console.Error.WriteLine($"error: {e}");
        console.Error.WriteLine();
        var path = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
            path.Insert(0, result.Command.Name);
        WriteHelp(parse.RootCommandResult.Command, path, console.Error);
        return UsageError;
    }

    // System.CommandLine's help renderer is internal; asking the parser for "<command path> --help" reaches it.
    private static int WriteHelp(Command root, IEnumerable<string> commandPath, TextWriter writer)
    {
        root.Parse([.. commandPath, "--help"]).Invoke(new InvocationConfiguration { Output = writer, Error = writer });
        writer.Flush();
        return Success;
    }
}

internal static class CliOptions
{
    public static readonly Option<int?> Threads = CreateThreads();

    private static Option<int?> CreateThreads()
    {
        var option = new Option<int?>("--threads")
        {
            Description = "libtorch intra-op threads (default: QKAN_NUM_THREADS, else every logical processor). Small networks often train fastest on 1.",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--threads must be at least 1.");
        });
        return option;
    }

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show full exception details (stack traces) on failure.",
        Recursive = true,
    };
}
