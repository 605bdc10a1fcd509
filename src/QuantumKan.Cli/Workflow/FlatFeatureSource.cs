using QuantumKan.Training.Data;

namespace QuantumKan.Cli.Workflow;

/// <summary>
/// Presents a clip source's examples as flat vectors. The feature cache reports a pooled clip's shape as
/// <c>[segments, statistics, mels]</c>, but the classifier reads one flat vector per clip (the same values, row-major,
/// that <c>MelSpectrogram</c> puts in its output column), and its batch reader shapes batches by <see cref="FeatureShape"/>.
/// </summary>
internal sealed class FlatFeatureSource(IClipPatchSource source) : IClipPatchSource
{
    public int Count => source.Count;

    public IReadOnlyList<int> FeatureShape { get; } = [source.FeatureSize];

    public int FeatureSize => source.FeatureSize;

    public int LabelSize => source.LabelSize;

    public int ClipCount => source.ClipCount;

    public int ClipOf(int index) => source.ClipOf(index);

    public void ReadFeatures(int index, Span<float> destination) => source.ReadFeatures(index, destination);

    public void ReadLabels(int index, Span<float> destination) => source.ReadLabels(index, destination);
}
