using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// efficient-kan's regularization term. The paper's L1 and entropy act on the per-sample activations of every edge,
/// which would need the <c>(batch, out, in)</c> tensor this design never builds; efficient-kan (and we) use the
/// mean absolute coefficient of each edge as its "activation size" instead.
/// </summary>
internal static class KanRegularization
{
    // Keeps log() and the division finite when every coefficient of a layer is exactly zero.
    private const double Tiny = 1e-12;

    /// <summary><c>l1Weight · Σ_edges a + entropyWeight · (−Σ p log p)</c>, a = mean_k |c[o,k,i]|, p = a / Σ a.</summary>
    /// <param name="coefficients">(out, K, in) basis coefficients.</param>
    /// <param name="l1Weight">Weight of the L1 term.</param>
    /// <param name="entropyWeight">Weight of the entropy term.</param>
    /// <returns>A scalar on the coefficients' device and dtype.</returns>
    public static Tensor Compute(Tensor coefficients, double l1Weight, double entropyWeight)
    {
        var edgeSize = coefficients.abs().mean([1]);            // (out, in)
        var total = edgeSize.sum();                              // ()
        var p = edgeSize / total.ClampMin(Tiny);
        var entropy = -(p * p.ClampMin(Tiny).log()).sum();
        return total.Times(l1Weight).Plus(entropy.Times(entropyWeight));
    }
}
