using QuantumKan.Training.Data;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Presents a feature source's examples as flat vectors of <see cref="IFeatureSource.FeatureSize"/> values. The
/// network reads one flat vector per example (what an IDataView feature column holds), while the batch reader shapes
/// batches by <see cref="IFeatureSource.FeatureShape"/>, and the feature cache reports e.g. a pooled clip as
/// <c>[segments, statistics, mels]</c>. Clip membership is kept, so validation still pools patches per clip.
/// </summary>
internal class FlatFeatureView : IFeatureSource
{
    private readonly IFeatureSource _source;

    protected FlatFeatureView(IFeatureSource source)
    {
        _source = source;
        FeatureShape = [source.FeatureSize];
    }

    /// <summary>The source itself when it is already flat; otherwise a flat view of it.</summary>
    public static IFeatureSource Of(IFeatureSource source) => source.FeatureShape.Count == 1
        ? source
        : source is IClipPatchSource patches ? new ClipPatchView(patches) : new FlatFeatureView(source);

    public int Count => _source.Count;

    public IReadOnlyList<int> FeatureShape { get; }

    public int FeatureSize => _source.FeatureSize;

    public int LabelSize => _source.LabelSize;

    public void ReadFeatures(int index, Span<float> destination) => _source.ReadFeatures(index, destination);

    public void ReadLabels(int index, Span<float> destination) => _source.ReadLabels(index, destination);

    private sealed class ClipPatchView(IClipPatchSource source) : FlatFeatureView(source), IClipPatchSource
    {
        public int ClipCount => source.ClipCount;

        public int ClipOf(int index) => source.ClipOf(index);
    }
}
