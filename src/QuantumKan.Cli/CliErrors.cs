using QuantumKan.ML.Persistence;

namespace QuantumKan.Cli;

/// <summary>Maps exceptions to exit codes and one-line messages (the one place that does).</summary>
internal static class CliErrors
{
    /// <summary>An error in the command's arguments detected after parsing (e.g. two mutually exclusive options).</summary>
    internal sealed class UsageException(string message) : Exception(message);

    internal static int Report(Exception ex, CliConsole console, bool verbose)
    {
        var root = Unwrap(ex);
        if (root is OperationCanceledException)
        {
            console.Error.WriteLine("cancelled.");
            return CliApp.Cancelled;
        }
        bool expected = root is UsageException || IsUserDataError(root);
        console.Error.WriteLine($"{(expected ? "error" : "internal error")}: {MessageOf(root)}");
        if (root is UsageException)
            console.Error.WriteLine("Run the command with --help for usage.");
        if (verbose)
            console.Error.WriteLine(ex.ToString());
        else if (!expected)
            console.Error.WriteLine("(run with --verbose for details)");
        return root is UsageException ? CliApp.UsageError : CliApp.DataError;
    }

    /// <summary>
    /// The one-line message of a user's mistake (bad or missing file, bad value), for commands that report a failed
    /// item and go on with the rest; false for anything else, which should propagate.
    /// </summary>
    internal static bool TryDescribeUserError(Exception ex, out string message)
    {
        var root = Unwrap(ex);
        message = MessageOf(root);
        return IsUserDataError(root);
    }

    /// <summary>An exception's message for a user: without the "(Parameter 'x')" and "Actual value was" tails .NET appends.</summary>
    internal static string MessageOf(Exception ex) => QuantumKan.Core.ExceptionText.ForUser(ex);

    // ML.NET invokes loaders and getters through reflection and wraps what they throw; report the cause the user can act on.
    private static Exception Unwrap(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (IsUserDataError(e) || e is UsageException or OperationCanceledException)
                return e;
        return ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
    }

    // Errors caused by the user's files, arguments or machine: reported in one line, no stack trace.
    private static bool IsUserDataError(Exception e) =>
        e is IOException or ModelFormatException or FormatException or InvalidDataException or ArgumentException
            or UnauthorizedAccessException
        || e.GetType().Namespace?.StartsWith("QuantumKan", StringComparison.Ordinal) == true;
}
