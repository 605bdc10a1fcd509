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
        var featurizer = new LogMelFeaturizer(frontEnd);

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
