using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using QuantumKan.Audio.Wav;
using QuantumKan.ML;
using QuantumKan.ML.Classification;
using QuantumKan.Nn.Encoders;

namespace QuantumKan.Cli.Tests;

/// <summary>train --encoder → evaluate → predict → similar with a frame-encoder model.</summary>
[Collection(TrainedModelCollection.Name)]
public class EncoderModelTests(TrainedModelFixture fixture)
{
    private QuantumKanClassifierTransformer Classifier() =>
        ((IEnumerable<ITransformer>)new MLContext().LoadQuantumKanModel(fixture.EncoderModelPath, out _)).OfType<QuantumKanClassifierTransformer>().Single();

    [Fact]
    public void Train_WithEncoder_SavesAFrameModelWithItsRecipe()
    {
        Assert.Contains("Temporal encoder", fixture.EncoderTrainResult.Output);
        var classifier = Classifier();
        Assert.True(classifier.ReadsFrames);
        Assert.Equal(16, classifier.FeatureCount);                                   // --mels 16: bands per frame
        var encoder = classifier.NetworkOptions.Encoder;
        Assert.Equal(FrameEncoderKind.Temporal, encoder.Kind);
        Assert.Equal([8, 8, 12], encoder.Channels);
        Assert.Equal(50, encoder.CropFrames);
        Assert.Equal(1, classifier.NetworkOptions.Augmentation.TimeMasks);        // augmentation is recorded
        Assert.Equal(0.5, classifier.NetworkOptions.Augmentation.MixupProbability);
    }

    [Fact]
    public void Evaluate_And_Similar_WorkOnTheEncoderModel()
    {
        var evaluated = Qkan.Succeed("evaluate", "--model", fixture.EncoderModelPath, "--fsd50k", fixture.DataRoot, "--split", "eval");
        Assert.Matches(@"mAP\s*\|\s*\d\.\d{3}", evaluated.Output);

        var index = Path.GetDirectoryName(fixture.Eval.Clips[0].Path)!;
        var query = fixture.Eval.Clips[0].Path;
        var similar = Qkan.Succeed("similar", "--model", fixture.EncoderModelPath, "--index", index, query, "--top", "3");
        var fidelities = Regex.Matches(similar.Output, @"\b(0\.\d{3}|1\.000)\b").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(fidelities.Length >= 3, similar.Output);
    }

    [Fact]
    public void Predict_ScoresClipsOfAnyLength()
    {
        // 0.05 s (a few frames, shorter than one crop) to 12 s (many patches): all scored, probabilities in [0, 1].
        var folder = fixture.NewFolder("encoder-lengths");
        var rng = new Random(3);
        var paths = new List<string>();
        foreach (double seconds in new[] { 0.05, 0.5, 1.0, 12.0 })
        {
            var samples = Enumerable.Range(0, (int)(seconds * 16_000)).Select(i => (float)(0.3 * Math.Sin(i * 0.05) + 0.05 * (rng.NextDouble() - 0.5))).ToArray();
            var path = Path.Combine(folder, $"clip-{seconds.ToString(CultureInfo.InvariantCulture)}.wav");
            WavWriter.Write(path, samples, 16_000);
            paths.Add(path);
        }
        var scores = SavedModelScores.Predict(fixture.EncoderModelPath, paths);
        Assert.All(scores, s =>
        {
            Assert.Equal(fixture.Vocabulary.Count, s.Length);
            Assert.All(s, v => Assert.InRange(v, 0f, 1f));
        });
    }
}
