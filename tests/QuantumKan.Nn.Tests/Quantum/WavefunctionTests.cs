using System.Numerics;
using CsCheck;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

public class WavefunctionTests
{
    private static readonly WavefunctionGrid Grid = new();

    private static Tensor Scalar(double v) => tensor(new[] { v }, dtype: ScalarType.Float64);

    [Fact]
    public void Grid_DefaultsMatchTheOriginalSystem()
    {
        Assert.Equal(1024, Grid.Points);
        Assert.Equal(24.0 / 1024, Grid.Spacing, 15);
        Assert.Equal(12 - 5 * 1.5, Grid.MaxCenter, 15);
        using var x = Grid.Positions(dtype: ScalarType.Float64);
        Assert.Equal(-12.0, x[0].item<double>(), 15);
        Assert.Equal(12.0 - Grid.Spacing, x[1023].item<double>(), 12);
    }

    [Fact]
    public void Sample_MatchesTheFormulaPointByPoint()
    {
        const double alpha = 1.25, beta = -0.7, gamma = 2.1, s = 1.5;
        using var scope = NewDisposeScope();
        var psi = Wavefunction.Sample(Scalar(alpha), Scalar(beta), Scalar(gamma), Grid);
        Assert.Equal([1L, 1024L], psi.Real.shape);
        foreach (var j in new[] { 0, 300, 563, 1023 })
        {
            double x = -12 + j * Grid.Spacing;
            var expected = Math.Pow(2 * Math.PI * s * s, -0.25) *
                           Complex.Exp(new Complex(-(x - alpha) * (x - alpha) / (4 * s * s), beta * x + gamma));
            Assert.Equal(expected.Real, psi.Real[0, j].item<double>(), 14);
            Assert.Equal(expected.Imaginary, psi.Imag[0, j].item<double>(), 14);
        }
    }

    [Fact]
    public void Norm_OfInRangePackets_IsOneWithin1e6()
    {
        var bound = Grid.MaxCenter;
        Gen.Select(Gen.Double[-bound, bound], Gen.Double[-20, 20], Gen.Double[-Math.PI, Math.PI]).Sample((a, b, g) =>
        {
            using var scope = NewDisposeScope();
            var norm = Wavefunction.Norm(Wavefunction.Sample(Scalar(a), Scalar(b), Scalar(g), Grid), Grid.Spacing).item<double>();
            Assert.True(Math.Abs(norm - 1) <= 1e-6, $"α={a}, β={b}: norm {norm}");
        }, iter: 200);
    }

    [Fact]
    public void Norm_FourSigmaFromTheEdge_LosesTheGaussianTail_WhichIsWhyTheMarginIsFiveSigma()
    {
        // |ψ|² is a Gaussian with standard deviation σ; the grid cuts it at L, so the sampled norm is 1 − Q(distance/σ).
        using var scope = NewDisposeScope();
        var atFour = Wavefunction.Norm(Wavefunction.Sample(Scalar(12 - 4 * 1.5), Scalar(0), Scalar(0), Grid), Grid.Spacing).item<double>();
        const double q4 = 3.1671241833119863e-5; // upper Gaussian tail beyond 4 standard deviations
        // The left-point sum ends half a cell early, which adds about 1e-6 to the loss.
        Assert.InRange(1 - atFour, q4 - 2e-6, q4 + 2e-6);
    }

    [Fact]
    public void Sample_KeepsDtypeAndShapeOfBatchedModes()
    {
        using var scope = NewDisposeScope();
        var alpha = zeros(3, 5);
        var psi = Wavefunction.Sample(alpha, zeros(3, 5), zeros(3, 5), Grid);
        Assert.Equal([3L, 5L, 1024L], psi.Imag.shape);
        Assert.Equal(ScalarType.Float32, psi.Real.dtype);
    }

    [Fact]
    public void Sample_RejectsMismatchedParameterShapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => Wavefunction.Sample(zeros(3, 5), zeros(3, 4), zeros(3, 5), Grid));
        Assert.Equal("beta", ex.ParamName);
    }

    [Theory]
    [InlineData(4, 12.0, 1.5, "Points")]
    [InlineData(1024, 12.0, 3.0, "Sigma")]      // L − 5σ < 0
    [InlineData(1024, -1.0, 1.5, "HalfWidth")]
    [InlineData(16, 12.0, 1.5, "Points")]       // Δx = 1.5 > σ/2
    public void Validate_NamesTheInconsistentSetting(int points, double halfWidth, double sigma, string name)
    {
        var grid = new WavefunctionGrid { Points = points, HalfWidth = halfWidth, Sigma = sigma };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(grid.Validate);
        Assert.Equal(name, ex.ParamName);
    }
}
