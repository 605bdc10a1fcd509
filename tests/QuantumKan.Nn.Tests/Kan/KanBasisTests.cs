using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

/// <summary>Each basis against its textbook definition, computed independently in scalar C#.</summary>
public sealed class KanBasisTests
{
    [Fact]
    public void BSpline_BasesSumToOne_InsideGrid()
    {
        using var layer = KanLayer.Create(3, 2, new BSplineKanOptions { GridSize = 7, SplineOrder = 3 });
        layer.to(ScalarType.Float64);
        var x = cat([linspace(-1, 1, 401, dtype: ScalarType.Float64)[..^1], rand(400, dtype: ScalarType.Float64) * 2 - 1])
            .unsqueeze(1).expand(-1, 3).contiguous();                      // [−1, 1): every knot and random points
        var sums = layer.ExpandBasis(x).sum([-1]);                          // (B, in)
        Assert.True((sums - 1).abs().max().item<double>() < 1e-12, "B-spline bases must form a partition of unity on [GridMin, GridMax).");
    }

    [Fact]
    public void BSpline_BasisMatchesRecursiveCoxDeBoor()
    {
        const int gridSize = 4, order = 3;
        using var layer = KanLayer.Create(1, 1, new BSplineKanOptions { GridSize = gridSize, SplineOrder = order, GridMin = -2, GridMax = 1 });
        layer.to(ScalarType.Float64);
        double h = 3.0 / gridSize;
        var knots = Enumerable.Range(-order, gridSize + 2 * order + 1).Select(j => -2 + j * h).ToArray();
        var points = linspace(-4.5, 3.5, 333, dtype: ScalarType.Float64);  // includes points outside the extended grid
        var basis = layer.ExpandBasis(points.unsqueeze(1)).squeeze(1).data<double>().ToArray(); // (B·K)
        var xs = points.data<double>().ToArray();
        int k = gridSize + order;
        for (int b = 0; b < xs.Length; b++)
        {
            for (int j = 0; j < k; j++)
                Assert.Equal(CoxDeBoor(knots, j, order, xs[b]), basis[b * k + j], 10);
        }
    }

    [Fact]
    public void Chebyshev_BasisEqualsCosOfKArccos_InsideOpenInterval()
    {
        const int degree = 9;
        using var layer = KanLayer.Create(2, 1, new ChebyshevKanOptions { Degree = degree });
        layer.to(ScalarType.Float64);
        var t = linspace(-0.999, 0.999, 201, dtype: ScalarType.Float64);
        var x = t.atanh().unsqueeze(1).expand(-1, 2).contiguous();          // tanh(x) = t
        var basis = layer.ExpandBasis(x);                                   // (B, 2, K)
        var ts = t.data<double>().ToArray();
        var values = basis.select(1, 1).contiguous().data<double>().ToArray();
        for (int b = 0; b < ts.Length; b++)
        {
            for (int k = 0; k <= degree; k++)
                Assert.Equal(Math.Cos(k * Math.Acos(ts[b])), values[b * (degree + 1) + k], 10);
        }
    }

    [Fact]
    public void Fourier_BasisIsCosinesThenSines()
    {
        const int harmonics = 4;
        using var layer = KanLayer.Create(1, 1, new FourierKanOptions { Harmonics = harmonics });
        layer.to(ScalarType.Float64);
        var x = linspace(-5, 5, 101, dtype: ScalarType.Float64);
        var values = layer.ExpandBasis(x.unsqueeze(1)).contiguous().data<double>().ToArray();
        var xs = x.data<double>().ToArray();
        for (int b = 0; b < xs.Length; b++)
        {
            for (int h = 1; h <= harmonics; h++)
            {
                Assert.Equal(Math.Cos(h * xs[b]), values[b * 2 * harmonics + h - 1], 10);
                Assert.Equal(Math.Sin(h * xs[b]), values[b * 2 * harmonics + harmonics + h - 1], 10);
            }
        }
    }

    [Fact]
    public void Rbf_BasisIsGaussianBumpsOfTheLayerNormedInput()
    {
        using var layer = KanLayer.Create(4, 1, new RbfKanOptions { GridSize = 4, GridMin = -2, GridMax = 2 });
        layer.to(ScalarType.Float64);
        var x = tensor(new double[] { 0.5, -1.0, 3.0, 2.0 }).unsqueeze(0);  // mean 1.125, population std ≈ 1.4307
        var values = layer.ExpandBasis(x).contiguous().data<double>().ToArray();
        double mean = 1.125, std = Math.Sqrt((0.390625 + 4.515625 + 3.515625 + 0.765625) / 4 + 1e-5);
        double[] raw = [0.5, -1.0, 3.0, 2.0];
        for (int i = 0; i < 4; i++)
        {
            double z = (raw[i] - mean) / std;
            for (int j = 0; j <= 4; j++)
            {
                double center = -2 + j;  // spacing h = 1
                Assert.Equal(Math.Exp(-(z - center) * (z - center)), values[i * 5 + j], 10);
            }
        }
    }

    [Fact]
    public void Sinc_BasisIsShiftedSincsAtEveryStep()
    {
        using var layer = KanLayer.Create(1, 1, new SincKanOptions { SincSteps = [1.0, 0.5], GridMin = -1, GridMax = 1 });
        layer.to(ScalarType.Float64);
        Assert.Equal(3 + 5, layer.BasisSize); // centers −1, 0, 1 at h = 1 and −1 … 1 by 0.5 at h = 0.5
        var x = linspace(-3, 3, 61, dtype: ScalarType.Float64);
        var values = layer.ExpandBasis(x.unsqueeze(1)).contiguous().data<double>().ToArray();
        var xs = x.data<double>().ToArray();
        (double H, int J)[] terms = [(1, -1), (1, 0), (1, 1), (0.5, -2), (0.5, -1), (0.5, 0), (0.5, 1), (0.5, 2)];
        for (int b = 0; b < xs.Length; b++)
        {
            for (int k = 0; k < terms.Length; k++)
            {
                double z = xs[b] / terms[k].H + terms[k].J;
                double expected = z == 0 ? 1 : Math.Sin(Math.PI * z) / (Math.PI * z);
                Assert.Equal(expected, values[b * terms.Length + k], 10);
            }
        }
    }

    [Fact]
    public void Sinc_InputDerivativeIsExactAtAndNearTheCenters()
    {
        // At a center z = 0, sin(πz)/(πz) and its textbook derivative are 0/0; near it they lose all accuracy.
        using var layer = KanLayer.Create(1, 1, new SincKanOptions { SincSteps = [0.5], GridMin = -1, GridMax = 1 });
        layer.to(ScalarType.Float64);
        double[] points = [-1, -0.5, 0, 0.5, 1, 1e-9, -3e-7, 0.5 + 1e-8, 0.26, -0.74, 2.3];
        var x = tensor(points).unsqueeze(1).requires_grad_(true);
        var weights = tensor(new double[] { 0.3, -1.1, 0.7, 1.9, -0.4 });            // one per shift j = −2 … 2
        (layer.ExpandBasis(x).squeeze(1) * weights).sum().backward();
        var gradient = x.grad!.squeeze(1).data<double>().ToArray();
        var w = weights.data<double>().ToArray();
        for (int b = 0; b < points.Length; b++)
        {
            double expected = 0;
            for (int j = -2; j <= 2; j++)
                expected += w[j + 2] * SincDerivative(points[b] / 0.5 + j) / 0.5;
            Assert.Equal(expected, gradient[b], 9);
        }
    }

    private static double SincDerivative(double z)
    {
        double a = Math.PI * z;
        if (Math.Abs(z) < 1e-3)
            return Math.PI * (-a / 3 + a * a * a / 30);
        return (Math.Cos(a) - Math.Sin(a) / a) / z;
    }

    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void Float32Basis_AgreesWithFloat64_ToSinglePrecision(KanBasis basis)
    {
        // The float32 paths use shorter series and in-place recurrences; they must stay within float32's own conditioning
        // (T_8 has slope 64 near ±1, so rounding tanh alone moves it by ~4e-6).
        using var single = KanLayer.Create(3, 1, KanVariants.Options(basis));
        var x = cat([linspace(-3, 3, 241).unsqueeze(1).expand(-1, 3), randn(200, 3)]);   // grid points and centers included
        var expected = Float64Basis(single, x);
        var actual = single.ExpandBasis(x).to(ScalarType.Float64);
        var error = (actual - expected).abs().max().item<double>();
        Assert.True(error < 1e-5, $"{basis}: float32 basis off by {error}");
    }

    private static Tensor Float64Basis(KanLayer layer, Tensor x)
    {
        using var copy = KanLayer.Create(layer.InFeatures, layer.OutFeatures, layer.Options);
        copy.to(ScalarType.Float64);
        return copy.ExpandBasis(x.to(ScalarType.Float64));
    }

    [Fact]
    public void PiecewiseLinear_HatsInterpolateLinearlyAndSumToOneEverywhere()
    {
        using var layer = KanLayer.Create(1, 1, new PiecewiseLinearKanOptions { GridSize = 4, GridMin = 0, GridMax = 2 });
        layer.to(ScalarType.Float64);
        var x = linspace(-1, 3, 81, dtype: ScalarType.Float64);
        var values = layer.ExpandBasis(x.unsqueeze(1)).contiguous().data<double>().ToArray();
        var xs = x.data<double>().ToArray();
        for (int b = 0; b < xs.Length; b++)
        {
            double u = Math.Clamp(xs[b] / 0.5, 0, 4);
            for (int j = 0; j <= 4; j++)
                Assert.Equal(Math.Max(0, 1 - Math.Abs(u - j)), values[b * 5 + j], 12);
            Assert.Equal(1.0, values.Skip(b * 5).Take(5).Sum(), 12);
        }
    }

    /// <summary>The textbook recursion, evaluated pointwise: B_{j,0} = [t_j ≤ x &lt; t_{j+1}], then Cox–de Boor.</summary>
    private static double CoxDeBoor(double[] t, int j, int p, double x)
    {
        if (p == 0)
            return t[j] <= x && x < t[j + 1] ? 1 : 0;
        double left = (x - t[j]) / (t[j + p] - t[j]) * CoxDeBoor(t, j, p - 1, x);
        double right = (t[j + p + 1] - x) / (t[j + p + 1] - t[j + 1]) * CoxDeBoor(t, j + 1, p - 1, x);
        return left + right;
    }
}
