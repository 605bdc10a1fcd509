namespace QuantumKan.Training.Checkpoints;

/// <summary>A checkpoint could not be used. <see cref="CheckpointSource"/> names the file (or stream) it came from.</summary>
public abstract class CheckpointException(string source, string message, Exception? inner = null)
    : IOException($"Checkpoint '{source}': {message}", inner)
{
    /// <summary>The checkpoint's file path, or a description of the stream it was read from.</summary>
    public string CheckpointSource { get; } = source;
}

/// <summary>The checkpoint is damaged: truncated, not a checkpoint, or a section fails its SHA-256 check.</summary>
public sealed class CheckpointCorruptException(string source, string message, Exception? inner = null)
    : CheckpointException(source, message, inner);

/// <summary>
/// The checkpoint is intact but does not fit this run: a newer format version, another task, a network whose
/// parameters differ, or options that would change the training trajectory.
/// </summary>
public sealed class CheckpointMismatchException(string source, string message, Exception? inner = null)
    : CheckpointException(source, message, inner);
