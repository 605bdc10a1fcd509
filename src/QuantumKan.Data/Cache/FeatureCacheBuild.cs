using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace QuantumKan.Data.Cache;

/// <summary>One update of a cache folder: validate the index, find stale entries, compact, featurize, save.</summary>
internal sealed class FeatureCacheBuild(string directory, IClipFeaturizer featurizer, FeatureCacheOptions options)
{
    private readonly object _gate = new();
    private readonly Stopwatch _sinceSave = new();
    private FeatureCacheIndex _index = null!;
    private bool _changed; // whether the saved index no longer matches _index

    public (FeatureCacheIndex Index, FeatureCacheBuildReport Report) Run(string[] paths, IProgress<FeatureCacheProgress>? progress, CancellationToken ct)
    {
        string? discarded = Load();
        var sources = Stat(paths);
        var toCompute = FindStale(sources);
        int reused = sources.Count - toCompute.Count;
        if (_index.Entries.RemoveAll(e => toCompute.ContainsKey(e.Path)) > 0) // their bytes become dead space
            _changed = true;

        bool compacted = false;
        long live = _index.LiveBytes, dead = _index.DataLength - FeatureDataFile.HeaderBytes - live;
        if (dead > live)
        {
            Compact();
            compacted = _changed = true;
        }
        progress?.Report(new FeatureCacheProgress(0, toCompute.Count, reused, null));
        if (_changed || toCompute.Count > 0)
        {
            Featurize(toCompute, reused, progress, ct);
            DeleteOtherDataFiles();
        }
        return (_index, new FeatureCacheBuildReport(reused, toCompute.Count, discarded, compacted));
    }

    private int ElementBytes => options.Float16Storage ? 2 : sizeof(float);

    /// <summary>Loads the index, or starts a fresh one; returns why an existing cache was thrown away.</summary>
    private string? Load()
    {
        var (index, problem) = FeatureCacheIndex.TryRead(directory);
        if (index is not null)
        {
            if (index.Fingerprint != featurizer.Fingerprint)
                problem = "the featurizer or its options changed";
            else if (!index.PatchShape.SequenceEqual(featurizer.PatchShape))
                problem = "the patch shape changed";
            else if (index.ElementBytes != ElementBytes)
                problem = "the storage precision changed";
            else
                problem = FeatureDataFile.Problem(FeatureDataFile.PathIn(directory, index.DataId), index.DataId, index.DataLength);
        }
        if (index is null || problem is not null)
        {
            _index = FeatureCacheIndex.Fresh(featurizer.Fingerprint, featurizer.PatchShape, ElementBytes);
            _changed = true;
            return problem;
        }
        _index = index;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _changed = index.Entries.RemoveAll(e => !index.IsWellFormed(e) || !seen.Add(e.Path)) > 0;
        return null;
    }

    private static Dictionary<string, (long Size, long Ticks)> Stat(string[] paths)
    {
        var sources = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                missing.Add(path);
            else
                sources[path] = (info.Length, info.LastWriteTimeUtc.Ticks);
        }
        if (missing.Count > 0)
            throw new FileNotFoundException($"{missing.Count} clip(s) to featurize do not exist, first: {missing[0]}", missing[0]);
        return sources;
    }

    private Dictionary<string, (long Size, long Ticks)> FindStale(Dictionary<string, (long Size, long Ticks)> sources)
    {
        var byPath = _index.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var stale = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        using var data = options.VerifyChecksums && byPath.Count > 0
            ? File.OpenHandle(FeatureDataFile.PathIn(directory, _index.DataId))
            : null;
        foreach (var (path, source) in sources)
        {
            bool valid = byPath.TryGetValue(path, out var entry) && entry.Size == source.Size && entry.ModifiedTicks == source.Ticks;
            if (valid && data is not null)
                valid = ChecksumMatches(data, entry!);
            if (!valid)
                stale[path] = source;
        }
        return stale;
    }

    private bool ChecksumMatches(Microsoft.Win32.SafeHandles.SafeFileHandle data, FeatureCacheEntry entry)
    {
        var bytes = new byte[(long)entry.Patches * _index.PatchBytes];
        return RandomAccess.Read(data, bytes, entry.Offset) == bytes.Length && FeatureDataFile.Sha256(bytes) == entry.Sha256;
    }

    private void Featurize(Dictionary<string, (long Size, long Ticks)> toCompute, int reused, IProgress<FeatureCacheProgress>? progress, CancellationToken ct)
    {
        string dataPath = FeatureDataFile.PathIn(directory, _index.DataId);
        using var data = FeatureDataFile.OpenForAppend(dataPath, _index.DataId, _index.DataLength);
        _index.DataLength = data.Position;
        var pending = new List<FeatureCacheEntry>();
        int computed = 0;
        int patchFloats = _index.PatchBytes / _index.ElementBytes;
        var parallel = new ParallelOptions
        {
            CancellationToken = ct,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };
        _sinceSave.Restart();
        bool finished = false;
        try
        {
            Parallel.ForEach(toCompute, parallel, item =>
            {
                float[] features = FeaturizeOne(item.Key, patchFloats);
                var bytes = FeatureDataFile.Bytes(features, _index.ElementBytes);
                var entry = new FeatureCacheEntry
                {
                    Path = item.Key, Size = item.Value.Size, ModifiedTicks = item.Value.Ticks,
                    Patches = features.Length / patchFloats, Sha256 = FeatureDataFile.Sha256(bytes),
                };
                int done;
                lock (_gate)
                {
                    entry.Offset = data.Position;
                    data.Write(bytes);
                    _index.DataLength = data.Position;
                    pending.Add(entry);
                    done = ++computed;
                    if (_sinceSave.Elapsed >= options.SaveInterval)
                        SaveLocked(data, pending);
                }
                progress?.Report(new FeatureCacheProgress(done, toCompute.Count, reused, item.Key));
            });
            finished = true;
        }
        catch (AggregateException ex)
        {
            var first = ex.InnerExceptions.FirstOrDefault(e => e is FeaturizationException) ?? ex.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
        finally
        {
            // Keep whatever was finished, also when a clip failed or the build was cancelled; a save that fails then
            // (a full disk, say) must not hide the error that stopped the build.
            lock (_gate)
            {
                try
                {
                    SaveLocked(data, pending);
                }
                catch (IOException) when (!finished)
                {
                }
            }
        }
    }

    private float[] FeaturizeOne(string path, int patchFloats)
    {
        float[] features;
        try
        {
            features = featurizer.FeaturizeFile(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new FeaturizationException(path, QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
        if (features is null || features.Length == 0)
            throw new FeaturizationException(path, "the featurizer returned no features.");
        if (features.Length % patchFloats != 0)
            throw new FeaturizationException(path, $"{features.Length} values are not a whole number of patches of {patchFloats}.");
        int bad = Array.FindIndex(features, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new FeaturizationException(path, $"value {bad} (patch {bad / patchFloats}) is {features[bad]}; features must be finite.");
        return features;
    }

    private void SaveLocked(FileStream data, List<FeatureCacheEntry> pending)
    {
        data.Flush(flushToDisk: true); // the bytes first, then the index that points at them
        _index.Entries.AddRange(pending);
        pending.Clear();
        _index.Write(directory);
        _sinceSave.Restart();
    }

    /// <summary>Copies the live entries into a fresh data file, dropping the space of recomputed entries.</summary>
    private void Compact()
    {
        var newId = Guid.NewGuid();
        string oldPath = FeatureDataFile.PathIn(directory, _index.DataId);
        using (var source = File.OpenHandle(oldPath))
        using (var target = FeatureDataFile.OpenForAppend(FeatureDataFile.PathIn(directory, newId), newId, 0))
        {
            var buffer = new byte[1 << 20];
            foreach (var entry in _index.Entries.OrderBy(e => e.Offset))
            {
                long newOffset = target.Position, remaining = (long)entry.Patches * _index.PatchBytes, at = entry.Offset;
                while (remaining > 0)
                {
                    int n = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), at);
                    if (n <= 0)
                        throw new EndOfStreamException($"The cache data file {oldPath} ended inside entry '{entry.Path}'.");
                    target.Write(buffer, 0, n);
                    at += n;
                    remaining -= n;
                }
                entry.Offset = newOffset;
            }
            target.Flush(flushToDisk: true);
            _index.DataId = newId;
            _index.DataLength = target.Length;
        }
        _index.Write(directory);
    }

    private void DeleteOtherDataFiles()
    {
        string keep = Path.GetFileName(FeatureDataFile.PathIn(directory, _index.DataId));
        foreach (var file in Directory.EnumerateFiles(directory, "features-*.f32"))
        {
            if (Path.GetFileName(file) == keep)
                continue;
            try { File.Delete(file); }
            catch (IOException) { } // still mapped by a reader elsewhere (Windows); removed by a later build
            catch (UnauthorizedAccessException) { }
        }
    }
}
