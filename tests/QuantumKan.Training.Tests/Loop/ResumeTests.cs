using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;

namespace QuantumKan.Training.Tests.Loop;

/// <summary>Same seed → same weights, and interrupted + resumed → the same weights as uninterrupted, bit for bit.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public class ResumeTests
{
    private static readonly InMemoryData Data = new();

    // Dropout draws from torch's global generator, so these runs also prove that its state is seeded and restored.
    private static MlpClassifier NewModel(long seed = 31) => new(12, 24, 5, seed, dropout: 0.2);

    private static TrainerOptions Options(string? workspace) => new()
    {
        Epochs = 3, BatchSize = 16, AccumulationSteps = 2, Seed = 77, Workspace = workspace, EarlyStoppingPatience = 2,
        ValidateEverySteps = 5, WarmupFraction = 0.2,
    };

    [Fact]
    public void Fit_WithTheSameSeedAndData_GivesBitIdenticalWeights()
    {
        var a = NewModel();
        var b = NewModel();
        new Trainer(a, ClassificationTask.MultiLabel, Options(null)).Fit(Data.Train, Data.Validation);
        new Trainer(b, ClassificationTask.MultiLabel, Options(null)).Fit(Data.Train, Data.Validation);
        AssertBitIdentical(a.Snapshot(), b.Snapshot());
        Assert.NotEqual(NewModel().Snapshot()[0], a.Snapshot()[0]);
    }

    [Fact]
    public void Fit_WithAnotherSeed_GivesDifferentWeights()
    {
        var a = NewModel();
        var b = NewModel();
        new Trainer(a, ClassificationTask.MultiLabel, Options(null)).Fit(Data.Train, Data.Validation);
        new Trainer(b, ClassificationTask.MultiLabel, Options(null) with { Seed = 78 }).Fit(Data.Train, Data.Validation);
        Assert.NotEqual(a.Snapshot()[0], b.Snapshot()[0]);
    }

    [Theory]
    // 200 examples in micro-batches of 16 → 13 micro-batches → 7 optimizer steps per epoch; step validation every 5.
    [InlineData(1)]   // right after the first step
    [InlineData(7)]   // at the first epoch boundary (after its validation and checkpoint)
    [InlineData(10)]  // exactly at a step validation
    [InlineData(13)]  // mid second epoch, between validations
    public void Resume_AfterCancellation_EndsBitIdenticalToAnUninterruptedRun(int cancelAfterStep)
    {
        using var uninterruptedFolder = new TempFolder();
        var uninterrupted = NewModel();
        var expected = new Trainer(uninterrupted, ClassificationTask.MultiLabel, Options(uninterruptedFolder.Path)).Fit(Data.Train, Data.Validation);

        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var log = new ReportLog(r => { if (r is StepReport s && s.GlobalStep == cancelAfterStep) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).Fit(Data.Train, Data.Validation, log, cancel.Token));
        Assert.Equal(cancelAfterStep, TrainingCheckpoint.Load(Path.Combine(folder.Path, CheckpointStore.LastFileName)).State.GlobalStep);

        // A differently initialized network: everything must come from the checkpoint.
        var resumed = NewModel(seed: 999);
        var actual = new Trainer(resumed, ClassificationTask.MultiLabel, Options(folder.Path)).FitOrResumeFromWorkspace(Data.Train, Data.Validation);

        AssertBitIdentical(uninterrupted.Snapshot(), resumed.Snapshot());
        Assert.Equal(expected.State.GlobalStep, actual.State.GlobalStep);
        Assert.Equal(expected.State.BestMetric, actual.State.BestMetric);
        Assert.Equal(expected.History.Count, actual.History.Count);
        for (int e = 0; e < expected.History.Count; e++)
            Assert.Equal(expected.History[e].TrainingLosses, actual.History[e].TrainingLosses);
        AssertBitIdentical(CheckpointWeights(expected.Checkpoint), CheckpointWeights(actual.Checkpoint));
    }

    [Fact]
    public void Resume_AfterAKillRightAfterAPeriodicCheckpoint_EndsBitIdentical()
    {
        var uninterrupted = NewModel();
        new Trainer(uninterrupted, ClassificationTask.MultiLabel, Options(null)).Fit(Data.Train, Data.Validation);

        using var folder = new TempFolder();
        var options = Options(folder.Path) with { CheckpointEverySteps = 3 };
        // The "kill": an exception thrown from inside the loop, right after the step-9 checkpoint was written.
        var log = new ReportLog(r => { if (r is CheckpointReport { Kind: "last", GlobalStep: 9 }) throw new SimulatedCrash(); });
        Assert.Throws<SimulatedCrash>(() => new Trainer(NewModel(), ClassificationTask.MultiLabel, options).Fit(Data.Train, Data.Validation, log));

        var resumed = NewModel(seed: 5);
        var checkpoint = TrainingCheckpoint.Load(Path.Combine(folder.Path, CheckpointStore.LastFileName));
        new Trainer(resumed, ClassificationTask.MultiLabel, options).Resume(checkpoint, Data.Train, Data.Validation);
        AssertBitIdentical(uninterrupted.Snapshot(), resumed.Snapshot());
    }

    [Fact]
    public void Resume_WithChangedTrajectoryOptions_IsRefusedNamingThem()
    {
        using var folder = new TempFolder();
        var first = new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path) with { Epochs = 1 }).Fit(Data.Train, Data.Validation);
        var error = Assert.Throws<CheckpointMismatchException>(() =>
            new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path) with { Epochs = 1, LearningRate = 0.1 })
                .Resume(first.Checkpoint, Data.Train, Data.Validation));
        Assert.Contains(nameof(TrainerOptions.LearningRate), error.Message);
        Assert.Throws<CheckpointMismatchException>(() =>
            new Trainer(NewModel(), ClassificationTask.Multiclass, Options(folder.Path) with { Epochs = 1 }).Resume(first.Checkpoint, Data.Train));
    }

    [Fact]
    public void Resume_WithOptionChangesAllowed_TrainsFurtherFromTheSavedStep()
    {
        var model = NewModel();
        var first = new Trainer(model, ClassificationTask.MultiLabel, Options(null) with { Epochs = 1, EarlyStoppingPatience = 0 }).Fit(Data.Train, Data.Validation);
        var more = new Trainer(model, ClassificationTask.MultiLabel, Options(null) with { Epochs = 3, EarlyStoppingPatience = 0 })
            .Resume(first.Checkpoint, Data.Train, Data.Validation, allowOptionChanges: true);
        Assert.Equal(3, more.History.Count);
        Assert.Equal(3 * first.State.GlobalStep, more.State.GlobalStep);
        Assert.Equal(first.History[0].TrainingLosses, more.History[0].TrainingLosses);
    }

    private static double[][] CheckpointWeights(TrainingCheckpoint checkpoint)
    {
        var model = NewModel(seed: 1234);
        checkpoint.LoadWeightsInto(model);
        return model.Snapshot();
    }

    internal static void AssertBitIdentical(double[][] expected, double[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int p = 0; p < expected.Length; p++)
            Assert.True(expected[p].SequenceEqual(actual[p]), $"parameter {p} differs");
    }

    private sealed class SimulatedCrash : Exception;

    private sealed class InMemoryData
    {
        public QuantumKan.Training.Data.InMemoryFeatureSource Train { get; } = SyntheticSets.MultiLabel(200, classes: 5, features: 12, seed: 41);
        public QuantumKan.Training.Data.InMemoryFeatureSource Validation { get; } = SyntheticSets.MultiLabel(60, classes: 5, features: 12, seed: 42);
    }
}
