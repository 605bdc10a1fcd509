using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// FourierKAN: y_o = b_o + Σ_i Σ_{h=1..H} (a[o,i,h] cos(h x_i) + a'[o,i,h] sin(h x_i)).
/// All 2H harmonics come from one fused multiply-add and one sine, using cos θ = sin(θ + π/2).
/// </summary>
public sealed class FourierKanLayer : KanLayer
{
    private readonly Tensor frequencies;  // (2H, 1): 1..H, 1..H
    private readonly Tensor phases;       // (2H, 1): π/2 (cosines), then 0 (sines)
    private Parameter bias;

    internal FourierKanLayer(int inFeatures, int outFeatures, KanLayerOptions options)
        : base(nameof(FourierKanLayer), inFeatures, outFeatures, 2 * options.Harmonics, options)
    {
        using var scope = NewDisposeScope();
        var (freq, phase) = Constants(options.Harmonics);
        frequencies = AddBuffer(nameof(frequencies), freq.to(ScalarType.Float32));
        phases = AddBuffer(nameof(phases), phase.to(ScalarType.Float32));
        bias = AddParameter(nameof(bias), zeros(outFeatures));
        var moment = KanInitialization.BasisSecondMoment(column =>
            Evaluate(column, freq, phase));
        KanInitialization.FillForUnitVariance(Coefficients, inFeatures, moment, 1.0);
    }

    /// <summary>The output bias, <c>(out)</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>cos(h x), then sin(h x), for h = 1..H: <c>x: (B, in)</c> → <c>(B, 2H, in)</c>.</summary>
    internal static Tensor Evaluate(Tensor x, Tensor frequencies, Tensor phases) =>
        addcmul(phases, x.unsqueeze(1), frequencies, 1).sin();

    /// <summary>Float64 constants; callers cast them to the layer's dtype.</summary>
    private static (Tensor Frequencies, Tensor Phases) Constants(int harmonics)
    {
        var h = arange(1, harmonics + 1, dtype: ScalarType.Float64);
        var freq = cat([h, h]);
        var phase = cat([full(harmonics, Math.PI / 2, dtype: ScalarType.Float64), zeros(harmonics, dtype: ScalarType.Float64)]);
        return (freq.unsqueeze(1), phase.unsqueeze(1));
    }

    private protected override void RefreshConstants()
    {
        var (freq, phase) = Constants(Options.Harmonics);
        frequencies.copy_(freq);
        phases.copy_(phase);
    }

    private protected override Tensor Expand(Tensor x) => Evaluate(x, frequencies, phases);

    private protected override Tensor Transform(Tensor x) => Contract(Expand(x), Coefficients, bias);
}
