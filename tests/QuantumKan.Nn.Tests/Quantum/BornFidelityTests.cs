using CsCheck;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

public class BornFidelityTests
{
    private static readonly WavefunctionGrid Grid = new();

    // Well under the Nyquist limit π/Δx ≈ 134.
    private static readonly double BetaBound = Grid.NyquistWavenumber / 8;

    private static Tensor Row(double[] v) => tensor(v, dtype: ScalarType.Float64);

    private static Gen<double[]> Params(int modes, double bound) => Gen.Double[-bound, bound].Array[modes];

    private static Gen<(double[] A1, double[] B1, double[] G1, double[] A2, double[] B2, double[] G2)> StatePairs =>
        from m in Gen.Int[1, 4]
        from a1 in Params(m, Grid.MaxCenter)
        from b1 in Params(m, BetaBound)
        from g1 in Params(m, Math.PI)
        from a2 in Params(m, Grid.MaxCenter)
        from b2 in Params(m, BetaBound)
        from g2 in Params(m, Math.PI)
        select (a1, b1, g1, a2, b2, g2);

    [Fact]
    public void GridAndClosedForm_AgreeWithin1e5_ForPacketsInsideTheGrid()
    {
        StatePairs.Sample(p =>
        {
            using var scope = NewDisposeScope();
            var psi = Wavefunction.Sample(Row(p.A1), Row(p.B1), Row(p.G1), Grid);
            var phi = Wavefunction.Sample(Row(p.A2), Row(p.B2), Row(p.G2), Grid);
            var grid = BornFidelity.Grid(psi, phi, Grid.Spacing).item<double>();
            var closed = BornFidelity.ClosedForm(Row(p.A1), Row(p.B1), Row(p.A2), Row(p.B2), Grid.Sigma).item<double>();
            Assert.True(Math.Abs(grid - closed) <= 1e-5, $"grid {grid} vs closed form {closed}");
        }, iter: 150);
    }

    [Fact]
    public void GridAndClosedForm_AgreeOnNearbyStates_WhereFidelityIsLarge()
    {
        // Random pairs are mostly far apart (F ≈ 0); this pins agreement where F spans (0, 1].
        Gen.Select(Gen.Double[-Grid.MaxCenter, Grid.MaxCenter], Gen.Double[-BetaBound, BetaBound], Gen.Double[-2, 2], Gen.Double[-0.6, 0.6])
            .Sample((a, b, da, db) =>
            {
                using var scope = NewDisposeScope();
                var a2 = Math.Clamp(a + da, -Grid.MaxCenter, Grid.MaxCenter);
                var psi = Wavefunction.Sample(Row([a]), Row([b]), Row([0.3]), Grid);
                var phi = Wavefunction.Sample(Row([a2]), Row([b + db]), Row([-1.1]), Grid);
                var grid = BornFidelity.Grid(psi, phi, Grid.Spacing).item<double>();
                var expected = Math.Exp(-(a - a2) * (a - a2) / (4 * 1.5 * 1.5) - 1.5 * 1.5 * db * db);
                Assert.True(Math.Abs(grid - expected) <= 1e-5, $"grid {grid} vs exp(...) {expected}");
            }, iter: 150);
    }

    [Fact]
    public void Gamma_CancelsOutOfTheGridFidelity()
    {
        Gen.Select(Params(3, Grid.MaxCenter), Params(3, 3), Params(3, Math.PI), Params(3, Math.PI)).Sample((a, b, g1, g2) =>
        {
            using var scope = NewDisposeScope();
            var other = Wavefunction.Sample(Row([0.5, -1, 2]), Row([0.1, 0.2, -0.3]), Row([0, 0, 0]), Grid);
            var f1 = BornFidelity.Grid(Wavefunction.Sample(Row(a), Row(b), Row(g1), Grid), other, Grid.Spacing).item<double>();
            var f2 = BornFidelity.Grid(Wavefunction.Sample(Row(a), Row(b), Row(g2), Grid), other, Grid.Spacing).item<double>();
            Assert.Equal(f1, f2, 12);
        }, iter: 50);
    }

    [Fact]
    public void Fidelity_OfAStateWithItself_IsOne_AndDecreasesWithDistance()
    {
        using var scope = NewDisposeScope();
        var a = Row([1.0, -2.0]);
        var b = Row([0.5, 0.25]);
        Assert.Equal(1.0, BornFidelity.ClosedForm(a, b, a, b, 1.5).item<double>(), 15);
        var near = BornFidelity.ClosedForm(a, b, a + 0.1, b, 1.5).item<double>();
        var far = BornFidelity.ClosedForm(a, b, a + 1.0, b, 1.5).item<double>();
        Assert.True(1 > near && near > far && far > 0);
        // Product over the two modes: both shifted by 1 in α → exp(−2 · 1/(4σ²)).
        Assert.Equal(Math.Exp(-2.0 / 9.0), far, 14);
    }

    [Fact]
    public void Pairwise_MatchesElementwise_ForBothForms()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var alpha = (rand(6, 3, dtype: ScalarType.Float64) * 2 - 1) * 2;
        var beta = (rand(6, 3, dtype: ScalarType.Float64) * 2 - 1) * 0.8;
        var gamma = rand(6, 3, dtype: ScalarType.Float64) * 6;
        var closed = BornFidelity.ClosedFormPairwise(alpha, beta, Grid.Sigma);
        var states = Wavefunction.Sample(alpha, beta, gamma, Grid);
        var grid = BornFidelity.GridPairwise(states, Grid.Spacing);
        Assert.Equal([6L, 6L], closed.shape);
        for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
        {
            var expected = BornFidelity.ClosedForm(alpha[i], beta[i], alpha[j], beta[j], Grid.Sigma).item<double>();
            Assert.Equal(expected, closed[i, j].item<double>(), 14);
            Assert.Equal(expected, grid[i, j].item<double>(), 5);
        }
        Assert.Equal(0.0, (closed - closed.t()).abs().max().item<double>());
        Assert.Equal(6.0, closed.diagonal().sum().item<double>(), 14);
    }

    [Fact]
    public void CrossSearchForm_MatchesPairwiseLogFidelity()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var alpha = randn(9, 4, dtype: ScalarType.Float64);
        var beta = randn(9, 4, dtype: ScalarType.Float64) * 0.3;
        var z = BornFidelity.Coordinates(alpha, beta, Grid.Sigma);
        Assert.Equal([9L, 8L], z.shape);
        var cross = BornFidelity.LogClosedFormCross(z[..3], z);
        var pairwise = BornFidelity.LogClosedFormPairwise(alpha, beta, Grid.Sigma)[..3];
        Assert.True((cross - pairwise).abs().max().item<double>() < 1e-12);
    }
}
