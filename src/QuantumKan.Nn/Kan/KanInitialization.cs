using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Variance-preserving initialization for every basis. With zero-mean independent coefficients of variance σ², an
/// output y_o = Σ_i Σ_k c[o,i,k] φ_k(x_i) has E[y²] = σ² · in · E[Σ_k φ_k(x)²]. Measuring that second moment of the
/// basis under x ~ N(0, 1) and choosing σ² = share / (in · moment) keeps activations near unit variance through depth,
/// whatever the basis — no per-variant magic constants.
/// </summary>
internal static class KanInitialization
{
    // Quadrature over N(0, 1) on a fine uniform grid; ±8σ covers all but ~1e-15 of the mass, and 4001 nodes resolve
    // the kinks of piecewise bases well below the 1% this needs.
    private const int Nodes = 4001;
    private const double Span = 8.0;

    /// <summary>E_{x~N(0,1)}[Σ_k φ_k(x)²] for a basis given as <c>(N, 1)</c> float64 → <c>(N, 1, K)</c>.</summary>
    public static double BasisSecondMoment(Func<Tensor, Tensor> basisOfColumn)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = linspace(-Span, Span, Nodes, dtype: ScalarType.Float64).unsqueeze(1); // (N, 1)
        var weights = (x.squeeze(1).square() * -0.5).exp();                            // (N)
        weights /= weights.sum();
        var phi = basisOfColumn(x);                                                     // (N, 1, K)
        return (phi.square().sum([1, 2]) * weights).sum().item<double>();
    }

    /// <summary>E_{x~N(0,1)}[silu(x)²], the second moment of the SiLU base branch.</summary>
    public static double SiluSecondMoment() =>
        BasisSecondMoment(x => nn.functional.silu(x).unsqueeze(-1));

    /// <summary>Fills <paramref name="weights"/> with N(0, share / (fanIn · moment)) so its branch contributes <paramref name="share"/> of unit output variance.</summary>
    public static void FillForUnitVariance(Tensor weights, long fanIn, double moment, double share)
    {
        using var noGrad = no_grad();
        var std = Math.Sqrt(share / (fanIn * Math.Max(moment, 1e-12)));
        nn.init.normal_(weights, 0.0, std);
    }
}
