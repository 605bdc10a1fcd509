using QuantumKan.Training.Checkpoints;

namespace QuantumKan.Training.Loop;

/// <summary>The outcome of <see cref="Trainer.Fit"/> or <see cref="Trainer.Resume"/>.</summary>
/// <param name="State">The final counters, best metric and per-epoch history.</param>
/// <param name="Checkpoint">The final "last" checkpoint: continue training from it with <see cref="Trainer.Resume"/>. It also carries the best weights.</param>
/// <param name="LastValidation">The latest validation, or null when there was no validation set.</param>
/// <param name="RestoredBestWeights">Whether the model now holds the best validation's weights rather than the last step's.</param>
public sealed record TrainingResult(
    TrainingState State, TrainingCheckpoint Checkpoint, ValidationReport? LastValidation, bool RestoredBestWeights)
{
    /// <summary>One summary per completed epoch.</summary>
    public IReadOnlyList<EpochSummary> History => State.History;

    /// <summary>Whether early stopping ended the run before its last epoch.</summary>
    public bool StoppedEarly => State.StoppedEarlyReason is not null;
}
