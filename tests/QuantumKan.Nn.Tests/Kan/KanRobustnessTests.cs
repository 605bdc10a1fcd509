using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class KanRobustnessTests
{
    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void ExtremeAndGridEdgeInputs_GiveFiniteOutputsAndGradients(KanBasis basis)
    {
        manual_seed(3);
        var options = KanVariants.Options(basis);
        using var layer = KanLayer.Create(4, 3, options);
        // ±1e4, the grid ends, the extended-knot ends of the B-spline (±1.6 for G = 5, k = 3), 0 and ±1 exactly;
        // ±10 saturates tanh to exactly ±1 in float32 (where acos would have an infinite derivative).
        float[] probes = [1e4f, -1e4f, (float)((options as KanGridRangeOptions)?.GridMin ?? -1), (float)((options as KanGridRangeOptions)?.GridMax ?? 1), -2.2f, 2.2f, 0f, 1f, -1f, 10f, -10f, 1e-7f];
        var x = tensor(probes).view(-1, 4).requires_grad_(true);            // (3, 4)
        var y = layer.forward(x);
        Assert.True(isfinite(y).all().item<bool>(), $"{basis}: non-finite output");
        y.square().sum().backward();
        Assert.True(isfinite(x.grad!).all().item<bool>(), $"{basis}: non-finite input gradient");
        foreach (var (name, p) in layer.named_parameters())
            Assert.True(isfinite(p.grad!).all().item<bool>(), $"{basis}: non-finite gradient of {name}");
    }

    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void Forward_RejectsInputOfTheWrongWidthOrDtype_NamingTheExpectedShape(KanBasis basis)
    {
        using var layer = KanLayer.Create(4, 3, KanVariants.Options(basis));
        var wrongWidth = Assert.Throws<ArgumentException>(() => layer.forward(zeros(2, 5)));
        Assert.Contains("(batch, 4)", wrongWidth.Message);
        Assert.Contains("[2, 5]", wrongWidth.Message);
        Assert.Throws<ArgumentException>(() => layer.forward(zeros(4)));
        var wrongType = Assert.Throws<ArgumentException>(() => layer.forward(zeros(2, 4, dtype: ScalarType.Float64)));
        Assert.Contains("Float64", wrongType.Message);
    }

    [Theory]
    [InlineData("GridSize", 0)]
    [InlineData("SplineOrder", 0)]
    [InlineData("Degree", 0)]
    [InlineData("Harmonics", 0)]
    public void Create_RejectsOutOfRangeOptions_NamingTheField(string field, int value)
    {
        var options = field switch
        {
            "GridSize" => new BSplineKanOptions { GridSize = value },
            "SplineOrder" => new BSplineKanOptions { SplineOrder = value },
            "Degree" => new ChebyshevKanOptions { Degree = value },
            _ => (KanLayerOptions)new FourierKanOptions { Harmonics = value },
        };
        var error = Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, options));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Create_RejectsEmptyOrInvertedRangesAndBadSteps()
    {
        Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, new BSplineKanOptions { GridMin = 1, GridMax = 1 }));
        Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, new BSplineKanOptions { GridMin = double.NaN }));
        Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, new SincKanOptions { SincSteps = [] }));
        Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, new SincKanOptions { SincSteps = [1, -0.5] }));
        Assert.Throws<ArgumentException>(() => KanLayer.Create(2, 2, new BSplineKanOptions { GridEps = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => KanLayer.Create(0, 2, new BSplineKanOptions()));
        Assert.Throws<ArgumentException>(() => new KanNetwork([3], new BSplineKanOptions()));
        Assert.Throws<ArgumentException>(() => new KanNetwork([3, 0, 1], new BSplineKanOptions()));
    }
}
