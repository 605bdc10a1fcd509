using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class BSplineGridUpdateTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UpdateGrid_OnInRangeData_MovesTheGridButKeepsTheOutputWithinOnePercent(bool standaloneScaler)
    {
        manual_seed(21);
        using var layer = (BSplineKanLayer)KanLayer.Create(4, 3, new BSplineKanOptions { StandaloneSplineScaler = standaloneScaler });
        using var noGrad = no_grad();
        SetSmoothEdges(layer);
        if (standaloneScaler)
            layer.SplineScaler!.uniform_(0.5, 2.0);   // a non-trivial scaler must survive the refit too
        // In range, but concentrated in the middle, so the quantile grid differs clearly from the uniform one.
        var x = (randn(2000, 4) * 0.35).clamp(-0.99, 0.99);
        var before = layer.forward(x);
        var gridBefore = layer.Grid.clone();

        layer.UpdateGrid(x);

        var moved = (layer.Grid - gridBefore).abs().max().item<float>();
        Assert.True(moved > 0.05f, $"the grid should adapt to the data (moved {moved})");
        var change = (layer.forward(x) - before).abs().max().item<float>();
        var scale = before.std().item<float>();
        Assert.True(change <= 0.01f * scale, $"output changed by {change}, more than 1% of its scale {scale}");
    }

    [Fact]
    public void UpdateGrid_WithFullUniformBlendOnFullRangeData_KeepsEvenAWigglyRandomSpline()
    {
        // Data spanning the grid with gridEps = 1 rebuilds (almost) the same knots, so any spline, however rough,
        // must come back: this pins the refit itself, independent of how well a new grid can approximate.
        manual_seed(22);
        using var layer = (BSplineKanLayer)KanLayer.Create(4, 3, new BSplineKanOptions());
        using var noGrad = no_grad();
        var x = cat([full(1, 4, -0.99f), rand(3000, 4) * 1.98f - 0.99f, full(1, 4, 0.99f)]);
        var before = layer.forward(x);
        layer.UpdateGrid(x, gridEps: 1);
        var change = (layer.forward(x) - before).abs().max().item<float>();
        Assert.True(change <= 1e-3f * before.std().item<float>(), $"output changed by {change}");
    }

    [Fact]
    public void UpdateGrid_PlacesInteriorKnotsAtDataQuantiles_WhenGridEpsIsZero()
    {
        manual_seed(4);
        using var layer = (BSplineKanLayer)KanLayer.Create(1, 1, new BSplineKanOptions { GridSize = 4, SplineOrder = 2 });
        var x = arange(0, 101, dtype: ScalarType.Float32).pow(2).div(10000).unsqueeze(1); // 0 … 1, dense near 0
        layer.UpdateGrid(x, gridEps: 0);
        var knots = layer.Grid.squeeze(0).contiguous().data<float>().ToArray();            // 2 + 5 + 2 knots
        float[] interior = [0f, 0.0625f, 0.25f, 0.5625f, 1f];                // x at ranks 0, 25, 50, 75, 100
        for (int i = 0; i < interior.Length; i++)
            Assert.Equal(interior[i], knots[2 + i], 5);
        float step = (1f + 0.02f) / 4;                                       // uniform step over the range ± margin
        Assert.Equal(-2 * step, knots[0], 5);
        Assert.Equal(1f + 2 * step, knots[^1], 5);
    }

    [Fact]
    public void UpdateGrid_RejectsNonFiniteOrTooFewRows()
    {
        using var layer = (BSplineKanLayer)KanLayer.Create(2, 1, new BSplineKanOptions());
        Assert.Throws<ArgumentException>(() => layer.UpdateGrid(tensor(new float[] { 0, float.NaN, 1, 2 }).view(2, 2)));
        Assert.Throws<ArgumentException>(() => layer.UpdateGrid(zeros(1, 2)));
        Assert.Throws<ArgumentException>(() => layer.UpdateGrid(zeros(5, 3)));
        Assert.Throws<ArgumentException>(() => layer.UpdateGrid(zeros(5, 2), gridEps: -0.1));
    }

    [Fact]
    public void NetworkUpdateGrids_AdaptsEveryBSplineLayer_AndKeepsTheNetworkFunction()
    {
        manual_seed(8);
        using var network = new KanNetwork([3, 5, 2], new BSplineKanOptions());
        using var noGrad = no_grad();
        foreach (var layer in network.Layers)
            SetSmoothEdges((BSplineKanLayer)layer);
        // Shrink the first layer so the hidden activations stay in range too (the premise of "in-range data").
        var first = (BSplineKanLayer)network.Layers[0];
        first.Coefficients.mul_(0.15);
        first.BaseWeight.mul_(0.15);
        var x = (randn(3000, 3) * 0.4).clamp(-0.99, 0.99);
        Assert.True(first.forward(x).abs().max().item<float>() < 0.99f, "hidden activations left the grid range");
        var before = network.forward(x);
        var grids = network.Layers.Select(l => ((BSplineKanLayer)l).Grid.clone()).ToArray();

        network.UpdateGrids(x);

        for (int i = 0; i < grids.Length; i++)
            Assert.False(((BSplineKanLayer)network.Layers[i]).Grid.allclose(grids[i]), $"layer {i} grid unchanged");
        var change = (network.forward(x) - before).abs().max().item<float>();
        Assert.True(change <= 0.01f * before.std().item<float>(), $"network output changed by {change}");
    }

    /// <summary>
    /// Gives every edge a random cubic on [−1, 1] (as spline coefficients). Cubics are exactly representable on any
    /// knot vector of order 3, so a correct refit must keep them wherever the new grid is; a wiggly random spline
    /// would only be kept up to the new grid's approximation error.
    /// </summary>
    private static void SetSmoothEdges(BSplineKanLayer layer)
    {
        using var scope = NewDisposeScope();
        int inputs = layer.InFeatures, outputs = layer.OutFeatures;
        var t = linspace(-1, 1, 201).unsqueeze(1).expand(-1, inputs).contiguous();      // (N, in)
        var basis = layer.ExpandBasis(t).transpose(0, 1).to(ScalarType.Float64);        // (in, N, K)
        var cubic = randn(inputs, 4, outputs, dtype: ScalarType.Float64) * 0.5;          // (in, 4, out) power-series coefficients
        var powers = stack([ones_like(t), t, t.square(), t.pow(3)], -1).transpose(0, 1).to(ScalarType.Float64); // (in, N, 4)
        var values = matmul(powers, cubic);                                              // (in, N, out)
        var fit = linalg.lstsq(basis, values).Solution;                                  // (in, K, out)
        layer.Coefficients.copy_(fit.permute(2, 1, 0));                                   // (out, K, in)
    }
}
