using QuantumKan.Core;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Loop;

/// <summary>The standalone quantum embedding trains through the same <see cref="Trainer"/> as the classifier.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public class QuantumEmbeddingTrainingTests(ITestOutputHelper output)
{
    // Separable: four Gaussian blobs, one class each.
    private static readonly InMemoryFeatureSource Train = SyntheticSets.Multiclass(160, classes: 4, features: 10, seed: 11, noise: 0.3);
    private static readonly InMemoryFeatureSource Validation = SyntheticSets.Multiclass(60, classes: 4, features: 10, seed: 12, noise: 0.3);

    private static QuantumEmbeddingModel NewModel(long seed = 5)
    {
        var embedding = TorchRuntime.Seeded(seed, () => new QuantumFieldEmbedding(10,
            new QuantumFieldEmbeddingOptions { Modes = 4, ReferenceStates = 0, Grid = new WavefunctionGrid { Points = 256 } }));
        return new QuantumEmbeddingModel(embedding);
    }

    private static TrainerOptions Options(string? workspace = null) => new()
    {
        Epochs = 12, BatchSize = 32, LearningRate = 5e-3, WeightDecay = 1e-4, Seed = 3, Workspace = workspace,
        LossWeights = QuantumEmbeddingModel.DefaultLossWeights,
    };

    [Fact]
    public void Fit_LowersTheLoss_AndRanksSameClassNeighboursFirst()
    {
        var model = NewModel();
        double before = NearestNeighbourAccuracy(model, Validation);
        var result = new Trainer(model, ClassificationTask.MultiLabel, Options()).Fit(Train);
        double after = NearestNeighbourAccuracy(model, Validation);

        var first = result.History[0];
        var last = result.History[^1];
        output.WriteLine($"total loss {first.TrainingLosses[LossComponents.Total]:G4} → {last.TrainingLosses[LossComponents.Total]:G4}; " +
                         $"held-out nearest-neighbour accuracy {before:F3} → {after:F3}; " +
                         $"F positive {first.TrainingMetrics![QuantumEmbeddingModel.PositiveFidelity]:F3} → {last.TrainingMetrics![QuantumEmbeddingModel.PositiveFidelity]:F3}, " +
                         $"negative {first.TrainingMetrics[QuantumEmbeddingModel.NegativeFidelity]:F3} → {last.TrainingMetrics[QuantumEmbeddingModel.NegativeFidelity]:F3}");
        // Its own components, and no classification term: the model has no class scores.
        Assert.Equal(new[] { LossComponents.L2, LossComponents.QuantumFidelity, LossComponents.Normalization, LossComponents.Total }.Order(),
            last.TrainingLosses.Keys.Order());
        Assert.True(last.TrainingLosses[LossComponents.Total] < 0.5 * first.TrainingLosses[LossComponents.Total]);
        Assert.True(last.TrainingMetrics[QuantumEmbeddingModel.PositiveFidelity] > first.TrainingMetrics[QuantumEmbeddingModel.PositiveFidelity]);
        Assert.True(last.TrainingMetrics[QuantumEmbeddingModel.NegativeFidelity] < first.TrainingMetrics[QuantumEmbeddingModel.NegativeFidelity]);
        Assert.True(after > before, $"nearest-neighbour accuracy {before} → {after}");
        Assert.True(after >= 0.95, $"nearest-neighbour accuracy {after}");
        // The schedule ran: warmup up, then cosine down to 0 at the last step.
        Assert.True(result.History[0].LearningRate > result.History[^1].LearningRate);
    }

    [Fact]
    public void Validation_ReportsTheLossAndTheModelsMetrics_AndEarlyStoppingStopsTheRun()
    {
        // An improvement must beat the best by 10: only the first validation counts, the next one stops the run.
        var options = Options() with { EarlyStoppingPatience = 1, EarlyStoppingMinDelta = 10 };
        var log = new ReportLog();
        var result = new Trainer(NewModel(), ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);
        Assert.True(result.StoppedEarly);
        Assert.Equal(2, result.History.Count);
        Assert.Single(log.Of<EarlyStopReport>());
        var metrics = result.History[^1].ValidationMetrics!;
        Assert.Equal([MetricNames.Loss, QuantumEmbeddingModel.NegativeFidelity, QuantumEmbeddingModel.PositiveFidelity], metrics.Keys.Order());
        Assert.Equal(result.History[^1].ValidationLosses![LossComponents.Total], metrics[MetricNames.Loss]);
    }

    [Fact]
    public void MonitorMetric_ThatOnlyClassScoresHave_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(NewModel(), ClassificationTask.MultiLabel, Options() with { MonitorMetric = MetricNames.MeanAveragePrecision }));
        Assert.Contains("without class scores", error.Message);
    }

    [Theory]
    [InlineData(3)]   // inside the first epoch (5 steps per epoch)
    [InlineData(12)]  // inside the third, after two epoch-end validations
    public void Resume_AfterCancellation_EndsBitIdenticalToAnUninterruptedRun(int cancelAfterStep)
    {
        var options = Options() with { Epochs = 4 };
        var uninterrupted = NewModel();
        var expected = new Trainer(uninterrupted, ClassificationTask.MultiLabel, options).Fit(Train, Validation);

        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var log = new ReportLog(r => { if (r is StepReport s && s.GlobalStep == cancelAfterStep) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(NewModel(), ClassificationTask.MultiLabel, options with { Workspace = folder.Path }).Fit(Train, Validation, log, cancel.Token));

        // A differently initialized embedding: everything must come from the checkpoint.
        var resumed = NewModel(seed: 99);
        var actual = new Trainer(resumed, ClassificationTask.MultiLabel, options with { Workspace = folder.Path }).FitOrResumeFromWorkspace(Train, Validation);

        Assert.Equal(Snapshot(uninterrupted), Snapshot(resumed));
        Assert.Equal(expected.History.Count, actual.History.Count);
        for (int e = 0; e < expected.History.Count; e++)
        {
            Assert.Equal(expected.History[e].TrainingLosses, actual.History[e].TrainingLosses);
            Assert.Equal(expected.History[e].TrainingMetrics, actual.History[e].TrainingMetrics);
            Assert.Equal(expected.History[e].ValidationMetrics, actual.History[e].ValidationMetrics);
        }
    }

    private static byte[] Snapshot(QuantumEmbeddingModel model) => TrainingCheckpoint.SerializeModule(model.Module);

    /// <summary>The share of rows whose most similar other row (by Born-rule fidelity) has the same class.</summary>
    private static double NearestNeighbourAccuracy(QuantumEmbeddingModel model, InMemoryFeatureSource source)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = new BatchReader(source, CPU).Read(Enumerable.Range(0, source.Count).ToArray());
        model.Module.eval();
        var fidelity = model.Embedding.PairwiseFidelity(model.Embedding.Encode(batch.Features));
        model.Module.train();
        var nearest = (fidelity - eye(source.Count).mul(2)).argmax(1).data<long>().ToArray();
        var classes = batch.Labels.argmax(1).data<long>().ToArray();
        return Enumerable.Range(0, source.Count).Count(i => classes[nearest[i]] == classes[i]) / (double)source.Count;
    }
}
