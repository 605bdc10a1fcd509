using QuantumKan.Audio;
using QuantumKan.Audio.Mel;

namespace QuantumKan.Data.Cache;

/// <summary>
/// Adapts the <see cref="AudioFrontEnd"/> to the feature cache. A patch is one unit of the layout: a
/// <c>[patchFrames, mels]</c> patch, the whole clip's <c>[frames, mels]</c> for fixed frames, its pooled statistics,
/// or a single <c>[mels]</c> frame for the frame-by-frame layout.
/// </summary>
public sealed class LogMelClipFeaturizer : IClipFeaturizer
{
    /// <summary>Wraps a front end.</summary>
    public LogMelClipFeaturizer(AudioFrontEnd frontEnd)
    {
        FrontEnd = frontEnd ?? throw new ArgumentNullException(nameof(frontEnd));
        var o = frontEnd.Options;
        PatchShape = o.Layout switch
        {
            FeatureLayout.Patches => [o.PatchFrames, o.MelBands],
            FeatureLayout.FixedFrames => [o.FixedFrames, o.MelBands],
            FeatureLayout.Pooled => [o.PoolingSegments, o.StatisticCount, o.MelBands],
            _ => [o.MelBands],
        };
    }

    /// <summary>Creates a front end from log-mel options and the default signal options, and wraps it.</summary>
    public LogMelClipFeaturizer(LogMelOptions options) : this(new AudioFrontEnd(options)) { }

    /// <summary>The front end that featurizes each file.</summary>
    public AudioFrontEnd FrontEnd { get; }

    /// <inheritdoc />
    public string Fingerprint => FrontEnd.Fingerprint;

    /// <inheritdoc />
    public IReadOnlyList<int> PatchShape { get; }

    /// <inheritdoc />
    public float[] FeaturizeFile(string path) => FrontEnd.FeaturizeFile(path);
}
