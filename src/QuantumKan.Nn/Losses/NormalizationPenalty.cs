using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Losses;

/// <summary>
/// Penalty on sampled wavefunctions that drift from unit norm: the mean over states of <c>(Δx·Σ_j |ψ_j|² − 1)²</c>.
/// Input: real and imaginary parts of shape (..., N), for instance <c>QuantumFieldEmbedding.SampleWavefunction</c>.
/// Output: a scalar on the inputs' device. It is ~1e-13 for in-range coherent states, and grows as a packet's tail leaves
/// the grid or when wavefunctions come from somewhere other than the closed-form packet (a decoder, a perturbation).
/// </summary>
public sealed class NormalizationPenalty : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the penalty for a grid.</summary>
    /// <param name="spacing">The grid spacing Δx, in position units (<c>WavefunctionGrid.Spacing</c>; 24/1024 by default).</param>
    public NormalizationPenalty(double spacing) : base(nameof(NormalizationPenalty))
    {
        if (!(spacing > 0) || double.IsInfinity(spacing))
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "The grid spacing must be positive and finite.");
        Spacing = spacing;
    }

    /// <summary>The grid spacing Δx.</summary>
    public double Spacing { get; }

    /// <summary>The penalty for sampled states (..., N).</summary>
    public override Tensor forward(Tensor real, Tensor imag)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(imag);
        Quantum.Wavefunction.RequireSameShape(real, imag, nameof(imag));
        using var scope = NewDisposeScope();
        var norm = Quantum.Wavefunction.Norm(new Quantum.SampledWavefunction(real, imag), Spacing); // (...)
        return norm.Minus(1L).Squared().mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same penalty from sampled densities |ψ_j|² (..., N), for instance <see cref="Quantum.Wavefunction.Density"/> of
    /// closed-form packets: the mean over states of <c>(Δx·Σ_j |ψ_j|² − 1)²</c>, a scalar on the density's device.
    /// </summary>
    public Tensor FromDensity(Tensor density)
    {
        ArgumentNullException.ThrowIfNull(density);
        using var scope = NewDisposeScope();
        var norm = density.sum(-1).Times(Spacing); // (...)
        return norm.Minus(1L).Squared().mean().MoveToOuterDisposeScope();
    }
}
