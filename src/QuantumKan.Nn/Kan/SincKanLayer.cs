using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Sinc KAN: y_o = W_skip·x + b + Σ_i Σ_{h, j} c[o,(h,j),i] · sinc(x_i/h + j), sinc(z) = sin(πz)/(πz), for every step
/// size h in <see cref="SincKanOptions.SincSteps"/> and the integer shifts j whose centers −j·h fall in
/// [GridMin, GridMax] (at least one per step). Whittaker–Shannon interpolation at several resolutions, with a linear
/// skip for the trend sinc cannot carry.
/// </summary>
public sealed class SincKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private SincKanOptions BasisOptions => (SincKanOptions)Options;

    private readonly SincBasis.Step[] steps;
    private readonly Tensor inverse_steps; // (S, 1): 1/h per step size
    private readonly Tensor shifts;       // (K, 1): j per basis
    private readonly Tensor shift_signs;  // (K, 1): (−1)^j / π per basis
    private Parameter skip_weight;
    private Parameter bias;

    internal SincKanLayer(int inFeatures, int outFeatures, SincKanOptions options)
        : this(inFeatures, outFeatures, options, SincBasis.Steps(options))
    {
    }

    private SincKanLayer(int inFeatures, int outFeatures, SincKanOptions options, SincBasis.Step[] steps)
        : base(nameof(SincKanLayer), inFeatures, outFeatures, steps.Sum(s => s.Count), options)
    {
        using var scope = NewDisposeScope();
        this.steps = steps;
        var (inverse, shift, sign) = SincBasis.Constants(steps);
        inverse_steps = AddBuffer(nameof(inverse_steps), inverse.to(ScalarType.Float32));
        shifts = AddBuffer(nameof(shifts), shift.to(ScalarType.Float32));
        shift_signs = AddBuffer(nameof(shift_signs), sign.to(ScalarType.Float32));
        skip_weight = AddParameter(nameof(skip_weight), empty(outFeatures, inFeatures));
        bias = AddParameter(nameof(bias), zeros(outFeatures));

        var moment = KanInitialization.BasisSecondMoment(column => SincBasis.Evaluate(column, steps, inverse, shift, sign));
        KanInitialization.FillForUnitVariance(Coefficients, inFeatures, moment, 0.5);
        KanInitialization.FillForUnitVariance(skip_weight, inFeatures, 1.0, 0.5); // E[x²] = 1
    }

    /// <summary>Weights of the linear skip, <c>(out, in)</c>.</summary>
    public Parameter SkipWeight => skip_weight;

    /// <summary>The output bias, <c>(out)</c>.</summary>
    public Parameter Bias => bias;

    private protected override void RefreshConstants()
    {
        var (inverse, shift, sign) = SincBasis.Constants(steps);
        inverse_steps.copy_(inverse);
        shifts.copy_(shift);
        shift_signs.copy_(sign);
    }

    /// <remarks>With a gradient needed, the closed-form derivative is attached (<see cref="KanLayer.AttachInputDerivative"/>): no double backward.</remarks>
    private protected override Tensor ExpandCore(Tensor x)
    {
        if (!x.requires_grad || !is_grad_enabled())
            return SincBasis.Evaluate(x, steps, inverse_steps, shifts, shift_signs);
        Tensor values, derivatives;
        using (no_grad())
            (values, derivatives) = SincBasis.EvaluateWithDerivatives(x, steps, inverse_steps, shifts, shift_signs);
        return AttachInputDerivative(values, derivatives, x);
    }

    private protected override Tensor Transform(Tensor x) =>
        Contract(Expand(x), Coefficients, nn.functional.linear(x, skip_weight, bias));
}
