using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Quantum;

/// <summary>A sampled wavefunction as real and imaginary parts, each shaped (..., N).</summary>
/// <param name="Real">Re ψ(x_j), shape (..., N).</param>
/// <param name="Imag">Im ψ(x_j), shape (..., N).</param>
public readonly record struct SampledWavefunction(Tensor Real, Tensor Imag);

/// <summary>
/// The coherent-state wavefunction <c>ψ(x) = (2πσ²)^(−1/4) · exp(−(x−α)²/(4σ²) + iβx + iγ)</c> sampled on a
/// <see cref="WavefunctionGrid"/>. Pure functions of tensors; differentiable; on whatever device the inputs live.
/// Real arithmetic (amplitude · cos/sin of the phase) rather than complex tensors, so float32 and float64 inputs
/// work alike and every backend's autograd applies.
/// </summary>
public static class Wavefunction
{
    /// <summary>
    /// Samples ψ for every (α, β, γ) triple: inputs of shape (...) give real and imaginary parts of shape (..., N),
    /// on the inputs' device and in their dtype.
    /// </summary>
    public static SampledWavefunction Sample(Tensor alpha, Tensor beta, Tensor gamma, WavefunctionGrid grid)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(grid);
        RequireSameShape(alpha, beta, nameof(beta));
        RequireSameShape(alpha, gamma, nameof(gamma));
        using var scope = NewDisposeScope();
        var x = grid.Positions(alpha.device, alpha.dtype);                 // (N)
        var a = alpha.unsqueeze(-1);                                       // (..., 1)
        var s2 = grid.Sigma * grid.Sigma;
        var prefactor = Math.Pow(2 * Math.PI * s2, -0.25);
        var amplitude = (x - a).Squared().DividedBy(-4 * s2).exp().Times(prefactor); // (..., N)
        var phase = (beta.unsqueeze(-1) * x).Plus(gamma.unsqueeze(-1));         // (..., N)
        var real = amplitude * phase.cos();
        var imag = amplitude * phase.sin();
        return new SampledWavefunction(real.MoveToOuterDisposeScope(), imag.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The probability density <c>|ψ(x_j)|² = (2πσ²)^(−1/2)·exp(−(x_j−α)²/(2σ²))</c> on the grid: α of shape (...) →
    /// (..., N), in α's dtype and on its device. The phase <c>βx + γ</c> has modulus 1, so the density needs neither β
    /// nor γ, and no cos/sin: it is <c>Real² + Imag²</c> of <see cref="Sample"/> to float rounding, at about a third of the
    /// work (what the normalization penalty needs).
    /// </summary>
    public static Tensor Density(Tensor alpha, WavefunctionGrid grid)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(grid);
        using var scope = NewDisposeScope();
        var x = grid.Positions(alpha.device, alpha.dtype);                  // (N)
        var s2 = grid.Sigma * grid.Sigma;
        var prefactor = Math.Pow(2 * Math.PI * s2, -0.5);
        return (x - alpha.unsqueeze(-1)).Squared().DividedBy(-2 * s2).exp().Times(prefactor).MoveToOuterDisposeScope(); // (..., N)
    }

    /// <summary>The discrete norm <c>Δx·Σ_j |ψ_j|²</c> over the last dimension: (..., N) → (...). About 1 for in-range packets.</summary>
    public static Tensor Norm(SampledWavefunction psi, double spacing)
    {
        using var scope = NewDisposeScope();
        return psi.Real.Squared().Plus(psi.Imag.Squared()).sum(-1).Times(spacing).MoveToOuterDisposeScope();
    }

    internal static void RequireSameShape(Tensor reference, Tensor other, string name)
    {
        if (!reference.shape.SequenceEqual(other.shape))
            throw new ArgumentException(
                $"Shape ({string.Join(", ", other.shape)}) does not match ({string.Join(", ", reference.shape)}).", name);
    }
}
