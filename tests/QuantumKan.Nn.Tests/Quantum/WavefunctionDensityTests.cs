using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

/// <summary>
/// The phase-free density path the training loss uses for the normalization penalty must be the sampled wavefunction's
/// |ψ|², and the penalty from it the penalty from (Real, Imag), in value and in gradient.
/// </summary>
public class WavefunctionDensityTests
{
    private static readonly WavefunctionGrid Grid = new() { Points = 256 };

    [Fact]
    public void Density_IsTheSquaredModulusOfTheSampledWavefunction()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var alpha = (rand(3, 4, dtype: ScalarType.Float64) * 2 - 1) * 11; // some packets hang over the edge
        var beta = randn(3, 4, dtype: ScalarType.Float64);
        var gamma = randn(3, 4, dtype: ScalarType.Float64);
        var psi = Wavefunction.Sample(alpha, beta, gamma, Grid);
        var density = Wavefunction.Density(alpha, Grid);
        Assert.Equal([3L, 4L, 256L], density.shape);
        Assert.True(density.allclose(psi.Real.square() + psi.Imag.square(), rtol: 1e-12, atol: 1e-15));
    }

    [Fact]
    public void PenaltyFromDensity_EqualsPenaltyFromRealAndImaginaryParts()
    {
        using var scope = NewDisposeScope();
        var alpha = tensor(new[,] { { 9.0, -10.5, 0.0 }, { 4.0, 11.9, -3.0 } });
        var psi = Wavefunction.Sample(alpha, alpha * 0.2, alpha * -0.1, Grid);
        var penalty = new NormalizationPenalty(Grid.Spacing);
        double fromParts = penalty.call(psi.Real, psi.Imag).item<double>();
        double fromDensity = penalty.FromDensity(Wavefunction.Density(alpha, Grid)).item<double>();
        Assert.True(fromParts > 1e-3, $"the edge packets must lose norm ({fromParts})");
        Assert.Equal(fromParts, fromDensity, 12);
    }

    [Fact]
    public void PenaltyFromDensity_GradientInAlpha_MatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var penalty = new NormalizationPenalty(Grid.Spacing);
        var alpha = tensor(new[,] { { 9.0, -10.5 }, { 0.5, 11.0 } });
        FiniteDifferences.AssertGradientsMatch(p => penalty.FromDensity(Wavefunction.Density(p[0], Grid)), [alpha]);
    }
}
