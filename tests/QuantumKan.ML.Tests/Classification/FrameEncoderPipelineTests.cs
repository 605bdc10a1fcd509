using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using Xunit.Abstractions;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>MelSpectrogram (Frames) → QuantumKan with a frame encoder, through ML.NET: Fit, Evaluate, Save, Load, PredictionEngine.</summary>
public class FrameEncoderPipelineTests(SyntheticFsd50kFixture data, ITestOutputHelper output) : IClassFixture<SyntheticFsd50kFixture>
{
    private static MelSpectrogramOptions Mel(FeatureLayout layout) => new()
    {
        OutputColumnName = "Features", InputColumnName = "Audio", SampleRate = 16_000, MelBands = 32, Layout = layout, PoolingSegments = 4,
    };

    private static QuantumKanClassifierOptions Options(int epochs, QuantumKanNetworkOptions? network = null) => new()
    {
        LabelColumnName = "Label",
        Network = network ?? new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions { Channels = [16, 16, 24, 32] },   // Kind Auto: frames in → Temporal
            Augmentation = new FrameAugmentationOptions { TimeMasks = 1, MixupProbability = 0.3 },
        },
        Training = new() { Epochs = epochs, EarlyStoppingPatience = 0, LearningRate = 0.005 },
    };

    public sealed class Clip
    {
        public string Path { get; set; } = "";
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public bool[] PredictedLabel { get; set; } = [];
        public float[] Embedding { get; set; } = [];
    }

    [Fact]
    public void FramesPipeline_PicksTheEncoder_Learns_AndReloadsBitIdentically()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var eval = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Eval);
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000)
            .Append(ml.Transforms.MelSpectrogram(Mel(FeatureLayout.Frames)))
            .Append(ml.MultiLabelClassification().Trainers.QuantumKan(Options(epochs: 15)));
        var model = pipeline.Fit(train);
        var classifier = model.LastTransformer;
        Assert.True(classifier.ReadsFrames);
        Assert.Equal(FrameEncoderKind.Temporal, classifier.NetworkOptions.Encoder.Kind);
        Assert.Equal(32, classifier.FeatureCount);

        var metrics = ml.MultiLabelClassification().Evaluate(model.Transform(eval), "Label");
        output.WriteLine($"eval mAP {metrics.MeanAveragePrecision:F4}");
        Assert.True(metrics.MeanAveragePrecision >= 0.8, $"eval mAP {metrics.MeanAveragePrecision:F4}");

        var path = Path.Combine(data.Root, "frames-model.zip");
        ml.Model.Save(model, train.Schema, path);
        var ml2 = new MLContext(seed: 2).RegisterQuantumKan();
        var loaded = ml2.Model.Load(path, out _);
        var before = ml.Model.CreatePredictionEngine<Clip, Prediction>(model);
        var after = ml2.Model.CreatePredictionEngine<Clip, Prediction>(loaded);
        foreach (var clipPath in ml.Data.CreateEnumerable<PathRow>(eval, reuseRowObject: false).Take(3).Select(r => r.Path))
        {
            var p1 = before.Predict(new Clip { Path = clipPath });
            var p2 = after.Predict(new Clip { Path = clipPath });
            Assert.Equal(p1.Score, p2.Score);
            Assert.Equal(p1.Embedding, p2.Embedding);
            Assert.Equal(p1.Score.Select(s => s >= 0.5f), p1.PredictedLabel);
        }
    }

    [Fact]
    public void PooledFeatures_WithAutoEncoder_TrainTheEncoderFreeNetwork()
    {
        var ml = new MLContext(seed: 5);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var features = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000).Append(ml.Transforms.MelSpectrogram(Mel(FeatureLayout.Pooled))).Fit(train).Transform(train);
        var classifier = ml.MultiLabelClassification().Trainers.QuantumKan(Options(epochs: 1, new QuantumKanNetworkOptions())).Fit(features);
        Assert.False(classifier.ReadsFrames);
        Assert.Equal(FrameEncoderKind.None, classifier.NetworkOptions.Encoder.Kind);
    }

    [Fact]
    public void FramesWithEncoderNone_FailsNamingTheFix()
    {
        var ml = new MLContext(seed: 6);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var features = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000).Append(ml.Transforms.MelSpectrogram(Mel(FeatureLayout.Frames))).Fit(train).Transform(train);
        var trainer = ml.MultiLabelClassification().Trainers.QuantumKan(Options(1, new QuantumKanNetworkOptions { Encoder = FrameEncoderOptions.None }));
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(features));
        Assert.Contains("Encoder.Kind = None", error.Message);
    }

    [Fact]
    public void ModelSavedBeforeTheEncoderExisted_StillLoadsAndPredictsTheSame()
    {
        // A pooled model whose "Network" entry is rewritten without the fields this change added is what an older
        // version saved: it must load as the encoder-free network it is and give the same scores.
        var ml = new MLContext(seed: 7);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000)
            .Append(ml.Transforms.MelSpectrogram(Mel(FeatureLayout.Pooled)))
            .Append(ml.MultiLabelClassification().Trainers.QuantumKan(Options(1, new QuantumKanNetworkOptions())));
        var model = pipeline.Fit(train);
        var path = Path.Combine(data.Root, "legacy.zip");
        ml.Model.Save(model, train.Schema, path);
        int rewritten = 0;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith("/Network.qks", StringComparison.Ordinal)).ToArray())
            {
                // A section is "QKSE" | u16 version | i64 length | JSON payload | SHA-256(payload).
                byte[] framed;
                using (var stream = entry.Open())
                using (var copy = new MemoryStream())
                {
                    stream.CopyTo(copy);
                    framed = copy.ToArray();
                }
                var json = JsonNode.Parse(framed.AsSpan(14, framed.Length - 14 - 32))!.AsObject();
                foreach (var added in new[] { "Encoder", "Augmentation", "ClassifierHead", "HeadInput", "SkipDropout", "ContrastiveTarget", "MlpHiddenWidth" })
                    Assert.True(json.Remove(added), $"{added} was not saved");
                var payload = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
                string name = entry.FullName;
                entry.Delete();
                using var writer = new BinaryWriter(zip.CreateEntry(name).Open());
                writer.Write("QKSE"u8.ToArray());
                writer.Write((ushort)1);
                writer.Write((long)payload.Length);
                writer.Write(payload);
                writer.Write(System.Security.Cryptography.SHA256.HashData(payload));
                rewritten++;
            }
        }
        Assert.Equal(1, rewritten);
        var loaded = new MLContext(seed: 8).LoadQuantumKanModel(path, out _);
        var clip = new Clip { Path = ml.Data.CreateEnumerable<PathRow>(train, reuseRowObject: false).First().Path };
        var expected = ml.Model.CreatePredictionEngine<Clip, Prediction>(model).Predict(clip).Score;
        Assert.Equal(expected, new MLContext().Model.CreatePredictionEngine<Clip, Prediction>(loaded).Predict(clip).Score);
        // A model saved before the contrastive target existed was trained with SharedLabel; a new one saves the default resolved.
        var legacyOptions = ((IEnumerable<ITransformer>)loaded).OfType<QuantumKanClassifierTransformer>().Single().NetworkOptions;
        Assert.Equal(Nn.Losses.ContrastiveTarget.SharedLabel, legacyOptions.ContrastiveTarget);
        var newOptions = ((IEnumerable<ITransformer>)model).OfType<QuantumKanClassifierTransformer>().Single().NetworkOptions;
        Assert.Equal(Nn.Losses.ContrastiveTarget.LabelOverlap, newOptions.ContrastiveTarget);
    }

    public sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
