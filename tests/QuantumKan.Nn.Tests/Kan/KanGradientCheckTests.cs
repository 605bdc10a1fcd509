using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class KanGradientCheckTests
{
    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void Backward_MatchesFiniteDifferences_InFloat64(KanBasis basis)
    {
        manual_seed(11);
        using var layer = KanLayer.Create(3, 2, KanVariants.Options(basis));
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

        AssertClose(x.grad!, FiniteDifference.Gradient(Loss, x), "input");
        foreach (var (name, parameter) in layer.named_parameters())
            AssertClose(parameter.grad!, FiniteDifference.Gradient(Loss, parameter), name);
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
