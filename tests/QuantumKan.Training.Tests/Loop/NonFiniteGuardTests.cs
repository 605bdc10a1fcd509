using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;

namespace QuantumKan.Training.Tests.Loop;

public class NonFiniteGuardTests
{
    private static readonly QuantumKan.Training.Data.InMemoryFeatureSource Train = SyntheticSets.MultiLabel(64, classes: 3, features: 6, seed: 51);

    private static TrainerOptions Options(string? workspace = null) => new()
    {
        Epochs = 2, BatchSize = 16, Shuffle = false, Workspace = workspace, MaxConsecutiveNonFiniteSteps = 3,
    };

    [Fact]
    public void NaNLoss_SkipsTheStepReportsItAndLeavesTheWeightsUntouched()
    {
        var model = new MlpClassifier(6, 8, 3, seed: 52);
        var before = new List<double[][]>();
        // Forward call 2 (the third step) produces NaN logits.
        model.PoisonForward = call => call == 2;
        var log = new ReportLog();
        var snapshots = new ReportLog(r => { if (r is StepReport) before.Add(model.Snapshot()); });
        var result = new Trainer(model, ClassificationTask.MultiLabel, Options()).Fit(Train, progress: new FanOut(log, snapshots));

        var steps = log.Of<StepReport>().ToList();
        Assert.Equal(8, steps.Count);
        Assert.True(steps[2].Skipped);
        Assert.Contains("NaN", steps[2].SkipReason);
        Assert.All(steps.Where((_, i) => i != 2), s => Assert.False(s.Skipped));
        // The weights after the skipped step equal those after the step before it.
        ResumeTests.AssertBitIdentical(before[1], before[2]);
        Assert.Equal(1, result.State.SkippedSteps);
        Assert.Equal(7, result.State.AppliedSteps);
        Assert.Equal(1, result.History[0].SkippedSteps);
        Assert.True(double.IsFinite(result.History[0].TrainingLosses[LossComponents.Total]));
    }

    [Fact]
    public void RepeatedNaN_StopsWithTypedErrorAndKeepsTheLastGoodCheckpoint()
    {
        using var folder = new TempFolder();
        var model = new MlpClassifier(6, 8, 3, seed: 53);
        // Steps 0..5 are fine (the first epoch ends at step 4 and writes a checkpoint), then every step is NaN.
        model.PoisonForward = call => call >= 6;
        var options = Options(folder.Path) with { CheckpointEverySteps = 1, Epochs = 4 };
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, ClassificationTask.MultiLabel, options).Fit(Train));

        Assert.Contains("3 consecutive steps", error.Message);
        Assert.Equal(Path.Combine(folder.Path, CheckpointStore.LastFileName), error.LastGoodCheckpointPath);
        var onDisk = TrainingCheckpoint.Load(error.LastGoodCheckpointPath!);
        Assert.Equal(6, onDisk.State.GlobalStep);
        Assert.Equal(0, onDisk.State.SkippedSteps);
        // The checkpoint holds finite weights equal to the model's (no update was applied after step 6).
        var restored = new MlpClassifier(6, 8, 3, seed: 54);
        onDisk.LoadWeightsInto(restored);
        ResumeTests.AssertBitIdentical(model.Snapshot(), restored.Snapshot());
        Assert.All(restored.Snapshot().SelectMany(p => p), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NaNInAZeroWeightedComponent_DoesNotPoisonTheTotal()
    {
        var model = new MlpClassifier(6, 8, 3, seed: 55)
        {
            Auxiliary = logits => new Dictionary<string, TorchSharp.torch.Tensor> { [LossComponents.Normalization] = logits.sum() * float.NaN },
        };
        var options = Options() with { LossWeights = new LossWeights { Normalization = 0 } };
        var result = new Trainer(model, ClassificationTask.MultiLabel, options).Fit(Train);
        Assert.Equal(0, result.State.SkippedSteps);
    }

    [Fact]
    public void NaNFeaturesFromASource_FailWithAnErrorNamingTheExample()
    {
        var source = new NaNAt(Train, badIndex: 37);
        var error = Assert.Throws<InvalidDataException>(() =>
            new Trainer(new MlpClassifier(6, 8, 3, seed: 56), ClassificationTask.MultiLabel, Options()).Fit(source));
        Assert.Contains("example 37", error.Message);
    }

    /// <summary>A source (like an on-disk cache) that does not validate its values and returns NaN for one example.</summary>
    private sealed class NaNAt(QuantumKan.Training.Data.IFeatureSource inner, int badIndex) : QuantumKan.Training.Data.IFeatureSource
    {
        public int Count => inner.Count;
        public IReadOnlyList<int> FeatureShape => inner.FeatureShape;
        public int FeatureSize => inner.FeatureSize;
        public int LabelSize => inner.LabelSize;
        public void ReadLabels(int index, Span<float> destination) => inner.ReadLabels(index, destination);

        public void ReadFeatures(int index, Span<float> destination)
        {
            inner.ReadFeatures(index, destination);
            if (index == badIndex) destination[2] = float.NaN;
        }
    }

    private sealed class FanOut(params IProgress<TrainingReport>[] targets) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport value)
        {
            foreach (var t in targets) t.Report(value);
        }
    }
}
