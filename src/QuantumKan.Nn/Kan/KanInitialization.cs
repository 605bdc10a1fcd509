using QuantumKan.Core;
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

    /// <summary>E_{x~N(0,1)}[Σ_k φ_k(x)²] for a basis given as <c>(N, 1)</c> float64 → <c>(N, K, 1)</c>.</summary>
    public static double BasisSecondMoment(Func<Tensor, Tensor> basisOfColumn)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = linspace(-Span, Span, Nodes, dtype: ScalarType.Float64).unsqueeze(1); // (N, 1)
        var weights = x.squeeze(1).Squared().Times(-0.5).exp();                            // (N)
        weights /= weights.sum();
        var phi = basisOfColumn(x);                                                     // (N, K, 1)
        return (phi.Squared().sum([1, 2]) * weights).sum().item<double>();
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

    /// <summary>
    /// Starts every edge of a grid basis as a random straight line plus a little per-basis noise:
    /// c[o,k,i] = w[o,i]·ν_k + ε[o,k,i], where Σ_k ν_k φ_k(x) ≈ x (ν: knots, Greville abscissae or centers).
    /// Independent per-basis coefficients would make a fine grid start out jagged, and the next layer would then pass
    /// back gradients whose sign flips from knot to knot; a smooth start trains like an MLP and refines from there.
    /// The branch contributes <paramref name="share"/> of unit output variance, 10% of it from the noise.
    /// </summary>
    /// <param name="coefficients">(out, K, in) to fill.</param>
    /// <param name="nodes">(K) float64 abscissae whose weighted sum of the bases reproduces x.</param>
    /// <param name="basisOfColumn">The basis as <c>(N, 1)</c> float64 → <c>(N, K, 1)</c>.</param>
    /// <param name="share">Share of the unit output variance for this branch.</param>
    public static void FillSmoothLines(Tensor coefficients, Tensor nodes, Func<Tensor, Tensor> basisOfColumn, double share)
    {
        const double noiseShare = 0.1;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long outputs = coefficients.shape[0], inputs = coefficients.shape[2];
        var nodeColumn = nodes.view(-1, 1);                                                   // (K, 1)
        var lineMoment = BasisSecondMoment(column => (basisOfColumn(column) * nodeColumn).sum([1], keepdim: true));
        var noiseMoment = BasisSecondMoment(basisOfColumn);
        var slopes = empty(outputs, 1, inputs, dtype: coefficients.dtype);
        FillForUnitVariance(slopes, inputs, lineMoment, share * (1 - noiseShare));
        FillForUnitVariance(coefficients, inputs, noiseMoment, share * noiseShare);
        coefficients.PlusInPlace(slopes * nodeColumn.to(coefficients.dtype));
    }
}
