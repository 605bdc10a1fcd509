using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// The efficient-kan layer: y = W_base · silu(x) + Σ_k (c ⊙ s)[o,i,k] · B_k(x_i), with B-spline bases of order k on a
/// G-interval grid over [GridMin, GridMax] extended by k knots each side, an optional per-edge spline scaler s, and a
/// data-driven grid update (<see cref="UpdateGrid"/>).
/// </summary>
public sealed class BSplineKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private BSplineKanOptions BasisOptions => (BSplineKanOptions)Options;

    // Absolute margin added around the data range by the grid update, as efficient-kan.
    private const double GridMargin = 0.01;

    // Field names = component names (TorchSharp's .to() swaps moved tensors into same-named fields).
    private readonly Tensor grid;          // (M, in): knots, one column per input
    private readonly Tensor level_slopes;
    private readonly Tensor level_offsets;
    private Parameter base_weight;
    private Parameter? spline_scaler;

    internal BSplineKanLayer(int inFeatures, int outFeatures, BSplineKanOptions options)
        : base(nameof(BSplineKanLayer), inFeatures, outFeatures, options.GridSize + options.SplineOrder, options)
    {
        using var scope = NewDisposeScope();
        var knots = BSplineBasis.UniformKnots(inFeatures, options.GridSize, options.SplineOrder, options.GridMin, options.GridMax);
        var (slopes, offsets) = BSplineBasis.RecursionTables(knots, options.SplineOrder);
        grid = AddBuffer(nameof(grid), knots);
        level_slopes = AddBuffer(nameof(level_slopes), slopes);
        level_offsets = AddBuffer(nameof(level_offsets), offsets);
        base_weight = AddParameter(nameof(base_weight), empty(outFeatures, inFeatures));
        if (options.StandaloneSplineScaler)
            spline_scaler = AddParameter(nameof(spline_scaler), ones(outFeatures, inFeatures));

        // Half of the output variance from each branch; the scaler starts at 1 so the spline's scale lives in c.
        var order = options.SplineOrder;
        var knots64 = knots[.., ..1].to(ScalarType.Float64);                                   // (M, 1): every input starts alike
        var (slopes64, offsets64) = BSplineBasis.RecursionTables(knots64, order);
        KanInitialization.FillSmoothLines(Coefficients, BSplineBasis.GrevilleAbscissae(knots64, order).squeeze(1),
            column => BSplineBasis.Evaluate(column, knots64, slopes64, offsets64, order), 0.5);
        KanInitialization.FillForUnitVariance(base_weight, inFeatures, KanInitialization.SiluSecondMoment(), 0.5);
    }

    /// <summary>The knot vectors, <c>(in, G + 2k + 1)</c> (a transposed view of the stored <c>(M, in)</c> buffer).</summary>
    public Tensor Grid => grid.t();

    /// <summary>Weights of the SiLU base branch, <c>(out, in)</c>.</summary>
    public Parameter BaseWeight => base_weight;

    /// <summary>The standalone per-edge spline scaler, <c>(out, in)</c>, or null when disabled.</summary>
    public Parameter? SplineScaler => spline_scaler;

    /// <summary>The spline coefficients the forward pass uses: c ⊙ s, <c>(out, K, in)</c>.</summary>
    private Tensor ScaledCoefficients => spline_scaler is null ? Coefficients : Coefficients * spline_scaler.unsqueeze(1);

    private protected override void RefreshConstants()
    {
        var (slopes, offsets) = BSplineBasis.RecursionTables(grid, BasisOptions.SplineOrder);
        level_slopes.copy_(slopes);
        level_offsets.copy_(offsets);
    }

    /// <remarks>
    /// When x needs a gradient (a hidden layer) the recursion still runs in place without autograd and the closed-form
    /// B'(x) is attached (see <see cref="KanLayer.AttachInputDerivative"/>): exact first derivatives, no double backward.
    /// Order-1 splines go through ordinary autograd instead.
    /// </remarks>
    private protected override Tensor ExpandCore(Tensor x)
    {
        int order = BasisOptions.SplineOrder;
        if (!x.requires_grad || !is_grad_enabled())
            return BSplineBasis.Evaluate(x, grid, level_slopes, level_offsets, order);
        if (order < 2)
            return BSplineBasis.EvaluateDifferentiable(x, grid, level_slopes, level_offsets, order);
        Tensor values, derivatives;
        using (no_grad())
            (values, derivatives) = BSplineBasis.EvaluateWithDerivatives(x, grid, level_slopes, level_offsets, order);
        return AttachInputDerivative(values, derivatives, x);
    }

    private protected override Tensor Transform(Tensor x)
    {
        var baseOutput = nn.functional.linear(nn.functional.silu(x), base_weight); // (B, out)
        return Contract(Expand(x), ScaledCoefficients, baseOutput);
    }

    /// <summary>
    /// Adapts the grid to the data and refits the coefficients so each edge's spline is kept on that data: per input,
    /// the G + 1 interior knots become the data quantiles blended with a uniform grid over the data range (±0.01) by
    /// <paramref name="gridEps"/>, extended by k uniform steps each side; then each edge's coefficients are refit by
    /// least squares to the spline values it had on <paramref name="x"/>. Runs without gradient tracking.
    /// </summary>
    /// <param name="x">Representative inputs, <c>(batch, in)</c> (leading dimensions are flattened), at least 2 rows, all finite.</param>
    /// <param name="gridEps">0 = pure quantiles, 1 = uniform; default <see cref="BSplineKanOptions.GridEps"/>.</param>
    /// <exception cref="ArgumentException">Wrong shape/dtype/device, fewer than 2 rows, non-finite values, or gridEps outside [0, 1].</exception>
    public void UpdateGrid(Tensor x, double? gridEps = null)
    {
        double eps = gridEps ?? BasisOptions.GridEps;
        if (!double.IsFinite(eps) || eps < 0 || eps > 1)
            throw new ArgumentException($"gridEps must lie in [0, 1], got {eps}.", nameof(gridEps));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = FlattenInput(x); // (B, in)
        long rows = batch.shape[0];
        if (rows < 2)
            throw new ArgumentException($"A grid update needs at least 2 rows of data, got {rows}.", nameof(x));
        if (!isfinite(batch).all().item<bool>())
            throw new ArgumentException("A grid update needs finite inputs; x contains NaN or ±Inf.", nameof(x));

        // Each edge's current (unscaled) spline on the data: (in, B, K) @ (in, K, out) → (in, B, out).
        var values = matmul(Expand(batch).permute(2, 0, 1), Coefficients.permute(2, 1, 0));

        int g = BasisOptions.GridSize, k = BasisOptions.SplineOrder;
        var sorted = batch.sort(dim: 0).Values;                                                     // (B, in)
        var ranks = linspace(0, rows - 1, g + 1, dtype: ScalarType.Float64).to(ScalarType.Int64).to(batch.device);
        var adaptive = sorted.index_select(0, ranks);                                              // (G+1, in)
        var low = sorted[0].Minus(GridMargin);                                                         // (in)
        var step = (sorted[-1] - sorted[0]).Plus(2 * GridMargin).DividedBy(g);                                 // (in)
        var uniform = (ScalarArithmetic.Arange(g + 1, batch.dtype, batch.device).unsqueeze(1) * step).Plus(low);
        var interior = uniform.Times(eps).Plus(adaptive.Times(1 - eps));                                      // (G+1, in)
        var before = interior[..1] - step * ScalarArithmetic.Arange(k, 0, -1, batch.dtype, batch.device).unsqueeze(1);
        var after = interior[^1..].Plus(step * ScalarArithmetic.Arange(1, k + 1, 1, batch.dtype, batch.device).unsqueeze(1));
        var knots = cat([before, interior, after], 0);                                              // (M, in)
        // Duplicate data values with gridEps = 0 would repeat a knot; keep every span at least 1e-4 of a step so the
        // recursion's divisions stay finite.
        var gap = step.Times(1e-4);
        for (int j = 1; j < knots.shape[0]; j++)
            knots[j] = maximum(knots[j], knots[j - 1].Plus(gap));

        grid.copy_(knots);
        RefreshConstants();

        var refit = LeastSquares.SolveBatched(Expand(batch).permute(2, 0, 1), values);            // (in, K, out)
        Coefficients.copy_(refit.permute(2, 1, 0));
    }
}
