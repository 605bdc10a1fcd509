using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// ChebyKAN: y_o = Σ_i Σ_k c[o,i,k] · T_k(tanh x_i) for k = 0..Degree. The polynomials come from the recurrence
/// T_{k+1} = 2t·T_k − T_{k−1}, not cos(k·acos t): acos has an infinite derivative at ±1, which tanh reaches in float
/// arithmetic for |x| ≳ 9 (float32) and would turn gradients into NaN.
/// </summary>
public sealed class ChebyshevKanLayer : KanLayer
{
    // A distinct name: TorchSharp maps a module's members by name, so a property hiding KanLayer.Options would collide.
    private ChebyshevKanOptions BasisOptions => (ChebyshevKanOptions)Options;

    internal ChebyshevKanLayer(int inFeatures, int outFeatures, ChebyshevKanOptions options)
        : base(nameof(ChebyshevKanLayer), inFeatures, outFeatures, options.Degree + 1, options)
    {
        int degree = options.Degree;
        var moment = KanInitialization.BasisSecondMoment(column => Evaluate(column, degree));
        KanInitialization.FillForUnitVariance(Coefficients, inFeatures, moment, 1.0);
    }

    /// <summary>T_0..T_degree of tanh(x): <c>x: (B, in)</c> → <c>(B, degree + 1, in)</c>.</summary>
    internal static Tensor Evaluate(Tensor x, int degree)
    {
        var t = x.tanh();                       // (B, in), in [−1, 1]
        var twoT = t.Times(2L);
        var terms = new Tensor[degree + 1];
        terms[0] = ones_like(t);
        terms[1] = t;
        for (int k = 1; k < degree; k++)
            terms[k + 1] = (twoT * terms[k]).sub_(terms[k - 1]);
        return stack(terms, 1);
    }

    private protected override Tensor ExpandCore(Tensor x) => Evaluate(x, BasisOptions.Degree);

    private protected override Tensor Transform(Tensor x) => Contract(Expand(x), Coefficients);
}
