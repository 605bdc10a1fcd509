using System.Text;

namespace QuantumKan.Cli.Tests;

/// <summary>A CSV listing's split column: train rows train, val rows validate, eval/test rows are never trained on.</summary>
public sealed class CsvSplitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly string[] SmallNetwork =
        ["--epochs", "1", "--mels", "16", "--modes", "4", "--references", "4", "--semantic-widths", "8", "--seed", "1"];

    // Two tone classes; row k gets split splits(k).
    private string Listing(int count, Func<int, string> split)
    {
        var csv = new StringBuilder("path,labels,split\n");
        Directory.CreateDirectory(_folder.Combine("clips"));
        for (int k = 0; k < count; k++)
        {
            bool high = k % 2 == 1;
            _folder.Tone(Path.Combine("clips", $"{k}.wav"), seconds: 0.3, hz: high ? 2000 + 10 * k : 300 + 5 * k);
            csv.Append($"clips/{k}.wav,{(high ? "High" : "Low")},{split(k)}\n");
        }
        var path = _folder.Combine("list.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public void Train_NeverFeaturizesEvalRows_AndEvaluateDefaultsToThem()
    {
        // 30 train rows, then 10 eval rows: training must featurize 30 clips, not 40.
        var csv = Listing(40, k => k < 30 ? "train" : k % 2 == 0 ? "eval" : "test");
        var model = _folder.Combine("model.zip");

        var trained = Qkan.Succeed(["train", "--csv", csv, "--out", model, "--validation-fraction", "0", .. SmallNetwork]);

        Assert.Contains("Featurizing training clips (30)", trained.Output);
        Assert.DoesNotContain("Featurizing training clips (40)", trained.Output);
        Assert.Contains("Leaving out 10 eval/test row(s)", trained.Output);

        var evaluated = Qkan.Succeed("evaluate", "--model", model, "--csv", csv);
        Assert.Contains("Scoring 10 clips", evaluated.Output);
        var onTrain = Qkan.Succeed("evaluate", "--model", model, "--csv", csv, "--split", "train");
        Assert.Contains("Scoring 30 clips", onTrain.Output);
        var onTest = Qkan.Succeed("evaluate", "--model", model, "--csv", csv, "--split", "test");
        Assert.Contains("Scoring 5 clips", onTest.Output);
    }

    [Fact]
    public void Train_ValRowsValidate_TrainRowsTrain()
    {
        var csv = Listing(12, k => k < 8 ? "train" : "val");

        var trained = Qkan.Succeed(["train", "--csv", csv, "--out", _folder.Combine("model.zip"), .. SmallNetwork]);

        Assert.Contains("Featurizing training clips (8)", trained.Output);
        Assert.Contains("Featurizing validation clips (4)", trained.Output);
    }

    [Fact]
    public void UnknownSplitValue_ExitsOneNamingTheFileAndLine()
    {
        var csv = Listing(6, k => k == 3 ? "testing" : "train");

        var result = Qkan.Run(["train", "--csv", csv, "--out", _folder.Combine("model.zip"), .. SmallNetwork]);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains($"{csv}, line 5", result.Error);
        Assert.Contains("'testing'", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("Featurizing", result.Output);
    }

    [Fact]
    public void Fsd50k_HasNoTestSplit_IsAnArgumentError()
    {
        var result = Qkan.Run("evaluate", "--model", "m.zip", "--fsd50k", _folder.Path, "--split", "test");

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains("--split eval", result.Error);
    }
}
