using MathNet.Numerics.Distributions;

namespace QuantumKan.Training.Metrics;

/// <summary>
/// The sensitivity index d′ of a binary detector, derived from its ROC AUC under the equal-variance Gaussian model:
/// d′ = √2·Φ⁻¹(AUC), as reported for AudioSet and FSD50K models.
/// </summary>
public static class DPrime
{
    /// <summary>Converts an AUC to d′. 0.5 → 0; AUC = 1 gives +∞ (perfect separation) and AUC = 0 gives −∞; NaN stays NaN.</summary>
    /// <param name="auc">ROC AUC in [0, 1].</param>
    public static double FromAuc(double auc)
    {
        if (double.IsNaN(auc))
            return double.NaN;
        if (auc is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(auc), auc, "AUC must be in [0, 1].");
        if (auc == 1) return double.PositiveInfinity;
        if (auc == 0) return double.NegativeInfinity;
        return Math.Sqrt(2) * Normal.InvCDF(0, 1, auc);
    }
}
