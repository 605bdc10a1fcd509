using QuantumKan.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// FastKAN: a LayerNorm (unless <see cref="RbfKanOptions.RbfLayerNorm"/> is off), then Gaussian bumps
/// exp(−((x − c_j)/h)²) on G + 1 evenly spaced centers c_j over [GridMin, GridMax] with h their spacing, plus a SiLU
/// base branch W·silu(x) + b on the raw input. The LayerNorm puts every input on the grid's scale, so no grid update
/// is needed. (FastKAN's own defaults are
/// GridMin = −2, GridMax = 2, 8 centers, i.e. GridSize = 7.)
/// </summary>
public sealed class RbfKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private RbfKanOptions BasisOptions => (RbfKanOptions)Options;

    private readonly Tensor center_offsets;  // (K, 1): −c_j / h
    private readonly Tensor inverse_width;   // (1): 1 / h
    private Parameter base_weight;
    private Parameter bias;

    // torch.nn.LayerNorm's default.
    private const double LayerNormEpsilon = 1e-5;

    internal RbfKanLayer(int inFeatures, int outFeatures, RbfKanOptions options)
        : base(nameof(RbfKanLayer), inFeatures, outFeatures, options.GridSize + 1, options)
    {
        using var scope = NewDisposeScope();
        var (offsets, inverse) = Constants(options);
        center_offsets = AddBuffer(nameof(center_offsets), offsets.to(ScalarType.Float32));
        inverse_width = AddBuffer(nameof(inverse_width), inverse.to(ScalarType.Float32));
        base_weight = AddParameter(nameof(base_weight), empty(outFeatures, inFeatures));
        bias = AddParameter(nameof(bias), zeros(outFeatures));

        // LayerNorm output is ~N(0, 1) per sample (and inputs are assumed so without it): the N(0, 1) moment applies.
        var centers = (-offsets / inverse).squeeze(1);
        KanInitialization.FillSmoothLines(Coefficients, centers, column => Evaluate(column, offsets, inverse), 0.5);
        KanInitialization.FillForUnitVariance(base_weight, inFeatures, KanInitialization.SiluSecondMoment(), 0.5);
    }

    /// <summary>Weights of the SiLU base branch, <c>(out, in)</c>.</summary>
    public Parameter BaseWeight => base_weight;

    /// <summary>The output bias, <c>(out)</c>.</summary>
    public Parameter Bias => bias;


    /// <summary>exp(−(x/h − c_j/h)²): <c>x: (B, in)</c> → <c>(B, K, in)</c>, for already-normalized x. In place: no autograd.</summary>
    internal static Tensor Evaluate(Tensor x, Tensor centerOffsets, Tensor inverseWidth)
    {
        var z = addcmul(centerOffsets, x.unsqueeze(1), inverseWidth, ScalarArithmetic.One); // (B, K, in)
        return z.mul_(z).neg_().exp_();
    }

    /// <summary>The bumps and their derivatives −2z/h · exp(−z²), both <c>(B, K, in)</c>. In place: no autograd.</summary>
    internal static (Tensor Values, Tensor Derivatives) EvaluateWithDerivatives(Tensor x, Tensor centerOffsets, Tensor inverseWidth)
    {
        var z = addcmul(centerOffsets, x.unsqueeze(1), inverseWidth, ScalarArithmetic.One); // (B, K, in)
        var values = z.Squared().neg_().exp_();
        return (values, z.mul_(values).mul_(inverseWidth.Times(-2L)));
    }

    /// <summary>Float64 constants: −c_j/h for the G + 1 centers, and 1/h.</summary>
    private static (Tensor CenterOffsets, Tensor InverseWidth) Constants(RbfKanOptions options)
    {
        double width = (options.GridMax - options.GridMin) / options.GridSize;
        var centers = linspace(options.GridMin, options.GridMax, options.GridSize + 1, dtype: ScalarType.Float64);
        return ((-centers).DividedBy(width).unsqueeze(1), tensor(new[] { 1.0 / width }));
    }

    private protected override void RefreshConstants()
    {
        var (offsets, inverse) = Constants(BasisOptions);
        center_offsets.copy_(offsets);
        inverse_width.copy_(inverse);
    }

    /// <remarks>
    /// The LayerNorm has no affine parameters, unlike FastKAN's: the layer before (or the data) already sets each
    /// input's scale and shift, and a learnable step in front of the parameter-free expansion would make even the first
    /// layer back-propagate into its (B, K·in) basis, one more GEMM of the layer's full size per step.
    /// </remarks>
    private protected override Tensor Prepare(Tensor x) =>
        BasisOptions.RbfLayerNorm ? nn.functional.layer_norm(x, [InFeatures], null, null, LayerNormEpsilon) : x;

    /// <remarks>With a gradient needed, the closed-form derivative is attached (<see cref="KanLayer.AttachInputDerivative"/>): no double backward.</remarks>
    private protected override Tensor ExpandCore(Tensor x)
    {
        if (!x.requires_grad || !is_grad_enabled())
            return Evaluate(x, center_offsets, inverse_width);
        Tensor values, derivatives;
        using (no_grad())
            (values, derivatives) = EvaluateWithDerivatives(x, center_offsets, inverse_width);
        return AttachInputDerivative(values, derivatives, x);
    }

    private protected override Tensor Transform(Tensor x)
    {
        var baseOutput = nn.functional.linear(nn.functional.silu(x), base_weight, bias); // (B, out)
        return Contract(Expand(x), Coefficients, baseOutput);
    }
}
