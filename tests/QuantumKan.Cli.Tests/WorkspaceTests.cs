using System.Diagnostics;
using QuantumKan.Data.Synthesis;
using QuantumKan.Data;
using QuantumKan.Training.Checkpoints;

namespace QuantumKan.Cli.Tests;

/// <summary>A tiny generated FSD50K-layout set of its own (no shared trained model needed), for workspace runs.</summary>
public sealed class TinySetFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinySetFixture()
    {
        DataRoot = _folder.Combine("fsd50k");
        SyntheticFsd50kWriter.Write(DataRoot, new SyntheticFsd50kOptions
        {
            Sound = new SyntheticSoundSetOptions { Seed = 5, SampleRate = 16_000, MinClipSeconds = 0.7, MaxClipSeconds = 0.9 },
            TrainClips = 24, ValClips = 8, EvalClips = 4,
        });
    }

    public string DataRoot { get; }

    public string NewFolder(string name) => Directory.CreateDirectory(_folder.Combine(name)).FullName;

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// <c>qkan train --workspace</c>: one run per workspace (a lock naming its holder), no silent overwrite of resumable
/// checkpoints, stale temporaries cleaned, a resumed run says where it resumed, and SIGTERM stops like Ctrl+C.
/// </summary>
public sealed class WorkspaceTests(TinySetFixture set) : IClassFixture<TinySetFixture>
{
    private string[] Train(string folder, string? workspace, int epochs = 2) =>
    [
        "train", "--fsd50k", set.DataRoot, "--out", Path.Combine(folder, "model.zip"), "--cache", Path.Combine(folder, "cache"),
        .. workspace is null ? Array.Empty<string>() : ["--workspace", workspace], "--epochs", epochs.ToString(), "--patience", "0",
        "--encoder", "None", "--mels", "16", "--modes", "4", "--references", "4", "--semantic-widths", "8", "--batch-size", "8", "--seed", "1",
    ];

    [Fact]
    public void SecondRun_OnAWorkspaceWithCheckpoints_NeedsResumeOrOverwrite()
    {
        var folder = set.NewFolder("needs-flag");
        var workspace = Path.Combine(folder, "ws");
        Qkan.Succeed(Train(folder, workspace));
        var last = Path.Combine(workspace, CheckpointStore.LastFileName);
        var before = File.ReadAllBytes(last);

        var refused = Qkan.Run(Train(folder, workspace));

        Assert.Equal(CliApp.DataError, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error);
        Assert.Contains(workspace, refused.Error);
        Assert.Contains("--resume", refused.Error);
        Assert.Contains("--overwrite", refused.Error);
        Assert.False(refused.HasStackTrace, refused.ToString());
        Assert.Equal(before, File.ReadAllBytes(last));

        // A crashed atomic write left a temporary: the resumed run deletes it and says where it resumed.
        var stale = Path.Combine(workspace, $".last.qkc.4242.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a checkpoint");
        var resumed = Qkan.Succeed([.. Train(folder, workspace), "--resume"]);
        Assert.Contains($"resumed from {last}: all 2 epochs were already done", resumed.Output);
        Assert.Contains("Removed 1 temporary file(s)", resumed.Output);
        Assert.False(File.Exists(stale));

        var overwritten = Qkan.Succeed([.. Train(folder, workspace, epochs: 1), "--overwrite"]);
        Assert.DoesNotContain("resumed", overwritten.Output);
        Assert.Equal(1, TrainingCheckpoint.Load(last).State.Epoch);
    }

    [Fact]
    public void ResumeAndOverwrite_Together_AreBadArguments()
    {
        var folder = set.NewFolder("both-flags");
        var result = Qkan.Run([.. Train(folder, Path.Combine(folder, "ws")), "--resume", "--overwrite"]);
        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--overwrite", result.Error);
    }

    [Fact]
    public void Run_OnAWorkspaceAnotherRunHolds_ExitsOneNamingTheHolder()
    {
        var folder = set.NewFolder("locked");
        var workspace = Path.Combine(folder, "ws");
        using (TrainingWorkspace.Open(workspace, WorkspaceStart.Fresh))
        {
            var result = Qkan.Run(Train(folder, workspace));

            Assert.Equal(CliApp.DataError, result.ExitCode);
            Assert.Contains(workspace, result.Error);
            Assert.Contains($"in use by another training run (process {Environment.ProcessId} on host {Environment.MachineName}", result.Error);
            Assert.False(result.HasStackTrace, result.ToString());
            Assert.False(File.Exists(Path.Combine(workspace, CheckpointStore.LastFileName)));
        }
        Qkan.Succeed(Train(folder, workspace, epochs: 1)); // released
    }

    [Fact]
    public void Cancelled_WithoutAWorkspace_SaysNothingCanBeResumed()
    {
        var folder = set.NewFolder("cancel-no-ws");
        var args = Train(folder, workspace: null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var error = new StringWriter();

        int code = CliApp.Run(args, new StringWriter(), error, cancelled.Token);

        Assert.Equal(CliApp.Cancelled, code);
        Assert.Contains("cancelled; no --workspace was given, so nothing can be resumed", error.ToString());
    }

    [Fact]
    public async Task Sigterm_StopsTrainingAfterItsCheckpoint_Exits130_AndResumeContinues()
    {
        var folder = set.NewFolder("sigterm");
        var workspace = Path.Combine(folder, "ws");
        var last = Path.Combine(workspace, CheckpointStore.LastFileName);
        // Enough epochs that the run is still going when the signal comes; --checkpoint-every 1 keeps a checkpoint at every step.
        string[] args = [.. Train(folder, workspace, epochs: 60), "--checkpoint-every", "1", "--threads", "1"];

        using var process = StartBuiltQkan(args);
        var errorTask = process.StandardError.ReadToEndAsync();
        var outputTask = process.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(last) && !process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(File.Exists(last), $"no checkpoint appeared (exited: {process.HasExited})\n{(process.HasExited ? await errorTask : "")}");
        Assert.False(process.HasExited, "the run ended before it could be signalled; raise --epochs");

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("qkan did not stop within 2 minutes of SIGTERM");
            }
        }
        string output = await outputTask, error = await errorTask;

        Assert.True(process.ExitCode == CliApp.Cancelled, $"exit {process.ExitCode}\n{output}\n{error}");
        Assert.Contains("SIGTERM", error);
        Assert.Contains("rerun with --resume", error);
        var stopped = TrainingCheckpoint.Load(last).State;
        Assert.True(stopped.Epoch < 60, $"the run had finished: epoch {stopped.Epoch}");
        Assert.False(File.Exists(Path.Combine(folder, "model.zip")));

        var resumed = Qkan.Succeed([.. args, "--resume"]);
        Assert.Contains($"resumed from {last} at epoch {stopped.Epoch + 1}/60, step {stopped.StepInEpoch} of that epoch (global step {stopped.GlobalStep})", resumed.Output);
        Assert.True(File.Exists(Path.Combine(folder, "model.zip")));
        Assert.Equal(60, TrainingCheckpoint.Load(last).State.Epoch);
    }

    // The test project references the CLI project, so the build copies qkan.dll and its runtimeconfig beside the tests.
    private static Process StartBuiltQkan(string[] args)
    {
        var qkan = Path.Combine(AppContext.BaseDirectory, "qkan.dll");
        Assert.True(File.Exists(qkan), $"{qkan} was not built");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(qkan);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
