using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;

namespace QuantumKan.Training.Tests.Loop;

public class EarlyStoppingAndReportingTests
{
    private static readonly QuantumKan.Training.Data.InMemoryFeatureSource Train = SyntheticSets.MultiLabel(96, classes: 4, features: 8, seed: 81);
    private static readonly QuantumKan.Training.Data.InMemoryFeatureSource Validation = SyntheticSets.MultiLabel(40, classes: 4, features: 8, seed: 82);

    [Fact]
    public void Fit_StopsAfterPatienceValidationsWithoutImprovement()
    {
        // Learning rate ~0: the validation metric never moves, so the first validation is the best and the run
        // stops after 1 + patience epochs instead of 20.
        var options = new TrainerOptions { Epochs = 20, EarlyStoppingPatience = 3, LearningRate = 1e-12, WeightDecay = 0 };
        var log = new ReportLog();
        var result = new Trainer(new MlpClassifier(8, 8, 4, seed: 83), ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);

        Assert.True(result.StoppedEarly);
        Assert.Equal(4, result.History.Count);
        Assert.Single(log.Of<EarlyStopReport>());
        Assert.Equal([true, false, false, false], log.Of<ValidationReport>().Select(v => v.Improved));
        Assert.Equal(result.History[0].GlobalStep, result.State.BestGlobalStep);
    }

    [Fact]
    public void Fit_RestoresTheBestWeightsAtTheEnd()
    {
        // Monitor the validation loss with a learning rate so high that training overshoots: the final weights are the best, not the last.
        var options = new TrainerOptions { Epochs = 6, LearningRate = 0.5, WarmupFraction = 0, MaxGradientNorm = 0, MonitorMetric = MetricNames.Loss, EarlyStoppingPatience = 0 };
        var model = new MlpClassifier(8, 8, 4, seed: 84);
        double[][]? bestSnapshot = null;
        var log = new ReportLog(r => { if (r is ValidationReport { Improved: true }) bestSnapshot = model.Snapshot(); });
        var result = new Trainer(model, ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);

        Assert.True(result.RestoredBestWeights);
        ResumeTests.AssertBitIdentical(bestSnapshot!, model.Snapshot());
        var bestLoss = log.Of<ValidationReport>().Min(v => v.Metrics[MetricNames.Loss]);
        Assert.Equal(bestLoss, result.State.BestMetric);
    }

    [Fact]
    public void Fit_ReportsEveryLossComponentPerStepAndPerEpoch()
    {
        var model = new MlpClassifier(8, 8, 4, seed: 85)
        {
            Auxiliary = logits => new Dictionary<string, torch.Tensor>
            {
                [LossComponents.AudioReconstruction] = logits.square().mean(),
                [LossComponents.QuantumFidelity] = logits.abs().mean(),
                [LossComponents.Normalization] = logits.mean().square(),
            },
        };
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, LossWeights = new LossWeights { L2 = 1e-4 } };
        var log = new ReportLog();
        var result = new Trainer(model, ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);

        string[] components = [LossComponents.Classification, LossComponents.AudioReconstruction, LossComponents.QuantumFidelity,
            LossComponents.L2, LossComponents.Normalization, LossComponents.Total];
        var steps = log.Of<StepReport>().ToList();
        Assert.Equal(6, steps.Count); // 96 / 32 × 2 epochs
        Assert.All(steps, s => Assert.Equal(components.Order(), s.Losses.Keys.Order()));
        Assert.All(steps, s => Assert.True(s.GradientNorm > 0 && s.LearningRate > 0));
        Assert.All(result.History, e => Assert.Equal(components.Order(), e.TrainingLosses.Keys.Order()));
        Assert.All(result.History, e => Assert.Equal(components.Order(), e.ValidationLosses!.Keys.Order()));
        // The epoch mean is the example-weighted mean of its steps.
        Assert.Equal(steps.Take(3).Average(s => s.Losses[LossComponents.QuantumFidelity]), result.History[0].TrainingLosses[LossComponents.QuantumFidelity], 10);
        Assert.Equal(2, log.Of<EpochReport>().Count());
    }

    [Fact]
    public void Fit_ValidatesEveryNStepsAndAtEpochEnds_WithoutDuplicates()
    {
        // 96 / 16 = 6 steps per epoch; every 4 steps → steps 4, 8, 12 plus epoch ends 6 and 12 (12 only once).
        var options = new TrainerOptions { Epochs = 2, BatchSize = 16, ValidateEverySteps = 4 };
        var log = new ReportLog();
        new Trainer(new MlpClassifier(8, 8, 4, seed: 86), ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);
        Assert.Equal([4L, 6, 8, 12], log.Of<ValidationReport>().Select(v => v.GlobalStep));
    }

    [Fact]
    public void Fit_KeepsNativeTensorCountFlatAcrossEpochs()
    {
        var liveAtEpochEnd = new List<long>();
        var log = new ReportLog(r => { if (r is EpochReport) liveAtEpochEnd.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); });
        var options = new TrainerOptions { Epochs = 5, BatchSize = 8, ValidateEverySteps = 3 };
        new Trainer(new MlpClassifier(8, 8, 4, seed: 87), ClassificationTask.MultiLabel, options).Fit(Train, Validation, log);
        // Epoch 0 may create lasting optimizer state; after that nothing may accumulate.
        Assert.All(liveAtEpochEnd.Skip(1), n => Assert.Equal(liveAtEpochEnd[1], n));
    }
}
