namespace QuantumKan.Data.Cache;

/// <summary>A clip could not be featurized into the cache; <see cref="AudioPath"/> names it. Entries done so far are kept.</summary>
public sealed class FeaturizationException(string audioPath, string reason, Exception? inner = null)
    : Exception($"Featurizing '{audioPath}' failed: {reason}", inner)
{
    /// <summary>The clip's file.</summary>
    public string AudioPath { get; } = audioPath;
}

/// <summary>The cache folder is being updated by another process (or another cache object in this one).</summary>
public sealed class FeatureCacheBusyException(string directory, Exception inner)
    : IOException($"The feature cache at '{directory}' is being updated by someone else; wait for it or use another folder.", inner)
{
    /// <summary>The cache folder.</summary>
    public string Directory { get; } = directory;
}
