using System.Diagnostics;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// <c>.ci/run</c> against a stand-in <c>dotnet</c> that replays canned test logs: it reruns the suite only on TorchSharp's
/// own race signature, and names the tests that failed first when it does.
/// </summary>
public sealed class CiScriptTests : IDisposable
{
    private readonly TempFolder _temp = new("qkan-ci-");

    private string _state => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private const string PassingLog =
        "Passed!  - Failed:     0, Passed:     6, Skipped:     0, Total:     6, Duration: 1 s - X.Tests.dll (net10.0)\n";

    [Fact]
    public void AFailedAssertion_IsNotRerun()
    {
        TestRun(1, 1, """
              Failed X.Tests.Thing.Works [3 ms]
              Error Message:
               Assert.True() Failure
            Expected: True
            Actual:   False
            Expected false to be true
            Failed!  - Failed:     1, Passed:     5, Skipped:     0, Total:     6, Duration: 1 s - X.Tests.dll (net10.0)
            """);
        TestRun(2, 0, PassingLog);

        var (code, output) = RunCi();

        Assert.NotEqual(0, code);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_state, "count")).Trim()); // the suite ran once
        Assert.False(output.Contains("once more", StringComparison.Ordinal), Defused(output));
        Assert.True(output.TrimEnd().EndsWith("Skipped tests: 0\n5 passed, 1 failed", StringComparison.Ordinal), Defused(output));
    }

    [Fact]
    public void TheScalarRaceSignature_IsRerunOnce_AfterNamingTheFailedTests()
    {
        TestRun(1, 1, """
              Failed X.Tests.Net.Trains(seed: 3) [2 s]
              Error Message:
               System.Runtime.InteropServices.ExternalException : Unknown scalar type
              Failed X.Tests.Other.Case [1 ms]
            Failed!  - Failed:     2, Passed:     4, Skipped:     0, Total:     6, Duration: 3 s - X.Tests.dll (net10.0)
            """);
        TestRun(2, 0, PassingLog);

        var (code, output) = RunCi();

        Assert.True(code == 0, Defused(output));
        Assert.Equal("2", File.ReadAllText(Path.Combine(_state, "count")).Trim());
        var named = output.IndexOf("Tests that failed in the first run:", StringComparison.Ordinal);
        Assert.True(named >= 0, Defused(output));
        var rerun = output.IndexOf("Running the test command once more", StringComparison.Ordinal);
        Assert.True(rerun > named, Defused(output));
        var between = output[named..rerun];
        Assert.Contains("  X.Tests.Net.Trains(seed: 3)\n", between);
        Assert.Contains("  X.Tests.Other.Case\n", between);
        Assert.True(output.TrimEnd().EndsWith("Skipped tests: 0\n6 passed, 0 failed", StringComparison.Ordinal), Defused(output));
    }

    // The canned logs must never reach the real suite's log verbatim (in a failure message): .ci/run would count their
    // summary lines and take their race signature for a real one.
    private static string Defused(string output) =>
        output.Replace("Failed", "F-ailed", StringComparison.Ordinal).Replace("Unknown scalar", "Unknown-scalar", StringComparison.Ordinal);

    private void TestRun(int number, int exitCode, string log)
    {
        File.WriteAllText(Path.Combine(_state, $"run{number}.log"), log.ReplaceLineEndings("\n") + "\n");
        File.WriteAllText(Path.Combine(_state, $"run{number}.rc"), exitCode.ToString());
    }

    [Fact]
    public void AFailedPackageConsumption_CountsAsOneFailure()
    {
        TestRun(1, 0, PassingLog);

        var (code, output) = RunCi(consumeExitCode: 1);

        Assert.NotEqual(0, code);
        Assert.Contains("Consuming the packed packages failed.", output);
        Assert.True(output.TrimEnd().EndsWith("Skipped tests: 0\n6 passed, 1 failed", StringComparison.Ordinal), Defused(output));
    }

    // .ci/run is copied beside a stand-in .ci/consume-packages (it runs that script by its path under the repository
    // root), so these tests exercise the real run script without packing anything.
    private (int ExitCode, string Output) RunCi(int consumeExitCode = 0)
    {
        var root = Directory.CreateDirectory(Path.Combine(_state, "repo")).FullName;
        var ci = Directory.CreateDirectory(Path.Combine(root, ".ci")).FullName;
        File.Copy(Path.Combine(RepositoryRoot(), ".ci", "run"), Path.Combine(ci, "run"));
        var consume = Path.Combine(ci, "consume-packages");
        File.WriteAllText(consume, $"#!/usr/bin/env bash\necho 'stand-in consume-packages'\nexit {consumeExitCode}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(consume, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var bin = Directory.CreateDirectory(Path.Combine(_state, "bin")).FullName;
        var fake = Path.Combine(bin, "dotnet");
        // "dotnet test" replays run<N>.log and exits with run<N>.rc; builds and runs of the examples succeed silently.
        File.WriteAllText(fake, """
            #!/usr/bin/env bash
            if [ "$1" = test ]; then
              n=$(( $(cat "$FAKE_STATE/count" 2>/dev/null || echo 0) + 1 ))
              echo "$n" > "$FAKE_STATE/count"
              cat "$FAKE_STATE/run$n.log"
              exit "$(cat "$FAKE_STATE/run$n.rc")"
            fi
            exit 0
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(ci, "run"));
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["FAKE_STATE"] = _state;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), ".ci/run did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".ci", "run")))
                return dir.FullName;
        throw new InvalidOperationException("no .ci/run above " + AppContext.BaseDirectory);
    }
}
