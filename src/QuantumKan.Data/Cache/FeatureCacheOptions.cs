namespace QuantumKan.Data.Cache;

/// <summary>Options of <see cref="FeatureCache.Open"/>.</summary>
public sealed record FeatureCacheOptions
{
    /// <summary>Clips featurized at once; 0 or less means the processor count. Default 0.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// Whether reused entries are re-read and checked against their stored SHA-256 before use (a damaged entry is then
    /// recomputed). Costs one read of the reused features. Default false: structural damage (a truncated or foreign
    /// data file, an unreadable index) is always detected; bit flips inside entries only with this on.
    /// </summary>
    public bool VerifyChecksums { get; init; }

    /// <summary>
    /// Whether features are stored as IEEE half-precision floats (float16) instead of float32: half the disk and page
    /// cache, values rounded to 11 significant bits (a relative error ≤ 2⁻¹¹ ≈ 4.9e-4; log-mel values of magnitude
    /// ≤ 30 within 0.016). Reads convert back to float32. Changing it rebuilds the cache. Default false.
    /// </summary>
    public bool Float16Storage { get; init; }

    /// <summary>How often, during a long build, the index is saved so an interrupted build keeps its work. Default 30 s.</summary>
    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Progress of a cache build.</summary>
/// <param name="Computed">Clips featurized so far in this build.</param>
/// <param name="ToCompute">Clips this build must featurize (missing or stale entries).</param>
/// <param name="Reused">Clips whose cached features were valid and reused.</param>
/// <param name="LastPath">The clip just finished, or null for the first report.</param>
public readonly record struct FeatureCacheProgress(int Computed, int ToCompute, int Reused, string? LastPath);

/// <summary>What a cache build did.</summary>
/// <param name="Reused">Clips whose cached features were reused.</param>
/// <param name="Computed">Clips featurized in this build.</param>
/// <param name="DiscardedReason">Why the whole cache was discarded (options changed, damaged files), or null when it was not.</param>
/// <param name="Compacted">Whether dead space left by recomputed entries was reclaimed.</param>
public sealed record FeatureCacheBuildReport(int Reused, int Computed, string? DiscardedReason, bool Compacted);
