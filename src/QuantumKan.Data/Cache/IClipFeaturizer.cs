namespace QuantumKan.Data.Cache;

/// <summary>
/// Turns one audio file into a run of equal-sized feature patches, for <see cref="FeatureCache"/>. A clip may yield
/// any positive number of patches (e.g. 1 s log-mel patches of a clip of any length).
/// </summary>
public interface IClipFeaturizer
{
    /// <summary>
    /// A string that changes whenever the output could change (options, algorithm version). The cache recomputes every
    /// entry made under a different fingerprint.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>The shape of one patch, e.g. <c>[frames, mels]</c>; its product is the patch size in floats.</summary>
    IReadOnlyList<int> PatchShape { get; }

    /// <summary>Featurizes a file: <c>patches × product(PatchShape)</c> float32 values, row-major, at least one patch.</summary>
    /// <param name="path">The audio file.</param>
    float[] FeaturizeFile(string path);
}

/// <summary>An <see cref="IClipFeaturizer"/> from a delegate, for featurizers that are not log-mel.</summary>
/// <param name="fingerprint">Identifies the featurizer and its options (see <see cref="IClipFeaturizer.Fingerprint"/>).</param>
/// <param name="patchShape">The shape of one patch.</param>
/// <param name="featurize">Path → patches × patch size values.</param>
public sealed class DelegateClipFeaturizer(string fingerprint, IReadOnlyList<int> patchShape, Func<string, float[]> featurize) : IClipFeaturizer
{
    /// <inheritdoc />
    public string Fingerprint { get; } = fingerprint ?? throw new ArgumentNullException(nameof(fingerprint));

    /// <inheritdoc />
    public IReadOnlyList<int> PatchShape { get; } = patchShape?.ToArray() ?? throw new ArgumentNullException(nameof(patchShape));

    /// <inheritdoc />
    public float[] FeaturizeFile(string path) => featurize(path);
}
