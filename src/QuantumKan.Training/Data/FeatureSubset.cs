namespace QuantumKan.Training.Data;

/// <summary>A view of some examples of another <see cref="IFeatureSource"/>, in a given order; clips are renumbered densely.</summary>
public sealed class FeatureSubset : IClipPatchSource
{
    private readonly IFeatureSource _source;
    private readonly int[] _indices;
    private readonly int[] _clipOf;

    /// <summary>Creates a view of <paramref name="source"/>'s examples at <paramref name="indices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the source.</exception>
    public FeatureSubset(IFeatureSource source, IReadOnlyList<int> indices)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _indices = indices?.ToArray() ?? throw new ArgumentNullException(nameof(indices));
        foreach (var i in _indices)
        {
            if ((uint)i >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Index is outside the source's {source.Count} examples.");
        }
        var clipNumbers = new Dictionary<int, int>();
        _clipOf = _indices.Select(i =>
        {
            int original = source is IClipPatchSource patches ? patches.ClipOf(i) : i;
            if (!clipNumbers.TryGetValue(original, out var dense))
                clipNumbers[original] = dense = clipNumbers.Count;
            return dense;
        }).ToArray();
        ClipCount = clipNumbers.Count;
    }

    /// <inheritdoc />
    public int Count => _indices.Length;

    /// <inheritdoc />
    public IReadOnlyList<int> FeatureShape => _source.FeatureShape;

    /// <inheritdoc />
    public int FeatureSize => _source.FeatureSize;

    /// <inheritdoc />
    public int LabelSize => _source.LabelSize;

    /// <inheritdoc />
    public int ClipCount { get; }

    /// <summary>The example of the underlying source that example <paramref name="index"/> of this view reads.</summary>
    public int SourceIndex(int index) => _indices[index];

    /// <inheritdoc />
    public int ClipOf(int index) => _clipOf[index];

    /// <inheritdoc />
    public void ReadFeatures(int index, Span<float> destination) => _source.ReadFeatures(_indices[index], destination);

    /// <inheritdoc />
    public void ReadLabels(int index, Span<float> destination) => _source.ReadLabels(_indices[index], destination);
}

/// <summary>Splits a feature source into training and held-out parts, keeping all patches of a clip on the same side.</summary>
public static class HoldOutSplit
{
    /// <summary>Holds out about <paramref name="fraction"/> of the clips (chosen by a seeded shuffle) for validation.</summary>
    /// <param name="source">The examples; when it is an <see cref="IClipPatchSource"/>, whole clips are assigned.</param>
    /// <param name="fraction">The share of clips held out, in (0, 1); at least one clip goes to each side.</param>
    /// <param name="seed">The shuffle seed (e.g. the MLContext seed).</param>
    public static (FeatureSubset Train, FeatureSubset HeldOut) Split(IFeatureSource source, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (fraction is <= 0 or >= 1 || double.IsNaN(fraction))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in (0, 1).");
        var patches = source as IClipPatchSource;
        int clips = patches?.ClipCount ?? source.Count;
        if (clips < 2)
            throw new ArgumentException($"Cannot hold out part of {clips} clip(s); at least 2 are needed.", nameof(source));
        int heldOutClips = Math.Clamp((int)Math.Round(clips * fraction), 1, clips - 1);
        var heldOut = new bool[clips];
        // A distinct stream from the training shuffle's epochs (which use non-negative epoch numbers from the same seed).
        foreach (var clip in ShuffledOrder.ForEpoch(clips, seed ^ 0x4845_4C44_4F55_5421L, 0).Take(heldOutClips))
            heldOut[clip] = true;
        var all = Enumerable.Range(0, source.Count);
        Func<int, int> clipOf = patches is null ? i => i : patches.ClipOf;
        return (new FeatureSubset(source, all.Where(i => !heldOut[clipOf(i)]).ToArray()),
                new FeatureSubset(source, all.Where(i => heldOut[clipOf(i)]).ToArray()));
    }
}
