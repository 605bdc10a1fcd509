namespace QuantumKan.Cli.Tests;

/// <summary>Bad or missing audio: exit code 1, one line naming the file, no stack trace unless --verbose.</summary>
public sealed class AudioErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("mel")]
    [InlineData("decode")]
    public void MissingWav_ExitsOneNamingTheFile(string command)
    {
        var missing = _folder.Combine("nowhere.wav");

        var result = Qkan.Run(command, missing, "--out", _folder.Combine("x.npy"));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(missing, result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.False(File.Exists(_folder.Combine("x.npy")));
    }

    [Theory]
    [InlineData("mel")]
    [InlineData("decode")]
    public void CorruptWav_ExitsOneNamingTheFile(string command)
    {
        var corrupt = _folder.Corrupt("broken.wav");

        var result = Qkan.Run(command, corrupt, "--out", _folder.Combine("x.npy"));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(corrupt, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Theory]
    [InlineData("mel", 1e30f)]
    [InlineData("mel", 3.4e38f)]
    [InlineData("decode", 3.4e38f)]
    public void HugeFiniteFloatSamples_ExitOneNamingTheFileAndSample(string command, float huge)
    {
        var wav = _folder.HugeFloat("loud.wav", huge, sampleIndex: 123);
        var npy = _folder.Combine("x.npy");

        var result = Qkan.Run(command, wav, "--out", npy);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(wav, result.Error);
        Assert.Contains("sample 123 of channel 0", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.False(File.Exists(npy));
    }

    [Fact]
    public void LoudButSaneFloatSamples_GiveFiniteFeatures()
    {
        var wav = _folder.HugeFloat("loud-ok.wav", 1000f);
        var npy = _folder.Combine("x.npy");

        Qkan.Succeed("mel", wav, "--out", npy);

        Assert.All(NpyFile.Read(npy).Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Verbose_ShowsTheStackTrace()
    {
        var corrupt = _folder.Corrupt("broken.wav");

        var result = Qkan.Run("decode", corrupt, "--out", _folder.Combine("x.npy"), "--verbose");

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.True(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void WavWithoutSamples_ExitsOneNamingTheFile()
    {
        var tiny = _folder.Combine("empty.wav");
        QuantumKan.Audio.Wav.WavWriter.Write(tiny, Array.Empty<float>(), 16_000);

        var result = Qkan.Run("mel", tiny, "--out", _folder.Combine("x.npy"));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(tiny, result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void MissingModel_ExitsOneNamingTheFile()
    {
        var wav = _folder.Tone("a.wav");
        var model = _folder.Combine("missing-model.zip");

        var result = Qkan.Run("predict", "--model", model, wav);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(model, result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void ModelThatIsNotAZip_ExitsOneWithoutStackTrace()
    {
        var wav = _folder.Tone("a.wav");
        var model = _folder.Corrupt("model.zip");

        var result = Qkan.Run("predict", "--model", model, wav);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.False(result.HasStackTrace, result.ToString());
    }
}
