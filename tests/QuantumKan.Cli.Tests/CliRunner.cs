using QuantumKan.Cli;

namespace QuantumKan.Cli.Tests;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Whether stderr holds a .NET stack trace ("   at Namespace.Type.Method(...)").</summary>
    public bool HasStackTrace => Error.Contains("   at ", StringComparison.Ordinal);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs <c>qkan</c> in-process with captured writers (so progress is plain text).</summary>
internal static class Qkan
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and requires success, failing the test with the whole output otherwise.</summary>
    public static CliResult Succeed(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
