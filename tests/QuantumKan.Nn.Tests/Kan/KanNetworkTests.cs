using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class KanNetworkTests
{
    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void Create_BuildsTheVariantTheOptionsName_WithItsBasisSize(KanBasis basis)
    {
        var options = KanVariants.Options(basis);
        using var layer = KanLayer.Create(3, 2, options);
        Assert.Equal(basis, layer.Basis);
        int expected = options switch
        {
            BSplineKanOptions o => o.GridSize + o.SplineOrder,
            ChebyshevKanOptions o => o.Degree + 1,
            FourierKanOptions o => 2 * o.Harmonics,
            KanGridOptions o => o.GridSize + 1, // RBF, piecewise linear
            _ => 8, // sinc: 3 shifts at h = 1 and 5 at h = 0.5 over [−1, 1]
        };
        Assert.Equal(expected, layer.BasisSize);
        Assert.Equal([2L, expected, 3L], layer.Coefficients.shape);
        Assert.Equal([7L, 2L], layer.forward(randn(7, 3)).shape);
        Assert.Equal([4L, 5L, 2L], layer.forward(randn(4, 5, 3)).shape); // leading dimensions are kept
    }

    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void ToFloat64_ConvertsParametersAndBuffers_AndKeepsTheFunction(KanBasis basis)
    {
        manual_seed(6);
        using var network = new KanNetwork([3, 4, 2], KanVariants.Options(basis), layerNormBetween: true);
        var x = randn(16, 3);
        using var noGrad = no_grad();
        var single = network.forward(x);
        network.to(ScalarType.Float64);
        Assert.All(network.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(network.buffers(), b => Assert.True(!b.is_floating_point() || b.dtype == ScalarType.Float64));
        var dbl = network.forward(x.to(ScalarType.Float64));
        Assert.True((dbl - single.to(ScalarType.Float64)).abs().max().item<double>() < 1e-4);
    }

    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void StateDict_RoundTripsThroughSaveAndLoad_IncludingTheGrids(KanBasis basis)
    {
        manual_seed(7);
        var options = KanVariants.Options(basis);
        using var source = new KanNetwork([3, 5, 2], options);
        var x = randn(32, 3);
        if (basis == KanBasis.BSpline)
            source.UpdateGrids(x * 0.5);                // a data-adapted grid must travel with the weights
        using var stream = new MemoryStream();
        source.save(new QuantumKan.Core.NonClosingStream(stream));
        stream.Position = 0;

        manual_seed(99);
        using var target = new KanNetwork([3, 5, 2], options);
        target.load(stream);
        using var noGrad = no_grad();
        Assert.True(source.forward(x).allclose(target.forward(x), rtol: 0, atol: 0));
    }

    [Fact]
    public void RegularizationLoss_IsEfficientKansL1PlusEntropy_SummedOverLayers()
    {
        manual_seed(8);
        using var network = new KanNetwork([2, 3, 1], new ChebyshevKanOptions { Degree = 2 });
        double expected = 0;
        foreach (var layer in network.Layers)
        {
            var c = layer.Coefficients.detach().to(ScalarType.Float64);               // (out, K, in)
            var size = c.abs().mean([1]).data<double>().ToArray();                    // mean |c| per edge
            double total = size.Sum();
            double entropy = -size.Select(a => a / total).Sum(p => p * Math.Log(p));
            expected += 0.5 * total + 2.0 * entropy;
        }
        var loss = network.RegularizationLoss(l1Weight: 0.5, entropyWeight: 2.0);
        Assert.Equal(expected, loss.item<float>(), 4);
        loss.backward();
        Assert.All(network.Layers, l => Assert.True(l.Coefficients.grad!.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void RegularizationLoss_StaysFiniteWhenEveryCoefficientIsZero()
    {
        using var layer = KanLayer.Create(3, 2, new FourierKanOptions());
        using (no_grad())
            layer.Coefficients.zero_();
        var loss = layer.RegularizationLoss();
        loss.backward();
        Assert.Equal(0f, loss.item<float>());
        Assert.True(isfinite(layer.Coefficients.grad!).all().item<bool>());
    }

    [Fact]
    public void LayerNormBetween_AddsANormAfterEveryHiddenLayer()
    {
        using var plain = new KanNetwork([4, 6, 5, 2], new BSplineKanOptions());
        using var normed = new KanNetwork([4, 6, 5, 2], new BSplineKanOptions(), layerNormBetween: true);
        Assert.Equal(3, normed.Layers.Count);
        Assert.Equal(plain.parameters().Count() + 4, normed.parameters().Count()); // weight and bias of 2 norms
    }
}
