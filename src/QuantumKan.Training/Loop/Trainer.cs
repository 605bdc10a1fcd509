using QuantumKan.Core;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using TorchSharp;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Trains an <see cref="ITrainableModel"/> with the multi-task loss and AdamW under a warmup + cosine schedule, with
/// gradient accumulation and clipping, a seeded shuffle per epoch, whole-set validation, early stopping, a NaN/∞ guard
/// and atomic checkpoints from which <see cref="Resume"/> continues bit-identically.
/// </summary>
/// <remarks>
/// The trainer seeds torch's global generator from <see cref="TrainerOptions.Seed"/> at the start of a fresh run (and
/// restores it on resume), because TorchSharp's dropout draws from it. Progress reports are delivered synchronously on
/// the training thread. Cancellation is checked between optimizer steps; a cancelled run first writes a checkpoint,
/// then throws <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class Trainer
{
    private readonly ITrainableModel _model;
    private readonly ClassificationTask _task;
    private readonly TrainerOptions _options;
    private readonly string _monitor;

    /// <summary>Creates a trainer for <paramref name="model"/>.</summary>
    /// <param name="model">The network to train (it is moved to the configured device).</param>
    /// <param name="task">
    /// Multi-label or multiclass: picks the classification loss and the metrics. For a model without class scores it
    /// only says what the labels are (multi-hot label sets: <see cref="ClassificationTask.MultiLabel"/>).
    /// </param>
    /// <param name="options">The run's options; validated here.</param>
    public Trainer(ITrainableModel model, ClassificationTask task, TrainerOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        if (_options.MonitorMetric is { } metric && !MetricNames.AppliesTo(metric, task, model.HasClassScores))
            throw new ArgumentOutOfRangeException(nameof(options), metric, model.HasClassScores
                ? $"TrainerOptions.MonitorMetric '{metric}' is not reported for {task} tasks."
                : $"TrainerOptions.MonitorMetric '{metric}' is not reported for a model without class scores; monitor '{MetricNames.Loss}'.");
        _task = task;
        _monitor = _options.MonitorMetric ?? MetricNames.DefaultFor(task, model.HasClassScores);
    }

    /// <summary>The run's options.</summary>
    public TrainerOptions Options => _options;

    /// <summary>Trains from the model's current weights.</summary>
    /// <param name="train">The training examples.</param>
    /// <param name="validation">The validation examples (all of them are scored at each validation); null for none.</param>
    /// <param name="progress">Receives step, validation, epoch and checkpoint reports; null for none.</param>
    /// <param name="cancellationToken">Checked between steps; on cancellation a checkpoint is written first.</param>
    public TrainingResult Fit(IFeatureSource train, IFeatureSource? validation = null,
        IProgress<TrainingReport>? progress = null, CancellationToken cancellationToken = default) =>
        InWorkspace(_options.OverwriteWorkspace ? WorkspaceStart.Overwrite : WorkspaceStart.Fresh, progress,
            removed => Run(train, validation, progress, cancellationToken, null, false, removed));

    /// <summary>Continues a run from <paramref name="checkpoint"/>, exactly where it stopped.</summary>
    /// <param name="checkpoint">A checkpoint of a run of the same model and task.</param>
    /// <param name="train">The same training examples as the checkpointed run.</param>
    /// <param name="validation">The validation examples; null for none.</param>
    /// <param name="progress">Receives reports; null for none.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <param name="allowOptionChanges">
    /// False (default): options that shape the trajectory and the training-set size must match the checkpoint
    /// (<see cref="CheckpointMismatchException"/> otherwise), so the result is bit-identical to an uninterrupted run.
    /// True: continue with the new options and data (e.g. more epochs), recomputing the schedule from the saved global step.
    /// </param>
    public TrainingResult Resume(TrainingCheckpoint checkpoint, IFeatureSource train, IFeatureSource? validation = null,
        IProgress<TrainingReport>? progress = null, CancellationToken cancellationToken = default, bool allowOptionChanges = false)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return InWorkspace(WorkspaceStart.Resume, progress,
            removed => Run(train, validation, progress, cancellationToken, checkpoint, allowOptionChanges, removed));
    }

    /// <summary>Resumes from <c>last.qkc</c> in <see cref="TrainerOptions.Workspace"/>, or starts fresh when there is none.</summary>
    public TrainingResult FitOrResumeFromWorkspace(IFeatureSource train, IFeatureSource? validation = null,
        IProgress<TrainingReport>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_options.Workspace is null)
            throw new InvalidOperationException("TrainerOptions.Workspace must be set to resume from a workspace.");
        return InWorkspace(WorkspaceStart.Resume, progress, removed =>
        {
            var last = new CheckpointStore(_options.Workspace).TryLoadLast();
            return Run(train, validation, progress, cancellationToken, last, false, removed);
        });
    }

    // Holds the workspace's lock for the whole run (reading the checkpoint to resume included), after refusing to
    // replace an earlier run's checkpoints unasked and deleting the temporaries a crashed write left there.
    private TrainingResult InWorkspace(WorkspaceStart mode, IProgress<TrainingReport>? progress, Func<IReadOnlyList<string>, TrainingResult> run)
    {
        if (_options.Workspace is null)
            return run([]);
        using var workspace = TrainingWorkspace.Open(_options.Workspace, mode);
        return run(workspace.RemovedTemporaries);
    }

    private TrainingResult Run(IFeatureSource train, IFeatureSource? validation, IProgress<TrainingReport>? progress,
        CancellationToken cancellationToken, TrainingCheckpoint? resumeFrom, bool allowOptionChanges, IReadOnlyList<string> removedTemporaries)
    {
        CheckSources(train, validation);
        TorchRuntime.EnsureInitialized();
        var device = TorchRuntime.ResolveDevice(_options.Device, _options.AllowCpuFallback);
        _model.Module.to(device);
        _model.Module.train();
        using var optimizer = AdamWFactory.Create(_model.Module, _options.LearningRate, _options.WeightDecay, _options.Beta1, _options.Beta2, _options.Epsilon);
        var state = Prepare(resumeFrom, optimizer, train.Count, allowOptionChanges);
        progress?.Report(new RunStartReport(state.Epoch, state.GlobalStep, state.StepInEpoch, resumeFrom?.Source,
            _options.Workspace is null ? null : Path.GetFullPath(_options.Workspace), removedTemporaries));
        var setup = new RunSetup(_model, _task, _options, _monitor, device, optimizer, train, validation, progress, resumeFrom is null);
        return new TrainingRun(setup, state, resumeFrom?.HasBestWeights == true ? resumeFrom.BestModelState.ToArray() : null)
            .Execute(cancellationToken);
    }

    private TrainingState Prepare(TrainingCheckpoint? resumeFrom, TorchSharp.Modules.OptimizerHelper optimizer, int trainCount, bool allowOptionChanges)
    {
        if (resumeFrom is null)
        {
            TorchRuntime.WithGenerator(() => torch.random.manual_seed(_options.Seed));
            return new TrainingState { TrainingSetSize = trainCount };
        }
        ResumeCompatibility.Check(resumeFrom, _task, _options, trainCount, allowOptionChanges);
        resumeFrom.LoadWeightsInto(_model.Module);
        resumeFrom.RestoreOptimizer(optimizer);
        resumeFrom.RestoreTorchRng();
        var state = resumeFrom.State;
        if (allowOptionChanges)
            ContinueWithNewOptions(state, optimizer, trainCount);
        return state;
    }

    private void ContinueWithNewOptions(TrainingState state, TorchSharp.Modules.OptimizerHelper optimizer, int trainCount)
    {
        foreach (var group in optimizer.ParamGroups)
            group.InitialLearningRate = _options.LearningRate;
        state.StoppedEarlyReason = null;
        state.ValidationsWithoutImprovement = 0;
        if (state.TrainingSetSize != trainCount && state.StepInEpoch > 0)
        {
            // The saved position inside the epoch means nothing for other data: continue at the next epoch boundary.
            state.Epoch++;
            state.StepInEpoch = 0;
            state.EpochLossSums.Clear();
            state.EpochMetricSums.Clear();
            state.EpochExamples = 0;
            state.EpochSkippedSteps = 0;
        }
        state.TrainingSetSize = trainCount;
    }

    private static void CheckSources(IFeatureSource train, IFeatureSource? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("The training set is empty.", nameof(train));
        if (validation is null)
            return;
        if (validation.LabelSize != train.LabelSize)
            throw new ArgumentException($"The validation set has {validation.LabelSize} classes but the training set has {train.LabelSize}.", nameof(validation));
        if (!validation.FeatureShape.SequenceEqual(train.FeatureShape))
            throw new ArgumentException(
                $"The validation features have shape [{string.Join(", ", validation.FeatureShape)}] but the training features have [{string.Join(", ", train.FeatureShape)}].", nameof(validation));
    }
}

/// <summary>The fixed inputs of one run.</summary>
internal sealed record RunSetup(
    ITrainableModel Model, ClassificationTask Task, TrainerOptions Options, string Monitor, torch.Device Device, TorchSharp.Modules.OptimizerHelper Optimizer,
    IFeatureSource Train, IFeatureSource? Validation, IProgress<TrainingReport>? Progress, bool IsFreshStart);
