using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML;
using QuantumKan.ML;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Training.Metrics;

namespace QuantumKan.Cli.Tests;

/// <summary>train → evaluate → predict → similar on a tiny generated FSD50K-layout set, all in-process.</summary>
[Collection(TrainedModelCollection.Name)]
public class RoundTripTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Train_ReportsEveryEpoch_AndWritesModelCurvesAndCache()
    {
        for (int epoch = 1; epoch <= TrainedModelFixture.Epochs; epoch++)
            Assert.Matches($@"epoch {epoch}/{TrainedModelFixture.Epochs}\s+loss \d+\.\d+ \(cls .*\)\s+val mAP \d\.\d{{3}}", fixture.TrainResult.Output);

        var loaded = new MLContext().LoadQuantumKanModel(fixture.ModelPath, out var schema);
        var classifier = Assert.Single(((IEnumerable<ITransformer>)loaded).OfType<QuantumKanClassifierTransformer>());
        Assert.Equal(fixture.Vocabulary.Labels, classifier.ClassNames);
        Assert.Equal(TrainedModelFixture.Epochs, classifier.TrainingHistory.Count);
        Assert.Equal(8, classifier.NetworkOptions.Embedding.Modes);           // --modes reached the network
        Assert.Equal(32 * 2 * 4, classifier.FeatureCount);                   // --mels 32, mean+std, 4 segments
        Assert.NotNull(schema.GetColumnOrNull("Path"));                     // the zip takes WAV paths

        var curves = Path.ChangeExtension(fixture.ModelPath, null) + ".training.png";
        Assert.Contains(curves, fixture.TrainResult.Output);
        var (width, height) = PngImage.Size(curves);
        Assert.Equal(3 * 560, width);
        Assert.Equal(0, height % 400);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(fixture.ModelPath)!, "qkan-cache", "index.json")));
    }

    [Fact]
    public void Evaluate_PrintsTheMetricsOfThePredictionsItWrites()
    {
        var folder = fixture.NewFolder("evaluate");
        var predictions = Path.Combine(folder, "preds.csv");
        var plot = Path.Combine(folder, "ap.png");

        var result = Qkan.Succeed("evaluate", "--model", fixture.ModelPath, "--fsd50k", fixture.DataRoot, "--split", "eval",
            "--predictions", predictions, "--plot", plot);

        var eval = fixture.Eval;
        var rows = CsvRecordReader.ReadFile(predictions).ToArray();
        Assert.Equal(["fname", .. fixture.Vocabulary.Labels], rows[0].Fields);
        Assert.Equal(eval.Clips.Select(c => c.Fname), rows.Skip(1).Select(r => r.Fields[0]));
        var scores = rows.Skip(1).SelectMany(r => r.Fields.Skip(1).Select(f => float.Parse(f, CultureInfo.InvariantCulture))).ToArray();
        var targets = Enumerable.Range(0, eval.Clips.Count).SelectMany(eval.MultiHot).ToArray();
        var expected = MultiLabelEvaluation.Evaluate(scores, targets, fixture.Vocabulary.Count);

        Assert.Equal(expected.MeanAveragePrecision.ToString("F3", CultureInfo.InvariantCulture), Printed(result.Output, "mAP"));
        Assert.Equal(expected.Lwlrap.Overall.ToString("F3", CultureInfo.InvariantCulture), Printed(result.Output, "lwlrap"));
        Assert.Equal(expected.DPrime.ToString("F3", CultureInfo.InvariantCulture), Printed(result.Output, "d′"));
        Assert.Equal((1100, fixture.Vocabulary.Count * 26 + 200), PngImage.Size(plot));

        // The CSV holds the saved pipeline's scores exactly (round-trip formatting).
        var direct = SavedModelScores.Predict(fixture.ModelPath, eval.Clips.Take(2).Select(c => c.Path));
        Assert.Equal(SavedModelScores.Bits(direct[0]), SavedModelScores.Bits(scores[..fixture.Vocabulary.Count]));
    }

    [Fact]
    public void Predict_Json_GivesThePredictionEngineScoresOfTheSavedZip()
    {
        var clips = fixture.Eval.Clips.Take(3).Select(c => c.Path).ToArray();

        var result = Qkan.Succeed(["predict", "--model", fixture.ModelPath, "--json", "--top", "3", .. clips]);

        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(fixture.Vocabulary.Labels, root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("MultiLabel", root.GetProperty("task").GetString());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
        var predictions = root.GetProperty("predictions").EnumerateArray().ToArray();
        var expected = SavedModelScores.Predict(fixture.ModelPath, clips);
        Assert.Equal(clips.Length, predictions.Length);
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.Equal(clips[i], predictions[i].GetProperty("file").GetString());
            var scores = predictions[i].GetProperty("scores").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(SavedModelScores.Bits(expected[i]), SavedModelScores.Bits(scores));
            var top = predictions[i].GetProperty("top").EnumerateArray().ToArray();
            var best = Enumerable.Range(0, scores.Length).OrderByDescending(c => scores[c]).Take(3).ToArray();
            Assert.Equal(best.Select(c => fixture.Vocabulary.Labels[c]), top.Select(t => t.GetProperty("label").GetString()));
            Assert.Equal(best.Select(c => scores[c]), top.Select(t => t.GetProperty("score").GetSingle()));
        }
    }

    [Fact]
    public void Predict_ReportsMissingAndCorruptClips_AndScoresTheRest()
    {
        var folder = fixture.NewFolder("predict-bad");
        var good = fixture.Eval.Clips[0].Path;
        var missing = Path.Combine(folder, "missing.wav");
        var corrupt = Path.Combine(folder, "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF? no.");

        var result = Qkan.Run("predict", "--model", fixture.ModelPath, good, missing, corrupt, "--top", "2");

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(missing, result.Error);
        Assert.Contains(corrupt, result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.Contains(good, result.Output);
        var scores = SavedModelScores.Predict(fixture.ModelPath, [good])[0];
        int best = Array.IndexOf(scores, scores.Max());
        Assert.Matches($@"{Regex.Escape(fixture.Vocabulary.Labels[best])}\s+{scores[best]:F4}", result.Output);
    }

    [Fact]
    public void Similar_RanksAnExactCopyOfTheQueryFirst_WithFidelityOne()
    {
        var index = fixture.NewFolder("similar-index");
        var eval = fixture.Eval.Clips;
        foreach (var clip in eval.Skip(1).Take(6))
            File.Copy(clip.Path, Path.Combine(index, Path.GetFileName(clip.Path)));
        var query = eval[0].Path;
        var copy = Path.Combine(index, "copy-of-query.wav");
        File.Copy(query, copy);
        File.WriteAllText(Path.Combine(index, "broken.wav"), "not audio");

        var result = Qkan.Succeed("similar", "--model", fixture.ModelPath, "--index", index, query, "--top", "3");

        var ranks = Regex.Matches(result.Output, @"\|\s+(\d)\s+\|\s+([0-9.e+-]+)\s+\|\s+(-?[0-9.]+)\s+\|\s+(\S+)\s+\|");
        Assert.Equal(3, ranks.Count);
        Assert.EndsWith("copy-of-query.wav", ranks[0].Groups[4].Value);
        Assert.Equal("1.0000", ranks[0].Groups[2].Value);
        var fidelities = ranks.Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(fidelities.OrderDescending(), fidelities);
        Assert.Contains("broken.wav", result.Error); // unreadable index clips are left out with a warning
    }

    [Fact]
    public void Similar_LeavesOutAClipWithHugeFloatSamples_WithAWarning_AndStillAnswers()
    {
        var index = fixture.NewFolder("similar-huge");
        var eval = fixture.Eval.Clips;
        foreach (var clip in eval.Skip(1).Take(4))
            File.Copy(clip.Path, Path.Combine(index, Path.GetFileName(clip.Path)));
        using var scratch = new TempFolder();
        var huge = Path.Combine(index, "huge.wav");
        File.Copy(scratch.HugeFloat("huge.wav", 3.4e38f, sampleIndex: 50), huge);
        var big = Path.Combine(index, "big.wav");
        File.Copy(scratch.HugeFloat("big.wav", 1e30f, sampleIndex: 60), big);

        var result = Qkan.Succeed("similar", "--model", fixture.ModelPath, "--index", index, eval[0].Path, "--top", "3");

        var ranks = Regex.Matches(result.Output, @"\|\s+(\d)\s+\|\s+([0-9.e+-]+)\s+\|\s+(-?[0-9.]+)\s+\|\s+(\S+)\s+\|");
        Assert.Equal(3, ranks.Count);
        Assert.DoesNotContain(ranks, m => m.Groups[4].Value.EndsWith("huge.wav", StringComparison.Ordinal) || m.Groups[4].Value.EndsWith("big.wav", StringComparison.Ordinal));
        Assert.Contains($"warning: left out {huge}", result.Error);
        Assert.Contains("sample 50 of channel 0", result.Error);
        Assert.Contains($"warning: left out {big}", result.Error);
        Assert.Contains("sample 60 of channel 0", result.Error);
    }

    [Fact]
    public void Evaluate_LabelOutsideTheModelsClasses_ExitsOneNamingFileAndLine()
    {
        var folder = fixture.NewFolder("evaluate-bad-labels");
        var csv = Path.Combine(folder, "clips.csv");
        File.WriteAllText(csv, $"path,labels\n{fixture.Eval.Clips[0].Path},{fixture.Vocabulary.Labels[0]}\n{fixture.Eval.Clips[1].Path},Trombone\n");

        var result = Qkan.Run("evaluate", "--model", fixture.ModelPath, "--csv", csv);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains($"{csv}, line 3", result.Error);
        Assert.Contains("Trombone", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void Train_Multiclass_OnMultiLabelClips_ExitsOneNamingTheRow()
    {
        var folder = fixture.NewFolder("multiclass-refused");

        var result = Qkan.Run("train", "--fsd50k", fixture.DataRoot, "--task", "Multiclass", "--out", Path.Combine(folder, "m.zip"),
            "--cache", Path.Combine(folder, "cache"));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Matches(@"dev\.csv, line \d+: clip '\d+' has [23] labels", result.Error);
        Assert.False(File.Exists(Path.Combine(folder, "m.zip")));
    }

    [Fact]
    public void Train_OnAGpuTheBackendLacks_ExitsOneBeforeFeaturizing()
    {
        var folder = fixture.NewFolder("no-gpu");

        var result = Qkan.Run("train", "--fsd50k", fixture.DataRoot, "--device", "cuda:7", "--out", Path.Combine(folder, "m.zip"),
            "--cache", Path.Combine(folder, "cache"));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains("cuda:7", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.False(Directory.Exists(Path.Combine(folder, "cache")));
    }

    private static string Printed(string output, string metric) =>
        Regex.Match(output, $@"\|\s*{Regex.Escape(metric)}\s*\|\s*([0-9.]+)\s*\|").Groups[1].Value;
}
