using QuantumKan.Training.Data.Frames;
using QuantumKan.Data.Cache;

namespace QuantumKan.ML.Training;

/// <summary>
/// The frames of a feature cache built with the frame-by-frame layout (each cached patch is one <c>[bands]</c> frame):
/// reads are copies straight out of the memory-mapped file, so memory stays flat whatever the data size.
/// </summary>
public sealed class CachedFrameStore : IFrameStore
{
    private readonly FeatureCacheView _view;

    /// <summary>Wraps a view whose patches are single frames.</summary>
    /// <exception cref="ArgumentException">The cache holds patches of another shape.</exception>
    public CachedFrameStore(FeatureCacheView view)
    {
        _view = view ?? throw new ArgumentNullException(nameof(view));
        if (view.PatchShape.Count != 1)
            throw new ArgumentException(
                $"The feature cache holds patches of shape [{string.Join(", ", view.PatchShape)}]; a frame encoder needs the frame-by-frame layout ([bands] per patch).", nameof(view));
    }

    /// <inheritdoc />
    public int ClipCount => _view.ClipCount;

    /// <inheritdoc />
    public int Bands => _view.PatchSize;

    /// <inheritdoc />
    public int FrameCount(int clip) => _view.PatchCountOf(clip);

    /// <inheritdoc />
    public void ReadFrames(int clip, int start, Span<float> destination) => _view.ReadPatches(clip, start, destination);
}
