using QuantumKan.Audio;
using System.Reflection;
using QuantumKan.Audio.Mel;
using QuantumKan.Cli.Options;

namespace QuantumKan.Cli.Tests;

/// <summary><c>qkan mel</c> reaches every front-end configuration the library has.</summary>
public sealed class MelOptionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<string> LogMelFields() => typeof(LogMelOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.DeclaringType == typeof(LogMelOptions))
        .Select(p => p.Name);

    [Fact]
    public void Mel_HasAnOptionForEveryLogMelOptionsField()
    {
        var set = new MelOptionSet(new LogMelOptions(), fixedSizeOnly: false);
        Assert.Empty(LogMelFields().Except(set.OptionsByField.Keys)); // a new field needs a CLI option too

        var help = Qkan.Succeed("mel", "--help").Output;
        foreach (var option in set.OptionsByField.Values)
            Assert.Contains(option.Name, help);
    }

    [Fact]
    public void Mel_NonDefaultFrontEnd_EqualsTheFeaturizerWithTheSameOptions()
    {
        var wav = _folder.Tone("tone.wav", sampleRate: 16_000, seconds: 0.5);
        var npy = _folder.Combine("x.npy");

        Qkan.Succeed("mel", wav, "--out", npy, "--mels", "24", "--win-length", "400", "--center", "false", "--pad-mode", "Constant",
            "--power", "1", "--norm", "Slaney", "--scale", "Decibels", "--amin", "1e-5", "--top-db", "none");

        var options = new LogMelOptions
        {
            MelBands = 24, WindowLength = 400, Center = false, PadMode = PadMode.Constant, Power = 1, MelNorm = MelNorm.Slaney,
            OutputScale = MelOutputScale.Decibels, Amin = 1e-5, TopDb = null,
        };
        var expected = new AudioFrontEnd(options).FeaturizeFile(wav);
        var file = NpyFile.Read(npy);
        Assert.Equal(expected, file.Values);
        Assert.NotEqual(new AudioFrontEnd(new LogMelOptions { MelBands = 24 }).FeaturizeFile(wav), file.Values);
        Assert.Equal([1 + (8000 - 512) / 160, 24], file.Shape); // not centred: whole n_fft windows only
    }

    [Fact]
    public void Mel_TopDbRejectsAWord()
    {
        var result = Qkan.Run("mel", "a.wav", "--out", "a.npy", "--top-db", "loud");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--top-db", result.Error);
    }
}
