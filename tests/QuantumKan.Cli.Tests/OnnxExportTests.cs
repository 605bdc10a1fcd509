using QuantumKan.Audio;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Wav;
using QuantumKan.Onnx;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// <c>qkan export</c> on the trained pooled and frame-encoder models, then the exported graphs on OnnxRuntime, fed by
/// the front end recorded in their metadata, against the saved zips' own PredictionEngine on held-out (eval) clips and
/// on clips far shorter and longer than a training crop.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public class OnnxExportTests(TrainedModelFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Export_ThenOnnxRuntime_ScoresHeldOutClipsAsTheSavedModel(bool encoder)
    {
        var zip = encoder ? fixture.EncoderModelPath : fixture.ModelPath;
        var onnxPath = Path.Combine(fixture.NewFolder($"onnx-{encoder}"), "model.onnx");
        var result = Qkan.Succeed("export", "--model", zip, "--onnx", onnxPath);
        Assert.Contains($"wrote {onnxPath}", result.Output);
        Assert.Contains(encoder ? "'frames' (frames × 16 mel bands" : "'features' (batch × ", result.Output);

        using var onnx = OnnxClassifier.Load(onnxPath);
        Assert.Equal(fixture.Vocabulary.Labels, onnx.ClassNames);
        Assert.Equal(encoder, onnx.ReadsFrames);
        var frontEnd = JsonSerializer.Deserialize<LogMelOptions>(onnx.FrontEndJson!, Json)!;
        var featurizer = new AudioFrontEnd(frontEnd);

        var clips = fixture.Eval.Clips.Take(12).Select(c => c.Path).Concat(OddLengthClips(fixture.NewFolder($"onnx-lengths-{encoder}"))).ToArray();
        var expected = SavedModelScores.Predict(zip, clips);
        double worst = 0;
        for (int i = 0; i < clips.Length; i++)
        {
            var (scores, _) = onnx.Predict(featurizer.FeaturizeFile(clips[i]));
            Assert.Equal(expected[i].Length, scores.Length);
            worst = Math.Max(worst, expected[i].Zip(scores, (a, b) => Math.Abs(a - (double)b)).Max());
        }
        output.WriteLine($"{(encoder ? "encoder" : "pooled")} model, {clips.Length} clips: max |Δscore| {worst:E2}");
        Assert.True(worst <= 1e-5, $"ONNX scores differ from the saved model's by up to {worst:E3}");
    }

    [Fact]
    public void PredictEvaluateSimilar_AcceptTheOnnxFile_AndAgreeWithTheZip()
    {
        var onnxPath = Path.Combine(fixture.NewFolder("onnx-cli"), "model.onnx");
        Qkan.Succeed("export", "--model", fixture.EncoderModelPath, "--onnx", onnxPath);
        var clips = fixture.Eval.Clips.Take(4).Select(c => c.Path).ToArray();

        var fromZip = PredictedScores(Qkan.Succeed(["predict", "--model", fixture.EncoderModelPath, "--json", .. clips]).Output);
        var fromOnnx = PredictedScores(Qkan.Succeed(["predict", "--model", onnxPath, "--json", .. clips]).Output);
        Assert.Equal(fromZip.Length, fromOnnx.Length);
        for (int i = 0; i < fromZip.Length; i++)
            Assert.True(fromZip[i].Zip(fromOnnx[i], (a, b) => Math.Abs(a - b)).Max() <= 1e-5, $"clip {i}");

        var zipEvaluation = Qkan.Succeed("evaluate", "--model", fixture.EncoderModelPath, "--fsd50k", fixture.DataRoot, "--split", "eval");
        var onnxEvaluation = Qkan.Succeed("evaluate", "--model", onnxPath, "--fsd50k", fixture.DataRoot, "--split", "eval");
        Assert.Equal(MeanAveragePrecision(zipEvaluation.Output), MeanAveragePrecision(onnxEvaluation.Output));

        var index = Path.GetDirectoryName(clips[0])!;
        var zipSimilar = Qkan.Succeed("similar", "--model", fixture.EncoderModelPath, "--index", index, clips[0], "--top", "3");
        var onnxSimilar = Qkan.Succeed("similar", "--model", onnxPath, "--index", index, clips[0], "--top", "3");
        static string Table(string output) => string.Join("\n", output.Split('\n').Where(line => line.StartsWith('|')));   // not the timing line
        Assert.Equal(Table(zipSimilar.Output), Table(onnxSimilar.Output));
    }

    [Fact]
    public void OnnxPipeline_SavedAsAnMlNetZip_ReloadsInAFreshContext_AndScoresUnderPredictionEngine()
    {
        var folder = fixture.NewFolder("onnx-zip");
        var onnxPath = Path.Combine(folder, "model.onnx");
        Qkan.Succeed("export", "--model", fixture.ModelPath, "--onnx", onnxPath);
        var ml = new Microsoft.ML.MLContext(seed: 3);
        var pipeline = QuantumKan.ML.Onnx.OnnxAudioPipeline.LoadQuantumKanOnnx(ml, onnxPath);
        var zip = Path.Combine(folder, "onnx-pipeline.zip");
        ml.Model.Save(pipeline, ml.Data.LoadFromEnumerable(Array.Empty<SavedModelScores.ClipInput>()).Schema, zip);

        var clips = fixture.Eval.Clips.Take(5).Select(c => c.Path).ToArray();
        var reloaded = SavedModelScores.Predict(zip, clips);                          // fresh MLContext, PredictionEngine
        var torch = SavedModelScores.Predict(fixture.ModelPath, clips);
        using var direct = OnnxClassifier.Load(onnxPath);
        var featurizer = new AudioFrontEnd(JsonSerializer.Deserialize<LogMelOptions>(direct.FrontEndJson!, Json)!);
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.Equal(direct.Predict(featurizer.FeaturizeFile(clips[i])).Scores, reloaded[i]);   // the zip holds the same graph
            Assert.True(torch[i].Zip(reloaded[i], (a, b) => Math.Abs(a - b)).Max() <= 1e-5, $"clip {i}");
        }
        Assert.Contains("PredictedLabel", Qkan.Succeed(["predict", "--model", zip, "--json", clips[0]]).Output.Replace("top", "PredictedLabel"));
    }

    private static float[][] PredictedScores(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("scores").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
    }

    private static string MeanAveragePrecision(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"mAP\s*\|\s*(\d\.\d{3})").Groups[1].Value is { Length: > 0 } value ? value : throw new Xunit.Sdk.XunitException(output);

    [Fact]
    public void Export_OfAFileThatIsNotAModel_FailsNamingIt()
    {
        var folder = fixture.NewFolder("onnx-bad");
        var notAModel = Path.Combine(folder, "model.zip");
        File.WriteAllText(notAModel, "not a zip");
        var result = Qkan.Run("export", "--model", notAModel, "--onnx", Path.Combine(folder, "out.onnx"));
        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(notAModel, result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.False(File.Exists(Path.Combine(folder, "out.onnx")));
    }

    // 0.05 s (a few frames, shorter than one crop) and 7.3 s (many patches, the last one aligned to the end).
    private static IEnumerable<string> OddLengthClips(string folder)
    {
        var rng = new Random(5);
        foreach (double seconds in new[] { 0.05, 7.3 })
        {
            var samples = Enumerable.Range(0, (int)(seconds * 16_000)).Select(i => (float)(0.3 * Math.Sin(i * 0.03 + 0.2 * Math.Sin(i * 1e-3)) + 0.05 * (rng.NextDouble() - 0.5))).ToArray();
            var path = Path.Combine(folder, $"clip-{seconds.ToString(CultureInfo.InvariantCulture)}.wav");
            WavWriter.Write(path, samples, 16_000);
            yield return path;
        }
    }
}
