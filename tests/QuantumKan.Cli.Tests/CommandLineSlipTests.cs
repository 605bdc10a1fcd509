using QuantumKan.Cli.Options;

namespace QuantumKan.Cli.Tests;

/// <summary>What a mistyped command line gets back: the option or command it probably meant, not a confusing failure.</summary>
public sealed class CommandLineSlipTests
{
    [Fact]
    public void Predict_UnknownDashOption_IsAUsageErrorNamingIt_NotAMissingWav()
    {
        var result = Qkan.Run("predict", "--model", "m.zip", "a.wav", "--json-out");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("Unknown option '--json-out' for predict", result.Error);
        Assert.Contains("--json", result.Error.Replace("--json-out", ""));
        Assert.DoesNotContain("does not exist", result.Error);
    }

    [Theory]
    [InlineData("predcit", "predict")]
    [InlineData("evalute", "evaluate")]
    [InlineData("trian", "train")]
    public void MistypedCommand_SuggestsTheClosestCommand(string typed, string meant)
    {
        var result = Qkan.Run(typed);

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains($"Did you mean '{meant}'?", result.Error);
    }

    [Fact]
    public void UnrelatedWord_GetsNoSuggestion()
    {
        var result = Qkan.Run("xylophone");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.DoesNotContain("Did you mean", result.Error);
    }

    [Theory]
    [InlineData("predict", "predcit", 1)] // adjacent swap
    [InlineData("train", "trains", 1)]
    [InlineData("mel", "decode", 5)]
    [InlineData("", "abc", 3)]
    public void EditDistance_CountsEditsAndSwaps(string a, string b, int expected) =>
        Assert.Equal(expected, CommandValidation.EditDistance(a, b));

    [Fact]
    public void TrainHelp_OffersOnlyTheLayoutsTrainingAccepts()
    {
        var help = Qkan.Succeed("train", "--help").Output;
        var layoutLine = help.Split('\n').Single(l => l.TrimStart().StartsWith("--layout", StringComparison.Ordinal));

        Assert.Contains("Pooled|FixedFrames", layoutLine);
        Assert.DoesNotContain("Patches", layoutLine);
    }
}
