namespace QuantumKan.Cli.Tests;

/// <summary>Bad arguments: exit code 2, the problem and the command's usage on stderr, nothing run.</summary>
public class ArgumentErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("predict", "a.wav")]                                          // --model is required
    [InlineData("predict", "--model", "m.zip")]                               // no wav
    [InlineData("predict", "--model", "m.zip", "a.wav", "--top", "0")]
    [InlineData("train", "--epochs", "0", "--csv", "x.csv")]
    [InlineData("train", "--fsd50k", "root", "--lr", "fast")]
    [InlineData("train", "--fsd50k", "root", "--semantic-widths", "0")]
    [InlineData("train", "--fsd50k", "root", "--contrastive-target", "Jaccard")]
    [InlineData("train", "--fsd50k", "root", "--semantic-widths", "none,8")]     // none stands alone
    [InlineData("mel", "a.wav")]                                              // --out is required
    [InlineData("mel", "a.wav", "--out", "x.npy", "--threads", "0")]
    [InlineData("evaluate", "--model", "m.zip", "--fsd50k", "root", "--split", "test")]
    public void BadArguments_ExitWithUsage(params string[] args)
    {
        var result = Qkan.Run(args);

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains("Usage:", result.Error);
        Assert.Contains("qkan", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void Train_NeedsExactlyOneDataSource()
    {
        var none = Qkan.Run("train", "--out", "m.zip");
        var both = Qkan.Run("train", "--fsd50k", "root", "--csv", "x.csv");

        foreach (var result in new[] { none, both })
        {
            Assert.Equal(CliApp.UsageError, result.ExitCode);
            Assert.Contains("exactly one of --fsd50k <root> or --csv <file>", result.Error);
            Assert.Contains("qkan train [options]", result.Error);
        }
    }

    [Fact]
    public void Train_RefusesALayoutWithoutAFixedSize()
    {
        var result = Qkan.Run("train", "--csv", "x.csv", "--layout", "Frames");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--layout Frames", result.Error);
    }

    [Fact]
    public void Train_ResumeNeedsAWorkspace()
    {
        var result = Qkan.Run("train", "--csv", "x.csv", "--resume");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--workspace", result.Error);
    }

    [Fact]
    public void Mel_NamesTheOptionWhoseValueIsOutOfRange()
    {
        // fmax above Nyquist is only invalid together with the sample rate: a check across options, after parsing.
        var result = Qkan.Run("mel", "a.wav", "--out", "a.npy", "--sample-rate", "16000", "--fmax", "9000");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--fmax", result.Error);
        Assert.DoesNotContain("(Parameter", result.Error);
    }

    [Fact]
    public void Train_RejectsAnUnknownKanBasis()
    {
        var result = Qkan.Run("train", "--csv", "x.csv", "--head-basis", "Wavelet");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("Wavelet", result.Error);
    }

    [Fact]
    public void Help_ExitsZeroAndListsEveryCommand()
    {
        var result = Qkan.Run("--help");

        Assert.Equal(CliApp.Success, result.ExitCode);
        foreach (var command in new[] { "demo", "train", "evaluate", "predict", "similar", "export", "mel", "decode" })
            Assert.Contains(command, result.Output);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("mel")]
    public void CommandHelp_ExitsZero_EvenWhereChecksAcrossOptionsWouldFail(string command)
    {
        var result = Qkan.Run(command, "--help");

        Assert.Equal(CliApp.Success, result.ExitCode);
        Assert.Contains($"qkan {command}", result.Output);
        Assert.Empty(result.Error);
    }
}
