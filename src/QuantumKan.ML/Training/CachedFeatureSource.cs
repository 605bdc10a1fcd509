using QuantumKan.Data.Cache;
using QuantumKan.Training.Data;
using QuantumKan.Training.Data.Frames;

namespace QuantumKan.ML.Training;

/// <summary>
/// The trainer's <see cref="IClipPatchSource"/> over a <see cref="FeatureCacheView"/>: example i is patch i, and
/// every patch carries its clip's label vector. Owns the view and disposes it.
/// </summary>
public sealed class CachedFeatureSource : IClipPatchSource, IDisposable
{
    private readonly FeatureCacheView _view;
    private readonly float[] _clipLabels;

    /// <summary>Pairs a view with per-clip labels.</summary>
    /// <param name="view">The cached features; disposed with this source.</param>
    /// <param name="clipLabels">Row-major <c>[clips, labelSize]</c> label vectors (multi-hot or one-hot).</param>
    /// <param name="labelSize">The number of classes.</param>
    /// <exception cref="ArgumentException">The label count does not match the clips, or a label is not finite.</exception>
    public CachedFeatureSource(FeatureCacheView view, float[] clipLabels, int labelSize)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(clipLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelSize, 1);
        if (clipLabels.Length != (long)view.ClipCount * labelSize)
            throw new ArgumentException($"Expected {view.ClipCount} clips × {labelSize} labels = {(long)view.ClipCount * labelSize} values, got {clipLabels.Length}.", nameof(clipLabels));
        int bad = Array.FindIndex(clipLabels, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException($"Clip {bad / labelSize} ({view.PathOf(bad / labelSize)}): label {bad % labelSize} is {clipLabels[bad]}.", nameof(clipLabels));
        _view = view;
        _clipLabels = clipLabels;
        LabelSize = labelSize;
    }

    /// <summary>The underlying view (offsets, paths, build report).</summary>
    public FeatureCacheView View => _view;

    /// <inheritdoc />
    public int Count => _view.PatchCount;

    /// <inheritdoc />
    public IReadOnlyList<int> FeatureShape => _view.PatchShape;

    /// <inheritdoc />
    public int FeatureSize => _view.PatchSize;

    /// <inheritdoc />
    public int LabelSize { get; }

    /// <inheritdoc />
    public int ClipCount => _view.ClipCount;

    /// <inheritdoc />
    public int ClipOf(int index) => _view.ClipOf(index);

    /// <inheritdoc />
    public void ReadFeatures(int index, Span<float> destination) => _view.ReadPatch(index, destination);

    /// <inheritdoc />
    public void ReadLabels(int index, Span<float> destination)
    {
        if (destination.Length != LabelSize)
            throw new ArgumentException($"The labels destination holds {destination.Length} values; expected {LabelSize}.", nameof(destination));
        _clipLabels.AsSpan(_view.ClipOf(index) * LabelSize, LabelSize).CopyTo(destination);
    }

    /// <summary>
    /// The cached clips as labelled frame matrices, for a frame encoder; the cache must have been built with the
    /// frame-by-frame layout (one <c>[bands]</c> frame per patch). Valid while this source is not disposed.
    /// </summary>
    public FrameClips AsFrameClips() => new(new CachedFrameStore(_view), _clipLabels, LabelSize);

    /// <summary>Disposes the view.</summary>
    public void Dispose() => _view.Dispose();
}
