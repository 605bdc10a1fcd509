using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using QuantumKan.Data.Synthesis;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Cli.Tests;

/// <summary>A user's own CSV listing of single-label clips: train --task Multiclass (with a held-out share), then evaluate.</summary>
public sealed class MulticlassCsvTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TrainOnCsv_HoldsOutValidation_ThenEvaluatePrintsAccuracy()
    {
        var types = new[] { SyntheticSoundType.LowNoiseBurst, SyntheticSoundType.HighNoiseBurst, SyntheticSoundType.ClickTrain, SyntheticSoundType.HarmonicTone };
        var train = WriteListing("train.csv", types, first: 0, count: 80);
        var test = WriteListing("test.csv", types, first: 1000, count: 24);
        var model = _folder.Combine("clf.zip");

        var trained = Qkan.Succeed("train", "--csv", train, "--task", "Multiclass", "--out", model, "--epochs", "4",
            "--validation-fraction", "0.25", "--mels", "24", "--modes", "6", "--references", "4", "--semantic-widths", "16");
        var evaluated = Qkan.Succeed("evaluate", "--model", model, "--csv", test);

        Assert.Contains("holding out 20 of 80 training clips", trained.Output);
        Assert.Matches(@"val accuracy \d\.\d{3} macro-F1 \d\.\d{3} log-loss", trained.Output);
        var accuracy = Regex.Match(evaluated.Output, @"\|\s*accuracy\s*\|\s*([0-9.]+)\s*\|");
        Assert.True(accuracy.Success, evaluated.ToString());
        // Four spectrally distinct types: even a few epochs sort most clips (chance is 0.25).
        Assert.True(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.5, evaluated.Output);
        Assert.Matches(@"\|\s*log-loss\s*\|\s*[0-9.]+\s*\|", evaluated.Output);
    }

    private string WriteListing(string name, SyntheticSoundType[] types, int first, int count)
    {
        var generator = new SyntheticSoundGenerator(new SyntheticSoundSetOptions
        {
            Seed = 21, SampleRate = 16_000, Types = types, SingleLabel = true, MinClipSeconds = 1.0, MaxClipSeconds = 1.2,
        });
        var csv = new StringBuilder("path,labels\n");
        Directory.CreateDirectory(_folder.Combine("clips"));
        for (int k = first; k < first + count; k++)
        {
            var clip = generator.Generate(k);
            var relative = $"clips/{k}.wav";
            WavWriter.Write(_folder.Combine(relative), clip.Samples, clip.SampleRate);
            var label = generator.Vocabulary.Single(v => v.Type == clip.LabelsIn(generator.Types).Single()).Label;
            csv.Append(relative).Append(',').Append(label).Append('\n');
        }
        var path = _folder.Combine(name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}
