using System.Text;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Cli.Tests;

/// <summary>Errors on the command line name its flags, never the library's options or C# parameter names.</summary>
public sealed class CliWordingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly string[] SmallNetwork =
        ["--epochs", "1", "--mels", "16", "--modes", "4", "--references", "4", "--semantic-widths", "8", "--seed", "1"];

    private string Listing(string rows)
    {
        Directory.CreateDirectory(_folder.Combine("clips"));
        for (int k = 0; k < 8; k++)
            _folder.Tone(Path.Combine("clips", $"{k}.wav"), seconds: 0.3, hz: k % 2 == 0 ? 300 : 2000);
        var csv = new StringBuilder("path,labels\n");
        for (int k = 0; k < 8; k++)
            csv.Append($"clips/{k}.wav,{(k % 2 == 0 ? "Low" : "High")}\n");
        csv.Append(rows);
        var path = _folder.Combine("list.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static void AssertCliWording(CliResult result)
    {
        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("MissingAudio", result.Error);
        Assert.DoesNotContain("AllowEmptyLabels", result.Error);
        Assert.DoesNotContain("(Parameter", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    public void MissingAudio_NamesSkipMissing(string command)
    {
        var csv = Listing("clips/gone.wav,Low\n");
        var model = _folder.Combine("model.zip");
        if (command == "evaluate")
        {
            File.WriteAllText(csv, string.Join('\n', File.ReadAllLines(csv).SkipLast(1)) + "\n");
            Qkan.Succeed(["train", "--csv", csv, "--out", model, .. SmallNetwork]);
            File.AppendAllText(csv, "clips/gone.wav,Low\n");
        }
        string[] args = command == "train" ? ["train", "--csv", csv, "--out", model, .. SmallNetwork] : ["evaluate", "--model", model, "--csv", csv];

        var result = Qkan.Run(args);

        AssertCliWording(result);
        Assert.Contains(csv, result.Error);
        Assert.Contains("gone.wav", result.Error);
        Assert.Contains("--skip-missing", result.Error);
        Assert.Equal(0, Qkan.Run([.. args, "--skip-missing"]).ExitCode);
    }

    [Fact]
    public void EmptyLabels_NamesAllowEmptyLabels_AndTheFlagReadsThem()
    {
        var csv = Listing("clips/0.wav,\n".Replace("0.wav", "silence.wav"));
        _folder.Tone(Path.Combine("clips", "silence.wav"), seconds: 0.3, hz: 50);
        string[] args = ["train", "--csv", csv, "--out", _folder.Combine("model.zip"), .. SmallNetwork];

        var result = Qkan.Run(args);

        AssertCliWording(result);
        Assert.Contains($"{csv}, line 10", result.Error);
        Assert.Contains("--allow-empty-labels", result.Error);
        var allowed = Qkan.Succeed([.. args, "--allow-empty-labels"]);
        Assert.Contains("Featurizing training clips (9)", allowed.Output);
    }

    [Theory]
    [InlineData("mel")]
    [InlineData("train")]
    public void ClipTooShortForOneFrame_DoesNotLeakTheParameterName(string command)
    {
        var csv = Listing("");
        // A WAV without samples: too short for one frame.
        var tiny = _folder.Combine("clips", "tiny.wav");
        WavWriter.Write(tiny, Array.Empty<float>(), 16_000);
        File.AppendAllText(csv, "clips/tiny.wav,Low\n");
        string[] args = command == "mel"
            ? ["mel", tiny, "--out", _folder.Combine("x.npy")]
            : ["train", "--csv", csv, "--out", _folder.Combine("model.zip"), .. SmallNetwork];

        var result = Qkan.Run(args);

        AssertCliWording(result);
        Assert.Contains(tiny, result.Error);
        Assert.Contains("0 samples", result.Error);
    }
}
