using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using Xunit.Abstractions;

namespace QuantumKan.ML.Tests.Classification;

public class MultiLabelPipelineTests(SyntheticFsd50kFixture data, ITestOutputHelper output) : IClassFixture<SyntheticFsd50kFixture>
{
    private static readonly MelSpectrogramOptions Mel = new()
    {
        OutputColumnName = "Features", InputColumnName = "Audio", SampleRate = 16_000, MelBands = 32,
        Layout = FeatureLayout.Pooled, PoolingSegments = 4,
    };

    private static IEstimator<ITransformer> Pipeline(MLContext ml, int epochs) =>
        ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000)
            .Append(ml.Transforms.MelSpectrogram(Mel))
            .Append(ml.MultiLabelClassification().Trainers.QuantumKan(new QuantumKanClassifierOptions
            {
                LabelColumnName = "Label",
                Training = new() { Epochs = epochs, EarlyStoppingPatience = 0 },
            }));

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
    public void Pipeline_FitEvaluateSaveLoadPredict_OnFsd50kLayout()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var eval = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Eval);
        var model = Pipeline(ml, epochs: 25).Fit(train);

        var metrics = ml.MultiLabelClassification().Evaluate(model.Transform(eval), "Label");
        output.WriteLine($"eval mAP {metrics.MeanAveragePrecision:F4}");
        Assert.True(metrics.MeanAveragePrecision >= 0.85, $"eval mAP {metrics.MeanAveragePrecision:F4}");

        var path = Path.Combine(data.Root, "model.zip");
        ml.Model.Save(model, train.Schema, path);
        var ml2 = new MLContext(seed: 2).RegisterQuantumKan();
        var loaded = ml2.Model.Load(path, out _);
        var before = ml.Model.CreatePredictionEngine<Clip, Prediction>(model);
        var after = ml2.Model.CreatePredictionEngine<Clip, Prediction>(loaded);
        var clip = new Clip { Path = FirstPath(ml, eval) };
        var p1 = before.Predict(clip);
        var p2 = after.Predict(clip);
        Assert.Equal(p1.Score, p2.Score);
        Assert.Equal(p1.Embedding, p2.Embedding);
        Assert.Equal(8, p1.Score.Length); // the synthetic set's default vocabulary
        Assert.Equal(p1.Score.Select(s => s >= 0.5f), p1.PredictedLabel);
    }

    [Fact]
    public void LoadedModel_ContinuesTrainingFromItsCheckpoint()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFsd50k(data.Root, Fsd50kSplit.Train);
        var features = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000).Append(ml.Transforms.MelSpectrogram(Mel)).Fit(train).Transform(train);
        var options = new QuantumKanClassifierOptions { LabelColumnName = "Label", Training = new() { Epochs = 2, EarlyStoppingPatience = 0 } };
        var trainer = ml.MultiLabelClassification().Trainers.QuantumKan(options);
        var first = trainer.Fit(features);
        Assert.Equal(2, first.TrainingHistory.Count);

        var path = Path.Combine(data.Root, "continue.zip");
        ml.Model.Save(first, features.Schema, path);
        var loaded = Assert.IsType<QuantumKanClassifierTransformer>(new MLContext(seed: 4).LoadQuantumKanModel(path, out _));
        Assert.Equal(first.Checkpoint.State.GlobalStep, loaded.Checkpoint.State.GlobalStep);

        trainer = ml.MultiLabelClassification().Trainers.QuantumKan(options with { Training = options.Training with { Epochs = 4 } });
        var continued = trainer.Fit(features, continueFrom: loaded);
        Assert.Equal(4, continued.TrainingHistory.Count);                       // epochs 1-2 from the zip, 3-4 new
        Assert.Equal(2 * first.Checkpoint.State.GlobalStep, continued.Checkpoint.State.GlobalStep);
        Assert.Equal(first.TrainingHistory[1].TrainingLosses["total"], continued.TrainingHistory[1].TrainingLosses["total"]);
        Assert.True(continued.TrainingHistory[3].TrainingLosses["total"] < first.TrainingHistory[1].TrainingLosses["total"]);
    }

    private static string FirstPath(MLContext ml, IDataView view) =>
        ml.Data.CreateEnumerable<Clip>(view, reuseRowObject: false).First().Path;
}
