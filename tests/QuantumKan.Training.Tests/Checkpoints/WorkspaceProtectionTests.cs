using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;

namespace QuantumKan.Training.Tests.Checkpoints;

/// <summary>A workspace is held by one run, never silently replaced, cleaned of crashed writes, and says where a resume starts.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public class WorkspaceProtectionTests
{
    private static readonly QuantumKan.Training.Data.InMemoryFeatureSource Train = SyntheticSets.MultiLabel(64, classes: 3, features: 6, seed: 5);

    private static TrainerOptions Options(string workspace, int epochs = 2) =>
        new() { Epochs = epochs, BatchSize = 16, Seed = 3, Workspace = workspace };

    private static MlpClassifier NewModel() => new(6, 8, 3, 7);

    [Fact]
    public void SecondOpen_IsRefused_NamingTheHolder_UntilTheFirstIsDisposed()
    {
        using var folder = new TempFolder();
        var first = TrainingWorkspace.Open(folder.Path, WorkspaceStart.Fresh);

        var error = Assert.Throws<WorkspaceLockedException>(() => TrainingWorkspace.Open(folder.Path, WorkspaceStart.Resume));
        Assert.Contains(folder.Path, error.Message);
        Assert.Equal(Environment.ProcessId, error.Holder?.ProcessId);
        Assert.Contains($"process {Environment.ProcessId} on host {Environment.MachineName}", error.Message);
        Assert.Contains($"pid={Environment.ProcessId} host=", File.ReadAllText(Path.Combine(folder.Path, TrainingWorkspace.HolderFileName)));

        first.Dispose();
        TrainingWorkspace.Open(folder.Path, WorkspaceStart.Resume).Dispose();
    }

    [Fact]
    public void TrainerFit_OnALockedWorkspace_IsRefused()
    {
        using var folder = new TempFolder();
        using var held = TrainingWorkspace.Open(folder.Path, WorkspaceStart.Fresh);

        Assert.Throws<WorkspaceLockedException>(() => new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).Fit(Train));
        Assert.Throws<WorkspaceLockedException>(() => new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).FitOrResumeFromWorkspace(Train));
        Assert.False(File.Exists(Path.Combine(folder.Path, CheckpointStore.LastFileName)));
    }

    [Fact]
    public void FreshFit_OnAWorkspaceWithCheckpoints_IsRefused_UnlessOverwriteOrResume()
    {
        using var folder = new TempFolder();
        new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).Fit(Train);
        var last = Path.Combine(folder.Path, CheckpointStore.LastFileName);
        var before = File.ReadAllBytes(last);

        var error = Assert.Throws<WorkspaceNotEmptyException>(() => new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path, epochs: 1)).Fit(Train));
        Assert.Equal(folder.Path, error.Workspace);
        Assert.Equal(before, File.ReadAllBytes(last)); // untouched

        var resumed = new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).FitOrResumeFromWorkspace(Train);
        Assert.Equal(2, resumed.History.Count);

        var replaced = new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path, epochs: 1) with { OverwriteWorkspace = true }).Fit(Train);
        Assert.Single(replaced.History);
        Assert.Equal(replaced.State.GlobalStep, TrainingCheckpoint.Load(last).State.GlobalStep);
    }

    [Fact]
    public void OverwriteWorkspace_IsNotPartOfTheTrajectory()
    {
        using var folder = new TempFolder();
        var first = new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path) with { OverwriteWorkspace = true }).Fit(Train);
        // Resuming without the flag is not an option change.
        new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path)).Resume(first.Checkpoint, Train);
    }

    [Fact]
    public void StaleTemporaries_AreDeletedAtStart_OtherFilesAreKept()
    {
        using var folder = new TempFolder();
        var stale = Path.Combine(folder.Path, $".last.qkc.12345.{Guid.NewGuid():N}.tmp");
        var staleBest = Path.Combine(folder.Path, $".best.qkc.1.{Guid.NewGuid():N}.tmp");
        var mine = Path.Combine(folder.Path, "notes.tmp");
        File.WriteAllText(stale, "half a checkpoint");
        File.WriteAllText(staleBest, "half a checkpoint");
        File.WriteAllText(mine, "not ours");
        var log = new ReportLog();

        new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path, epochs: 1)).Fit(Train, progress: log);

        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(staleBest));
        Assert.True(File.Exists(mine));
        var start = Assert.Single(log.Of<RunStartReport>());
        Assert.Equal(new[] { staleBest, stale }.Order(), start.RemovedTemporaries.Order());
        Assert.Null(start.ResumedFrom);
    }

    [Fact]
    public void ResumedRun_ReportsTheEpochAndStepItContinuesFrom()
    {
        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        // 64 examples in batches of 16: 4 steps per epoch; stop after step 6 = epoch 2, step 2.
        var stopAt6 = new ReportLog(r => { if (r is StepReport { GlobalStep: 6 }) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path, epochs: 3)).Fit(Train, progress: stopAt6, cancellationToken: cancel.Token));
        var log = new ReportLog();

        new Trainer(NewModel(), ClassificationTask.MultiLabel, Options(folder.Path, epochs: 3)).FitOrResumeFromWorkspace(Train, progress: log);

        var start = Assert.IsType<RunStartReport>(log.Reports[0]);
        Assert.Equal(Path.Combine(folder.Path, CheckpointStore.LastFileName), start.ResumedFrom);
        Assert.Equal(1, start.Epoch);
        Assert.Equal(2, start.StepInEpoch);
        Assert.Equal(6, start.GlobalStep);
    }
}
