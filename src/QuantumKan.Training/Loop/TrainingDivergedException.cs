using QuantumKan.Training.Checkpoints;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Training stopped because too many consecutive steps had a NaN or infinite loss or gradient. No checkpoint was
/// written after the first bad step, so <see cref="LastGoodCheckpoint"/> (and <see cref="LastGoodCheckpointPath"/>)
/// still hold the state before the divergence.
/// </summary>
public sealed class TrainingDivergedException(string message, TrainingCheckpoint? lastGoodCheckpoint, string? lastGoodCheckpointPath)
    : InvalidOperationException(message)
{
    /// <summary>The latest checkpoint written before the failure, or null when none had been written.</summary>
    public TrainingCheckpoint? LastGoodCheckpoint { get; } = lastGoodCheckpoint;

    /// <summary>Its file, or null when checkpoints are kept in memory only or none was written.</summary>
    public string? LastGoodCheckpointPath { get; } = lastGoodCheckpointPath;
}
