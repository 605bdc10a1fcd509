using System.Text.Json;
using QuantumKan.Audio.Mel;

namespace QuantumKan.Data.Cache;

/// <summary>
/// Adapts <see cref="LogMelFeaturizer"/> to the feature cache. A patch is one unit of the layout: a
/// <c>[patchFrames, mels]</c> patch, the whole clip's <c>[frames, mels]</c> for fixed frames, its pooled statistics,
/// or a single <c>[mels]</c> frame for the frame-by-frame layout.
/// </summary>
public sealed class LogMelClipFeaturizer : IClipFeaturizer
{
    private readonly LogMelFeaturizer _featurizer;

    /// <summary>Wraps a featurizer.</summary>
    public LogMelClipFeaturizer(LogMelFeaturizer featurizer)
    {
        _featurizer = featurizer ?? throw new ArgumentNullException(nameof(featurizer));
        var o = featurizer.Options;
        PatchShape = o.Layout switch
        {
            FeatureLayout.Patches => [o.PatchFrames, o.MelBands],
            FeatureLayout.FixedFrames => [o.FixedFrames, o.MelBands],
            FeatureLayout.Pooled => [o.PoolingSegments, o.StatisticCount, o.MelBands],
            _ => [o.MelBands],
        };
        // The options in full, plus the Audio assembly's build identity: a deterministic build changes its MVID only
        // when its code changes, so an algorithm change invalidates cached features just as an options change does.
        Fingerprint = $"logmel;{typeof(LogMelFeaturizer).Assembly.ManifestModule.ModuleVersionId};{JsonSerializer.Serialize(o)}";
    }

    /// <summary>Creates a featurizer from options.</summary>
    public LogMelClipFeaturizer(LogMelOptions options) : this(new LogMelFeaturizer(options)) { }

    /// <inheritdoc />
    public string Fingerprint { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> PatchShape { get; }

    /// <inheritdoc />
    public float[] FeaturizeFile(string path) => _featurizer.FeaturizeFile(path);
}
