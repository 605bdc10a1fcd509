using QuantumKan.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// FourierKAN: y_o = b_o + Σ_i Σ_{h=1..H} (a[o,h,i] cos(h x_i) + a'[o,h,i] sin(h x_i)).
/// Only cos x and sin x are evaluated; the higher harmonics follow from the multiple-angle recurrences
/// cos((h+1)x) = 2 cos x cos(hx) − cos((h−1)x) (and the same for sin), because a transcendental function over the whole
/// (batch, 2H, in) block costs about 20 multiply-adds in libtorch on CPU.
/// </summary>
public sealed class FourierKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private FourierKanOptions BasisOptions => (FourierKanOptions)Options;

    private Parameter bias;

    internal FourierKanLayer(int inFeatures, int outFeatures, FourierKanOptions options)
        : base(nameof(FourierKanLayer), inFeatures, outFeatures, 2 * options.Harmonics, options)
    {
        bias = AddParameter(nameof(bias), zeros(outFeatures));
        int harmonics = options.Harmonics;
        var moment = KanInitialization.BasisSecondMoment(column => Evaluate(column, harmonics));
        KanInitialization.FillForUnitVariance(Coefficients, inFeatures, moment, 1.0);
    }

    /// <summary>The output bias, <c>(out)</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>cos(h x) for h = 1..H, then sin(h x) for h = 1..H: <c>x: (B, in)</c> → <c>(B, 2H, in)</c>.</summary>
    /// <remarks>Cosines and sines obey the same recurrence, so both advance together on one <c>(B, 2, in)</c> block.</remarks>
    internal static Tensor Evaluate(Tensor x, int harmonics)
    {
        var cos1 = x.cos();                                   // (B, in)
        var first = stack([cos1, x.sin()], 1);                // (B, 2, in): cos x, sin x
        var twoCos = cos1.Times(2L).unsqueeze(1);                 // (B, 1, in)
        var terms = new Tensor[harmonics];
        terms[0] = first;
        for (int h = 1; h < harmonics; h++)
        {
            var previous = h == 1 ? stack([ones_like(x), zeros_like(x)], 1) : terms[h - 2]; // cos 0x, sin 0x
            terms[h] = (twoCos * terms[h - 1]).sub_(previous);
        }
        return stack(terms, 2).view(x.shape[0], 2 * harmonics, x.shape[1]);   // (B, 2, H, in) → (B, 2H, in)
    }

    private protected override Tensor ExpandCore(Tensor x) => Evaluate(x, BasisOptions.Harmonics);

    private protected override Tensor Transform(Tensor x) => Contract(Expand(x), Coefficients, bias);
}
