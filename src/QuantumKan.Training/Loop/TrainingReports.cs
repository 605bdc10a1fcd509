using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Loop;

/// <summary>
/// A progress event of a run, delivered synchronously on the training thread through
/// <see cref="IProgress{T}"/>. Match on the derived types.
/// </summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Optimizer steps done so far (after this event's step).</param>
public abstract record TrainingReport(int Epoch, long GlobalStep);

/// <summary>One optimizer step (one accumulation group).</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Optimizer steps done so far.</param>
/// <param name="Losses">Unweighted mean loss per component over the step's examples, plus <c>total</c> (weighted sum).</param>
/// <param name="LearningRate">The learning rate this step used.</param>
/// <param name="GradientNorm">The global L2 norm of the gradient before clipping; NaN when the step was skipped early.</param>
/// <param name="Examples">Examples in this step.</param>
/// <param name="Skipped">True when no update was applied because a value was NaN or infinite.</param>
/// <param name="SkipReason">Why the step was skipped; null when applied.</param>
public sealed record StepReport(
    int Epoch,
    long GlobalStep,
    IReadOnlyDictionary<string, double> Losses,
    double LearningRate,
    double GradientNorm,
    int Examples,
    bool Skipped,
    string? SkipReason) : TrainingReport(Epoch, GlobalStep);

/// <summary>A validation over the whole validation set.</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Optimizer steps done so far.</param>
/// <param name="Losses">Mean unweighted validation loss per component, plus <c>total</c>.</param>
/// <param name="Metrics">Scalar metrics by <see cref="MetricNames"/> name.</param>
/// <param name="MultiLabel">Per-class details for multi-label tasks; null otherwise.</param>
/// <param name="Multiclass">Per-class details for multiclass tasks; null otherwise.</param>
/// <param name="Improved">Whether the monitored metric improved on the best so far.</param>
public sealed record ValidationReport(
    int Epoch,
    long GlobalStep,
    IReadOnlyDictionary<string, double> Losses,
    IReadOnlyDictionary<string, double> Metrics,
    MultiLabelMetrics? MultiLabel,
    MulticlassMetrics? Multiclass,
    bool Improved) : TrainingReport(Epoch, GlobalStep);

/// <summary>The end of an epoch, with its summary.</summary>
public sealed record EpochReport(int Epoch, long GlobalStep, EpochSummary Summary) : TrainingReport(Epoch, GlobalStep);

/// <summary>A checkpoint was written.</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Optimizer steps done so far.</param>
/// <param name="Kind">"last" or "best".</param>
/// <param name="Path">The file written; null when checkpoints are kept in memory only.</param>
public sealed record CheckpointReport(int Epoch, long GlobalStep, string Kind, string? Path) : TrainingReport(Epoch, GlobalStep);

/// <summary>The run stopped early (patience exhausted).</summary>
public sealed record EarlyStopReport(int Epoch, long GlobalStep, string Reason) : TrainingReport(Epoch, GlobalStep);

/// <summary>Reported once when a run starts, before its first step: where it starts and whether it continues a checkpoint.</summary>
/// <param name="Epoch">Epochs already completed (the run continues with epoch <c>Epoch + 1</c>, 1-based).</param>
/// <param name="GlobalStep">Optimizer steps already done.</param>
/// <param name="StepInEpoch">Optimizer steps already done in the epoch the run continues with.</param>
/// <param name="ResumedFrom">The checkpoint continued (its file path, or a description of its stream); null for a fresh run.</param>
/// <param name="Workspace">The workspace folder (full path); null without one.</param>
/// <param name="RemovedTemporaries">Temporaries a crashed checkpoint write had left in the workspace, deleted at the start.</param>
public sealed record RunStartReport(int Epoch, long GlobalStep, int StepInEpoch, string? ResumedFrom, string? Workspace,
    IReadOnlyList<string> RemovedTemporaries) : TrainingReport(Epoch, GlobalStep);
