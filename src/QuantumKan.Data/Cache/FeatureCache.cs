namespace QuantumKan.Data.Cache;

/// <summary>
/// An on-disk cache of per-clip features: featurize each clip once (in parallel, with progress), keep the patches in a
/// memory-mapped float32 file, and stream them from there on every epoch instead of decoding audio again. RAM stays
/// bounded by the featurizer workers; reads come from the OS page cache, never from a managed copy of the whole set.
/// <para>
/// The cache folder holds <c>index.json</c> (featurizer fingerprint, patch shape, and for each clip its source file's
/// size and last write time and its place in the data file) and <c>features-&lt;id&gt;.f32</c>. An entry whose source
/// changed, or that was made under another fingerprint, is recomputed, never reused. A damaged or foreign cache is
/// rebuilt. Several clip lists (train, val, eval) may share one folder. Entries are keyed by absolute path, so moving
/// the audio recomputes its features. One build at a time per folder (an OS file lock); open views stay valid while
/// a later build appends.
/// </para>
/// </summary>
public static class FeatureCache
{
    private const string LockFileName = "cache.lock";

    /// <summary>Brings the cache up to date for <paramref name="audioPaths"/> and opens a view of their features in that order.</summary>
    /// <param name="directory">The cache folder; created when missing.</param>
    /// <param name="audioPaths">The clips, in the order the view numbers them.</param>
    /// <param name="featurizer">Turns a file into patches; its fingerprint keys the cache.</param>
    /// <param name="options">Parallelism, checksum verification, save interval; null uses the defaults.</param>
    /// <param name="progress">Receives a report after each featurized clip (and one at the start).</param>
    /// <param name="cancellationToken">Stops the build; work done so far is kept for the next call.</param>
    /// <returns>A view to read patches from; dispose it to unmap the file.</returns>
    /// <exception cref="FileNotFoundException">A listed clip does not exist.</exception>
    /// <exception cref="FeaturizationException">A clip failed to featurize or gave malformed features (names the file).</exception>
    /// <exception cref="FeatureCacheBusyException">Another build holds the folder.</exception>
    public static FeatureCacheView Open(string directory, IReadOnlyList<string> audioPaths, IClipFeaturizer featurizer,
        FeatureCacheOptions? options = null, IProgress<FeatureCacheProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(audioPaths);
        ArgumentNullException.ThrowIfNull(featurizer);
        if (featurizer.PatchShape.Count == 0 || featurizer.PatchShape.Any(d => d < 1))
            throw new ArgumentException($"The featurizer's patch shape [{string.Join(", ", featurizer.PatchShape)}] must have positive dimensions.", nameof(featurizer));
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var paths = audioPaths.Select(Path.GetFullPath).ToArray();

        FeatureCacheIndex index;
        FeatureCacheBuildReport report;
        using (AcquireLock(directory))
            (index, report) = new FeatureCacheBuild(directory, featurizer, options ?? new FeatureCacheOptions()).Run(paths, progress, cancellationToken);
        return new FeatureCacheView(FeatureDataFile.PathIn(directory, index.DataId), index, paths, report);
    }

    private static FileStream AcquireLock(string directory)
    {
        // An OS-level exclusive lock (flock on Unix), released even if the process dies. The file itself stays: deleting
        // it on close would let two later builders lock two different inodes.
        string path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new FeatureCacheBusyException(directory, ex);
        }
    }
}
