namespace QuantumKan.Training.Checkpoints;

/// <summary>
/// Keeps a run's "last" and "best" checkpoints: in memory always, and also as <c>last.qkc</c> / <c>best.qkc</c> in a
/// workspace folder when one is given. Files are replaced atomically, so the previous checkpoint survives a failed write.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>The file name of the latest checkpoint in a workspace.</summary>
    public const string LastFileName = "last.qkc";

    /// <summary>The file name of the best-validation checkpoint in a workspace.</summary>
    public const string BestFileName = "best.qkc";

    /// <summary>Creates a store; <paramref name="workspace"/> null keeps checkpoints in memory only.</summary>
    public CheckpointStore(string? workspace)
    {
        Workspace = string.IsNullOrWhiteSpace(workspace) ? null : Path.GetFullPath(workspace);
        if (Workspace is not null)
            Directory.CreateDirectory(Workspace);
    }

    /// <summary>The workspace folder, or null.</summary>
    public string? Workspace { get; }

    /// <summary>The path of the last checkpoint file, or null without a workspace.</summary>
    public string? LastPath => Workspace is null ? null : Path.Combine(Workspace, LastFileName);

    /// <summary>The path of the best checkpoint file, or null without a workspace.</summary>
    public string? BestPath => Workspace is null ? null : Path.Combine(Workspace, BestFileName);

    /// <summary>The latest checkpoint written, or null.</summary>
    public TrainingCheckpoint? Last { get; private set; }

    /// <summary>The checkpoint of the best validation, or null.</summary>
    public TrainingCheckpoint? Best { get; private set; }

    /// <summary>Test hook: wraps the file stream a checkpoint is written to (e.g. to inject a failure mid-write).</summary>
    internal Func<Stream, Stream>? WrapWriteStream { get; set; }

    /// <summary>Records <paramref name="checkpoint"/> as the latest and writes it to the workspace.</summary>
    public void SaveLast(TrainingCheckpoint checkpoint)
    {
        Write(checkpoint, LastPath);
        Last = checkpoint;
    }

    /// <summary>Records <paramref name="checkpoint"/> as the best and writes it to the workspace.</summary>
    public void SaveBest(TrainingCheckpoint checkpoint)
    {
        Write(checkpoint, BestPath);
        Best = checkpoint;
    }

    /// <summary>Reads the workspace's last checkpoint; null when there is none.</summary>
    /// <exception cref="CheckpointException">The file exists but is damaged or from a newer version.</exception>
    public TrainingCheckpoint? TryLoadLast() =>
        LastPath is not null && File.Exists(LastPath) ? TrainingCheckpoint.Load(LastPath) : null;

    private void Write(TrainingCheckpoint checkpoint, string? path)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (path is null)
            return;
        var wrap = WrapWriteStream;
        Core.AtomicFile.Write(path, s => checkpoint.WriteTo(wrap is null ? s : wrap(s)));
    }
}
