using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

public class NormalizationPenaltyTests
{
    private static readonly WavefunctionGrid Grid = new();

    [Fact]
    public void Penalty_OfInRangeCoherentStates_IsNegligible()
    {
        using var scope = NewDisposeScope();
        var alpha = tensor(new[,] { { -4.5, 0.0, 4.5 } });
        var psi = Wavefunction.Sample(alpha, alpha * 0.3, alpha, Grid);
        var penalty = new NormalizationPenalty(Grid.Spacing).call(psi.Real, psi.Imag).item<double>();
        Assert.True(penalty < 1e-12, $"penalty {penalty}");
    }

    [Fact]
    public void Penalty_OfScaledStates_IsSquaredNormError()
    {
        using var scope = NewDisposeScope();
        var psi = Wavefunction.Sample(zeros(2, 1, dtype: ScalarType.Float64), zeros(2, 1, dtype: ScalarType.Float64),
            zeros(2, 1, dtype: ScalarType.Float64), Grid);
        var scale = tensor(new[] { 1.2, 0.5 }).reshape(2, 1, 1);
        var penalty = new NormalizationPenalty(Grid.Spacing).call(psi.Real * scale, psi.Imag * scale).item<double>();
        // Norms 1.44 and 0.25 → ((0.44)² + (0.75)²) / 2
        Assert.Equal((0.44 * 0.44 + 0.75 * 0.75) / 2, penalty, 9);
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var real = randn(3, 2, 16, dtype: ScalarType.Float64) * 0.4;
        var imag = randn(3, 2, 16, dtype: ScalarType.Float64) * 0.4;
        var penalty = new NormalizationPenalty(0.5);
        FiniteDifferences.AssertGradientsMatch(p => penalty.call(p[0], p[1]), [real, imag]);
    }

    [Fact]
    public void Gradient_ThroughSampledPacketsNearTheEdge_MatchesFiniteDifferences()
    {
        // Packets hanging over the grid's edge lose norm, so the penalty has a real gradient in α.
        using var scope = NewDisposeScope();
        var grid = new WavefunctionGrid { Points = 256 };
        var penalty = new NormalizationPenalty(grid.Spacing);
        var alpha = tensor(new[,] { { 9.0, -10.5 } });
        var beta = tensor(new[,] { { 0.4, -1.0 } });
        var gamma = tensor(new[,] { { 0.2, 1.0 } });
        FiniteDifferences.AssertGradientsMatch(p =>
        {
            var psi = Wavefunction.Sample(p[0], p[1], p[2], grid);
            return penalty.call(psi.Real, psi.Imag);
        }, [alpha, beta, gamma]);
    }
}
