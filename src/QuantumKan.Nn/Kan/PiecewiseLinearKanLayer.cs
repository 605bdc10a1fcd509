using QuantumKan.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Piecewise-linear KAN, the fastest variant: hat functions max(0, 1 − |u − j|) on the G + 1 knots of
/// [GridMin, GridMax] (u = (x − GridMin)/h, clamped to the grid so the edge values extend flat and the hats always sum
/// to 1), plus a SiLU base branch W·silu(x) that carries the trend outside the grid.
/// </summary>
public sealed class PiecewiseLinearKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private PiecewiseLinearKanOptions BasisOptions => (PiecewiseLinearKanOptions)Options;

    private readonly Tensor knot_positions;  // (K, 1): 0..G in grid units
    private Parameter base_weight;

    internal PiecewiseLinearKanLayer(int inFeatures, int outFeatures, PiecewiseLinearKanOptions options)
        : base(nameof(PiecewiseLinearKanLayer), inFeatures, outFeatures, options.GridSize + 1, options)
    {
        using var scope = NewDisposeScope();
        var knots = ScalarArithmetic.Arange(options.GridSize + 1, ScalarType.Float32).unsqueeze(1);
        knot_positions = AddBuffer(nameof(knot_positions), knots);
        base_weight = AddParameter(nameof(base_weight), empty(outFeatures, inFeatures));

        double min = options.GridMin, inverse = options.GridSize / (options.GridMax - options.GridMin);
        var knots64 = knots.to(ScalarType.Float64);
        KanInitialization.FillSmoothLines(Coefficients, knots64.DividedBy(inverse).Plus(min).squeeze(1), column => Evaluate(column, knots64, min, inverse), 0.5);
        KanInitialization.FillForUnitVariance(base_weight, inFeatures, KanInitialization.SiluSecondMoment(), 0.5);
    }

    /// <summary>Weights of the SiLU base branch, <c>(out, in)</c>.</summary>
    public Parameter BaseWeight => base_weight;

    /// <summary>Hat values: <c>x: (B, in)</c> → <c>(B, G + 1, in)</c>.</summary>
    internal static Tensor Evaluate(Tensor x, Tensor knotPositions, double gridMin, double inverseStep)
    {
        var gridSize = knotPositions.shape[0] - 1;
        var u = x.Minus(gridMin).Times(inverseStep).ClampTo(0L, gridSize);   // (B, in) in grid units
        var distance = (u.unsqueeze(1) - knotPositions).abs();        // (B, K, in)
        // abs' gradient needs its input, not its output, so its output can be reused in place.
        return distance.neg_().PlusInPlace(1L).relu_();
    }

    private protected override Tensor ExpandCore(Tensor x) =>
        Evaluate(x, knot_positions, BasisOptions.GridMin, BasisOptions.GridSize / (BasisOptions.GridMax - BasisOptions.GridMin));

    private protected override Tensor Transform(Tensor x)
    {
        var baseOutput = nn.functional.linear(nn.functional.silu(x), base_weight); // (B, out)
        return Contract(Expand(x), Coefficients, baseOutput);
    }
}
