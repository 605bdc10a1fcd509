using System.CommandLine;
using System.CommandLine.Parsing;

namespace QuantumKan.Cli.Options;

/// <summary>
/// Checks a command's values together once parsing is complete, so an invalid combination is a usage error (exit 2
/// with the command's usage) rather than a failure halfway through a command. System.CommandLine's own command
/// validators run before option defaults are applied, so <see cref="CliApp"/> runs these after the parse instead.
/// </summary>
internal static class CommandValidation
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Command, List<Action<CommandResult>>> Checks = new();

    /// <summary>Registers <paramref name="read"/> (an option set's reader) as a check: its ArgumentException is a usage error.</summary>
    public static void ValidateBy(this Command command, Action<CommandResult> read) => Checks.GetOrCreateValue(command).Add(read);

    /// <summary>
    /// Makes a token like <c>--json-out</c> that lands in <paramref name="paths"/> (a command's file arguments take
    /// any token) an unknown-option error instead of a missing file, unless such a file exists.
    /// </summary>
    public static void RejectDashedPaths(this Command command, Argument<string[]> paths) => command.ValidateBy(r =>
    {
        foreach (var path in r.GetValue(paths) ?? [])
            if (path.StartsWith('-') && !File.Exists(path))
                throw new ArgumentException(
                    $"Unknown option '{path}' for {command.Name}; its options are {string.Join(", ", command.Options.Where(o => !o.Hidden).Select(o => o.Name))}. " +
                    $"(A file whose name starts with '-' is given as ./{path}.)");
    });

    /// <summary>
    /// "Did you mean 'predict'?" for a mistyped command: the closest command name within two edits of
    /// <paramref name="token"/>, or null.
    /// </summary>
    public static string? ClosestCommand(Command root, string token)
    {
        var best = root.Subcommands.Select(c => (c.Name, Distance: EditDistance(token, c.Name))).OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is not null && best.Distance <= 2 && best.Distance < token.Length ? best.Name : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps count one each.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    /// <summary>The messages of the checks of the parsed command that fail.</summary>
    public static IEnumerable<string> Errors(CommandResult result)
    {
        if (!Checks.TryGetValue(result.Command, out var checks))
            yield break;
        foreach (var check in checks)
        {
            string? error = null;
            try
            {
                check(result);
            }
            catch (ArgumentException ex)
            {
                error = CliErrors.MessageOf(ex);
            }
            if (error is not null)
                yield return error;
        }
    }

    /// <summary>Requires a value in [min, max] (inclusive).</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max) where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out T value))
                return;
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
                result.AddError($"{option.Name} must be between {min} and {max}, got {value}.");
        });
        return option;
    }

    // A value that failed to convert ("--lr fast") already has its parse error; range checks skip it.
    private static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>Parses a comma-separated list of positive integers, e.g. "64,32".</summary>
    public static int[] ParsePositiveIntegers(ArgumentResult result)
    {
        var values = new List<int>();
        foreach (var token in result.Tokens)
            foreach (var part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) || v < 1)
                {
                    result.AddError($"'{part}' is not a positive integer.");
                    return [];
                }
                values.Add(v);
            }
        return values.ToArray();
    }
}
