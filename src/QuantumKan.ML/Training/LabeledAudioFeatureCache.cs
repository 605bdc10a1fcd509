using QuantumKan.Data;
using QuantumKan.Data.Cache;

namespace QuantumKan.ML.Training;

/// <summary>Joins a labeled listing to the feature cache: the trainer's patch source for the set's clips.</summary>
public static class LabeledAudioFeatureCache
{
    /// <summary>
    /// Featurizes the set's clips into the cache at <paramref name="cacheDirectory"/> (only missing or stale ones) and
    /// returns a source of their patches, each carrying its clip's multi-hot labels. Dispose it to unmap the cache.
    /// </summary>
    /// <param name="set">The clips and their labels.</param>
    /// <param name="cacheDirectory">The cache folder; may be shared by the train, val and eval sets.</param>
    /// <param name="featurizer">The featurizer, e.g. a <see cref="LogMelClipFeaturizer"/>.</param>
    /// <param name="options">Parallelism, checksum verification and save interval; null uses the defaults.</param>
    /// <param name="progress">Receives a report after each featurized clip.</param>
    /// <param name="cancellationToken">Stops featurization; finished clips stay cached.</param>
    public static CachedFeatureSource OpenFeatureCache(this LabeledAudioSet set, string cacheDirectory, IClipFeaturizer featurizer,
        FeatureCacheOptions? options = null, IProgress<FeatureCacheProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        int classes = set.Vocabulary.Count;
        var labels = new float[set.Clips.Count * classes];
        for (int c = 0; c < set.Clips.Count; c++)
            foreach (int k in set.Clips[c].LabelIndices)
                labels[c * classes + k] = 1f;
        var view = FeatureCache.Open(cacheDirectory, set.Clips.Select(c => c.Path).ToArray(), featurizer, options, progress, cancellationToken);
        try
        {
            return new CachedFeatureSource(view, labels, classes);
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }
}
