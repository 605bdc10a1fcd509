namespace QuantumKan.Training.Data;

/// <summary>
/// A random-access set of training examples: one flat float32 feature vector and one float32 label vector per example.
/// The training loop reads examples by index (in a seeded, shuffled order) and never holds the whole set in memory, so
/// an implementation may keep its features on disk (for example a memory-mapped float32 cache) or in RAM.
/// </summary>
/// <remarks>
/// <para>Labels are a dense float vector of <see cref="LabelSize"/> values per example: multi-hot (0/1) for
/// multi-label tasks, one-hot for multiclass tasks. Soft labels in [0, 1] are allowed.</para>
/// <para><b>Thread safety:</b> <see cref="ReadFeatures"/> and <see cref="ReadLabels"/> must be safe to call
/// concurrently from several threads (the batch loader may prefetch). The set must not change while it is read.</para>
/// </remarks>
public interface IFeatureSource
{
    /// <summary>The number of examples (clips, or patches of clips).</summary>
    int Count { get; }

    /// <summary>The logical shape of one example's features, e.g. <c>[mels, frames]</c>; its product is <see cref="FeatureSize"/>.</summary>
    IReadOnlyList<int> FeatureShape { get; }

    /// <summary>The number of float32 values in one example's features (the product of <see cref="FeatureShape"/>).</summary>
    int FeatureSize { get; }

    /// <summary>The number of float32 values in one example's label vector (the number of classes).</summary>
    int LabelSize { get; }

    /// <summary>Copies the features of example <paramref name="index"/> (row-major in <see cref="FeatureShape"/>) into <paramref name="destination"/>.</summary>
    /// <param name="index">Example index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <param name="destination">Exactly <see cref="FeatureSize"/> values long.</param>
    void ReadFeatures(int index, Span<float> destination);

    /// <summary>Copies the label vector of example <paramref name="index"/> into <paramref name="destination"/>.</summary>
    /// <param name="index">Example index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <param name="destination">Exactly <see cref="LabelSize"/> values long.</param>
    void ReadLabels(int index, Span<float> destination);
}

/// <summary>
/// A feature source whose examples are patches (e.g. 1 s windows) cut from longer clips. Validation averages the
/// patch logits of each clip and reports clip-level metrics (see <c>Metrics.ClipScores</c>).
/// All patches of one clip must carry the same labels.
/// </summary>
public interface IClipPatchSource : IFeatureSource
{
    /// <summary>The number of distinct clips.</summary>
    int ClipCount { get; }

    /// <summary>The clip (0 ≤ clip &lt; <see cref="ClipCount"/>) that example <paramref name="index"/> was cut from.</summary>
    int ClipOf(int index);
}
