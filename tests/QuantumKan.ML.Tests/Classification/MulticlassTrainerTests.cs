using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Quantum;
using Xunit.Abstractions;

namespace QuantumKan.ML.Tests.Classification;

public class MulticlassTrainerTests(ITestOutputHelper output)
{
    public sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Single-label synthetic clips featurized in memory (pooled log-mel, 4 segments in temporal order).</summary>
    internal static List<Row> Rows(int first, int count)
    {
        var generator = new SyntheticSoundGenerator(new SyntheticSoundSetOptions { Seed = 21, SampleRate = 16_000, SingleLabel = true, MinClipSeconds = 1, MaxClipSeconds = 2 });
        var featurizer = new LogMelFeaturizer(new LogMelOptions { SampleRate = 16_000, MelBands = 32, Layout = FeatureLayout.Pooled, PoolingSegments = 4 });
        return Enumerable.Range(first, count).AsParallel().AsOrdered().Select(i =>
        {
            var clip = generator.Generate(i);
            return new Row { Label = clip.Events[0].Type.ToString(), Features = featurizer.Featurize(clip.Samples) };
        }).ToList();
    }

    private static IDataView Load(MLContext ml, List<Row> rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    [Fact]
    public void Multiclass_ReachesAccuracy0_9_AndWorksWithMlNetEvaluate()
    {
        var ml = new MLContext(seed: 1);
        var train = Load(ml, Rows(0, 800));
        var test = Load(ml, Rows(50_000, 200));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 30));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test), "Label", "Score", "PredictedLabel");
        output.WriteLine($"accuracy {metrics.MacroAccuracy:F4} micro {metrics.MicroAccuracy:F4} log-loss {metrics.LogLoss:F4}");
        Assert.True(metrics.MicroAccuracy >= 0.9, $"accuracy {metrics.MicroAccuracy:F4}");
    }

    [Fact]
    public void SameSeedAndData_GiveIdenticalWeights()
    {
        var rows = Rows(0, 96);
        float[] Train()
        {
            var ml = new MLContext(seed: 7);
            var data = Load(ml, rows);
            var model = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 2)).Fit(data);
            return model.LastTransformer.Checkpoint.ModelState.ToArray().Select(b => (float)b).ToArray();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void TrainingsRunningAtOnce_GiveTheSameWeightsAsAlone()
    {
        // Network initialization draws from torch's one process-wide generator; concurrent Fits must not interleave draws.
        var rows = Rows(0, 48);
        float[] Train(int seed)
        {
            var ml = new MLContext(seed: seed);
            var model = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1)).Fit(Load(ml, rows));
            return model.LastTransformer.Checkpoint.ModelState.ToArray().Select(b => (float)b).ToArray();
        }
        var alone = new[] { Train(11), Train(12) };
        var together = new float[2][];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => together[i] = Train(11 + i));
        for (int i = 0; i < 2; i++)
            Assert.Equal(alone[i], together[i]);
    }

    [Fact]
    public void NaNFeature_FailsNamingColumnAndRow()
    {
        var rows = Rows(0, 40);
        rows[17].Features[3] = float.NaN;
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Load(ml, rows)).Transform(Load(ml, rows));
        var ex = Assert.Throws<InvalidRowException>(() => ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1).Fit(data));
        Assert.Equal("Features", ex.Column);
        Assert.Equal(17, ex.Row);
    }

    [Fact]
    public void NonKeyLabel_FailsEarlyNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, Rows(0, 8));
        var trainer = ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        Assert.Contains("'Label'", ex.Message);
        Assert.Contains("MapValueToKey", ex.Message);
    }

    [Fact]
    public void FeatureSizeDifferentFromTraining_FailsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(0, 48);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1)).Fit(Load(ml, rows));
        var shorter = rows.Select(r => new Row { Label = r.Label, Features = r.Features[..^4] }).ToList();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(Load(ml, shorter)));
        Assert.Contains("'Features'", ex.Message);
    }
}
