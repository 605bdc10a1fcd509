using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Sinc KAN: y_o = W_skip·x + b + Σ_i Σ_{h, j} c[o,i,(h,j)] · sinc(x_i/h + j), sinc(z) = sin(πz)/(πz), for every step
/// size h in <see cref="KanLayerOptions.SincSteps"/> and the integer shifts j whose centers −j·h fall in
/// [GridMin, GridMax] (at least one per step). Whittaker–Shannon interpolation at several resolutions, with a linear
/// skip for the trend sinc cannot carry.
/// </summary>
public sealed class SincKanLayer : KanLayer
{
    private readonly Tensor inverse_steps;  // (K, 1): 1/h per basis
    private readonly Tensor shifts;         // (K, 1): j per basis
    private Parameter skip_weight;
    private Parameter bias;

    internal SincKanLayer(int inFeatures, int outFeatures, KanLayerOptions options)
        : this(inFeatures, outFeatures, options, Constants(options))
    {
    }

    private SincKanLayer(int inFeatures, int outFeatures, KanLayerOptions options, (double[] InverseSteps, double[] Shifts) constants)
        : base(nameof(SincKanLayer), inFeatures, outFeatures, constants.Shifts.Length, options)
    {
        using var scope = NewDisposeScope();
        var inverse = tensor(constants.InverseSteps).unsqueeze(1);
        var shift = tensor(constants.Shifts).unsqueeze(1);
        inverse_steps = AddBuffer(nameof(inverse_steps), inverse.to(ScalarType.Float32));
        shifts = AddBuffer(nameof(shifts), shift.to(ScalarType.Float32));
        skip_weight = AddParameter(nameof(skip_weight), empty(outFeatures, inFeatures));
        bias = AddParameter(nameof(bias), zeros(outFeatures));

        var moment = KanInitialization.BasisSecondMoment(column =>
            Evaluate(column, inverse, shift));
        KanInitialization.FillForUnitVariance(Coefficients, inFeatures, moment, 0.5);
        KanInitialization.FillForUnitVariance(skip_weight, inFeatures, 1.0, 0.5); // E[x²] = 1
    }

    /// <summary>Weights of the linear skip, <c>(out, in)</c>.</summary>
    public Parameter SkipWeight => skip_weight;

    /// <summary>The output bias, <c>(out)</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>sinc(x/h_k + j_k): <c>x: (B, in)</c> → <c>(B, K, in)</c>.</summary>
    internal static Tensor Evaluate(Tensor x, Tensor inverseSteps, Tensor shifts) =>
        addcmul(shifts, x.unsqueeze(1), inverseSteps, 1).sinc();

    private static (double[] InverseSteps, double[] Shifts) Constants(KanLayerOptions options)
    {
        options.Validate();
        var inverse = new List<double>();
        var shift = new List<double>();
        foreach (var h in options.SincSteps)
        {
            // Center of sinc(x/h + j) is x = −j·h; keep the centers inside the grid range.
            long first = (long)Math.Ceiling(-options.GridMax / h - 1e-9);
            long last = (long)Math.Floor(-options.GridMin / h + 1e-9);
            if (first > last)
                first = last = (long)Math.Round(-(options.GridMin + options.GridMax) / (2 * h));
            for (long j = first; j <= last; j++)
            {
                inverse.Add(1.0 / h);
                shift.Add(j);
            }
        }
        return (inverse.ToArray(), shift.ToArray());
    }

    private protected override void RefreshConstants()
    {
        var (inverse, shift) = Constants(Options);
        inverse_steps.copy_(tensor(inverse).unsqueeze(1));
        shifts.copy_(tensor(shift).unsqueeze(1));
    }

    private protected override Tensor Expand(Tensor x) => Evaluate(x, inverse_steps, shifts);

    private protected override Tensor Transform(Tensor x) =>
        Contract(Expand(x), Coefficients, nn.functional.linear(x, skip_weight, bias));
}
