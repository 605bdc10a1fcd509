namespace QuantumKan.ML.Quantum;

/// <summary>
/// Born-rule fidelity between two embeddings <c>[α | β | γ]</c> of M modes each, in closed form:
/// <c>F = Π_m exp(−Δα_m²/(4σ²) − σ²Δβ_m²)</c>. γ cancels; the cost is O(M).
/// </summary>
public static class QuantumSimilarity
{
    /// <summary>Fidelity in [0, 1] between two embeddings of equal length 3·M.</summary>
    /// <param name="a">First embedding, 3·M values.</param>
    /// <param name="b">Second embedding, 3·M values.</param>
    /// <param name="sigma">Packet width σ the embeddings were made with (1.5 by default).</param>
    public static double Fidelity(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double sigma) => Math.Exp(LogFidelity(a, b, sigma));

    /// <summary>Log-fidelity, ≤ 0: exact where the fidelity itself underflows.</summary>
    /// <param name="a">First embedding, 3·M values.</param>
    /// <param name="b">Second embedding, 3·M values.</param>
    /// <param name="sigma">Packet width σ the embeddings were made with.</param>
    public static double LogFidelity(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double sigma)
    {
        int modes = ModesOf(a.Length, nameof(a));
        if (b.Length != a.Length)
            throw new ArgumentException($"Embeddings differ in length: {a.Length} and {b.Length}.", nameof(b));
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive and finite.");
        double alphaWeight = 1 / (4 * sigma * sigma), betaWeight = sigma * sigma, sum = 0;
        for (int m = 0; m < modes; m++)
        {
            double da = (double)a[m] - b[m];
            double db = (double)a[modes + m] - b[modes + m];
            sum += alphaWeight * da * da + betaWeight * db * db;
        }
        return double.IsNaN(sum) ? throw new ArgumentException("An embedding contains NaN.", nameof(a)) : -sum;
    }

    internal static int ModesOf(int length, string name) => length > 0 && length % 3 == 0
        ? length / 3
        : throw new ArgumentException($"An embedding has 3·M values; got {length}.", name);
}
