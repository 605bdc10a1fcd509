using QuantumKan.ML.Persistence;

namespace QuantumKan.Cli;

/// <summary>Maps exceptions to exit codes and one-line messages.</summary>
internal static class CliErrors
{
    /// <summary>An error in the command's arguments detected after parsing (e.g. two mutually exclusive options).</summary>
    internal sealed class UsageException(string message) : Exception(message);

    internal static int Report(Exception ex, CliConsole console, bool verbose)
    {
        var root = Unwrap(ex);
        int code = root switch
        {
            UsageException => CliApp.UsageError,
            OperationCanceledException => 130,
            _ when IsUserDataError(root) => CliApp.DataError,
            _ => CliApp.DataError,
        };
        var prefix = IsUserDataError(root) || root is UsageException ? "error" : "internal error";
        console.Error.WriteLine($"{prefix}: {root.Message}");
        if (verbose)
            console.Error.WriteLine(ex.ToString());
        else if (!IsUserDataError(root) && root is not UsageException)
            console.Error.WriteLine("(run with --verbose for details)");
        return code;
    }

    private static Exception Unwrap(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (IsUserDataError(e) || e is UsageException)
                return e;
        return ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
    }

    // Errors caused by the user's files or arguments: reported in one line, no stack trace.
    private static bool IsUserDataError(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException or ModelFormatException or FormatException
            or InvalidDataException or ArgumentException or UnauthorizedAccessException
        || e.GetType().Namespace?.StartsWith("QuantumKan", StringComparison.Ordinal) == true;
}
