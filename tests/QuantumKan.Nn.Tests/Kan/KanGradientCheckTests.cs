using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class KanGradientCheckTests
{
    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void Backward_MatchesFiniteDifferences_InFloat64(KanBasis basis) =>
        CheckAgainstFiniteDifferences(KanVariants.Options(basis));

    /// <summary>The code paths the defaults do not take: autograd through order-1 splines, order 2, a single sinc step, RBF without LayerNorm.</summary>
    public static TheoryData<string, KanLayerOptions> OtherPaths() => new()
    {
        { "linear B-spline", new BSplineKanOptions { SplineOrder = 1, GridSize = 4 } },
        { "quadratic B-spline, no scaler", new BSplineKanOptions { SplineOrder = 2, StandaloneSplineScaler = false } },
        { "quintic B-spline", new BSplineKanOptions { SplineOrder = 5, GridSize = 3, GridMin = -2, GridMax = 2 } },
        { "one sinc step", new SincKanOptions { SincSteps = [0.25] } },
        { "RBF without LayerNorm", new RbfKanOptions { RbfLayerNorm = false } },
        { "Chebyshev degree 1", new ChebyshevKanOptions { Degree = 1 } },
        { "one harmonic", new FourierKanOptions { Harmonics = 1 } },
    };

    [Theory]
    [MemberData(nameof(OtherPaths))]
    public void Backward_MatchesFiniteDifferences_OnOtherCodePaths(string name, KanLayerOptions options)
    {
        Assert.NotEmpty(name);
        CheckAgainstFiniteDifferences(options);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_AfterAGridUpdate()
    {
        manual_seed(12);
        using var layer = (BSplineKanLayer)KanLayer.Create(3, 2, new BSplineKanOptions());
        layer.UpdateGrid(randn(500, 3) * 0.6, gridEps: 0.1);     // non-uniform knots
        CheckAgainstFiniteDifferences(layer.Options, layer);
    }

    private static void CheckAgainstFiniteDifferences(KanLayerOptions options, KanLayer? prepared = null)
    {
        manual_seed(11);
        using var layer = prepared ?? KanLayer.Create(3, 2, options);
        layer.to(ScalarType.Float64);
        // Inputs spread over and beyond the grid (±1.8), as hidden activations are.
        var x = (rand(5, 3, dtype: ScalarType.Float64) * 3.6 - 1.8).requires_grad_(true);
        var probe = randn(5, 2, dtype: ScalarType.Float64); // loss = Σ y ⊙ probe weighs every output differently

        double Loss()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return (layer.forward(x) * probe).sum().item<double>();
        }

        (layer.forward(x) * probe).sum().backward();

        AssertClose(x.grad!, FiniteDifferences.Gradient(Loss, x), "input");
        foreach (var (name, parameter) in layer.named_parameters())
            AssertClose(parameter.grad!, FiniteDifferences.Gradient(Loss, parameter), name);
    }

    private static void AssertClose(Tensor analytic, double[] numeric, string what)
    {
        var a = analytic.contiguous().data<double>().ToArray();
        Assert.Equal(numeric.Length, a.Length);
        double scale = Math.Max(1.0, numeric.Max(Math.Abs));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - numeric[i]) <= 1e-6 * scale,
                $"d loss / d {what}[{i}]: autograd {a[i]:R}, finite difference {numeric[i]:R}");
        }
    }
}
