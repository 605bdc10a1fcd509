namespace QuantumKan.Training.Data;

/// <summary>
/// An <see cref="IFeatureSource"/> over row-major float32 arrays held in memory. Suitable for sets that fit in RAM
/// (tests, the demo, pooled features); larger sets stream from an on-disk cache that implements the same interface.
/// </summary>
public sealed class InMemoryFeatureSource : IClipPatchSource
{
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly int[]? _clipOfExample;
    private readonly int[] _featureShape;

    /// <summary>Wraps features <c>[count, featureSize]</c> and labels <c>[count, labelSize]</c> (both row-major).</summary>
    /// <param name="features">Row-major features; its length must be a multiple of the product of <paramref name="featureShape"/>.</param>
    /// <param name="featureShape">The shape of one example's features, e.g. <c>[mels, frames]</c>.</param>
    /// <param name="labels">Row-major labels, <c>count × labelSize</c> values (multi-hot or one-hot).</param>
    /// <param name="labelSize">The number of classes.</param>
    /// <param name="clipOfExample">Optional: the clip each example (patch) was cut from; null when every example is its own clip.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="InvalidDataException">A feature or label is NaN or infinite (the message names the row).</exception>
    public InMemoryFeatureSource(float[] features, IReadOnlyList<int> featureShape, float[] labels, int labelSize, int[]? clipOfExample = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureShape);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelSize, 1);
        if (featureShape.Count == 0 || featureShape.Any(d => d < 1))
            throw new ArgumentException($"Feature shape [{string.Join(", ", featureShape)}] must have positive dimensions.", nameof(featureShape));
        _featureShape = featureShape.ToArray();
        FeatureSize = checked(_featureShape.Aggregate(1, (a, d) => a * d));
        if (features.Length % FeatureSize != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of examples of size {FeatureSize}.", nameof(features));
        Count = features.Length / FeatureSize;
        if (labels.Length != (long)Count * labelSize)
            throw new ArgumentException($"Expected {Count} × {labelSize} = {(long)Count * labelSize} label values, got {labels.Length}.", nameof(labels));
        _features = features;
        _labels = labels;
        LabelSize = labelSize;
        RequireFinite(features, FeatureSize, "feature");
        RequireFinite(labels, labelSize, "label");
        _clipOfExample = clipOfExample is null ? null : ValidateClips(clipOfExample, Count);
        ClipCount = _clipOfExample is null ? Count : (_clipOfExample.Length == 0 ? 0 : _clipOfExample.Max() + 1);
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> FeatureShape => _featureShape;

    /// <inheritdoc />
    public int FeatureSize { get; }

    /// <inheritdoc />
    public int LabelSize { get; }

    /// <inheritdoc />
    public int ClipCount { get; }

    /// <inheritdoc />
    public int ClipOf(int index)
    {
        CheckIndex(index);
        return _clipOfExample?[index] ?? index;
    }

    /// <inheritdoc />
    public void ReadFeatures(int index, Span<float> destination)
    {
        CheckIndex(index);
        CheckLength(destination, FeatureSize, "features");
        _features.AsSpan(index * FeatureSize, FeatureSize).CopyTo(destination);
    }

    /// <inheritdoc />
    public void ReadLabels(int index, Span<float> destination)
    {
        CheckIndex(index);
        CheckLength(destination, LabelSize, "labels");
        _labels.AsSpan(index * LabelSize, LabelSize).CopyTo(destination);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Example index must be in [0, {Count}).");
    }

    private static void CheckLength(Span<float> destination, int expected, string what)
    {
        if (destination.Length != expected)
            throw new ArgumentException($"The {what} destination holds {destination.Length} values; expected {expected}.", nameof(destination));
    }

    private static void RequireFinite(float[] values, int rowSize, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException($"Row {i / rowSize}: {what} {i % rowSize} is {values[i]}; every {what} must be a finite number.");
        }
    }

    private static int[] ValidateClips(int[] clipOfExample, int count)
    {
        if (clipOfExample.Length != count)
            throw new ArgumentException($"Expected one clip index per example ({count}), got {clipOfExample.Length}.", nameof(clipOfExample));
        for (int i = 0; i < clipOfExample.Length; i++)
        {
            if (clipOfExample[i] < 0)
                throw new ArgumentException($"Row {i}: clip index {clipOfExample[i]} is negative.", nameof(clipOfExample));
        }
        return (int[])clipOfExample.Clone();
    }
}
