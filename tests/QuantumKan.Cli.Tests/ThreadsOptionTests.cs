using QuantumKan.Core;

namespace QuantumKan.Cli.Tests;

/// <summary>The libtorch thread count is process-wide, so this runs alone, after the parallel test classes.</summary>
[CollectionDefinition(nameof(ThreadsOptionTests), DisableParallelization = true)]
public sealed class ThreadsOptionCollection;

[Collection(nameof(ThreadsOptionTests))]
public sealed class ThreadsOptionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Threads_IsAcceptedBeforeTheCommand_AndTheProcessSettingIsRestoredAfterwards()
    {
        var before = TorchRuntime.IntraOpThreads;
        int wanted = before == 1 ? 2 : 1;
        var wav = _folder.Tone("tone.wav");
        var help = Qkan.Run("mel", "--help");
        Assert.Contains("--threads", help.Output);

        Qkan.Succeed("--threads", wanted.ToString(), "mel", wav, "--out", _folder.Combine("x.npy"));

        Assert.Equal(before, TorchRuntime.IntraOpThreads);
    }
}
