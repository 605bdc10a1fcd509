using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// The shifted-sinc bases sinc(x/h + j) and their derivatives (the functional core of <see cref="SincKanLayer"/>),
/// computed without autograd, without a transcendental function over the whole (batch, K, in) block and without
/// sinc's 0/0.
/// </summary>
/// <remarks>
/// Write v = x/h = n + f with n = round(v), |f| ≤ ½. Since j and n are integers, sin(π(v + j)) = (−1)^{n+j} sin(πf),
/// so one sine per input and step size serves every shift: sinc(v + j) = (−1)^{n+j} sin(πf) / (π (n + j + f)).
/// The denominator is at least ½ away from 0 except at the nearest center (n + j = 0), whose value sinc(f) comes from
/// its Taylor series instead, which also keeps the gradient well conditioned there (sin(πf)/(πf) loses all accuracy
/// in its derivative as f → 0, as torch.sinc's backward does). The center is found arithmetically
/// (relu(1 − |n + j|) is 1 there and 0 elsewhere) because comparisons, where() and scatter over the whole block cost
/// several multiply-adds each in libtorch on CPU, and libtorch's own sinc kernel is slower than all of this.
/// </remarks>
internal static class SincBasis
{
    /// <summary>One step size h and its run of shifts j = First … First + Count − 1.</summary>
    internal readonly record struct Step(double InverseStep, long First, int Count);

    // sinc(f) = Σ_m (−1)^m (πf)^{2m} / (2m+1)!. For |f| ≤ ½ the first omitted term is below 2e-17 with all ten
    // (float64), and below 4e-8 with the first six (float32, whose rounding is 6e-8 anyway).
    private static readonly double[] TaylorCoefficients =
        Enumerable.Range(0, 10).Select(m => (m % 2 == 0 ? 1.0 : -1.0) / Factorial(2 * m + 1)).ToArray();
    private const int Float32TaylorTerms = 6;

    /// <summary>The step sizes with the shifts whose centers −j·h fall in [GridMin, GridMax] (at least the nearest one).</summary>
    public static Step[] Steps(SincKanOptions options)
    {
        options.Validate();
        var steps = new Step[options.SincSteps.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            double h = options.SincSteps[s];
            long first = (long)Math.Ceiling(-options.GridMax / h - 1e-9);
            long last = (long)Math.Floor(-options.GridMin / h + 1e-9);
            if (first > last)
                first = last = (long)Math.Round(-(options.GridMin + options.GridMax) / (2 * h));
            steps[s] = new Step(1.0 / h, first, checked((int)(last - first + 1)));
        }
        return steps;
    }

    /// <summary>Float64 constants: <c>(S, 1)</c> inverse steps 1/h, and <c>(K, 1)</c> shifts j and (−1)^j/π, step after step.</summary>
    public static (Tensor InverseSteps, Tensor Shifts, Tensor Signs) Constants(Step[] steps)
    {
        var inverse = steps.Select(s => s.InverseStep).ToArray();
        var shifts = steps.SelectMany(s => Enumerable.Range(0, s.Count).Select(i => (double)(s.First + i))).ToArray();
        var signs = shifts.Select(j => (Math.Abs(j) % 2 == 0 ? 1.0 : -1.0) / Math.PI).ToArray();
        return (tensor(inverse).unsqueeze(1), tensor(shifts).unsqueeze(1), tensor(signs).unsqueeze(1));
    }

    /// <summary>sinc(x/h + j) for every step and shift: <c>x: (B, in)</c> → <c>(B, K, in)</c>. In place: no autograd.</summary>
    public static Tensor Evaluate(Tensor x, Step[] steps, Tensor inverseSteps, Tensor shifts, Tensor signs) =>
        EvaluateAll(x, steps, inverseSteps, shifts, signs, withDerivatives: false).Values;

    /// <summary>The bases and their derivatives d/dx, both <c>(B, K, in)</c>. In place: no autograd.</summary>
    public static (Tensor Values, Tensor Derivatives) EvaluateWithDerivatives(Tensor x, Step[] steps, Tensor inverseSteps, Tensor shifts, Tensor signs)
    {
        var (values, derivatives) = EvaluateAll(x, steps, inverseSteps, shifts, signs, withDerivatives: true);
        return (values, derivatives!);
    }

    /// <remarks>
    /// Everything per input and step is computed once on <c>(B, S, in)</c> blocks (S step sizes), so the number of
    /// small operations does not grow with S; only the per-shift work runs on the <c>(B, K, in)</c> output, written in
    /// place step by step.
    /// </remarks>
    private static (Tensor Values, Tensor? Derivatives) EvaluateAll(
        Tensor x, Step[] steps, Tensor inverseSteps, Tensor shifts, Tensor signs, bool withDerivatives)
    {
        int terms = x.dtype == ScalarType.Float64 ? TaylorCoefficients.Length : Float32TaylorTerms;
        var v = x.unsqueeze(1) * inverseSteps;                                   // (B, S, in)
        var n = v.round();
        var f = v.sub_(n);                                                       // |f| ≤ ½
        var half = n.Times(0.5);
        var parity = half.sub_(half.floor()).TimesInPlace(-4L).PlusInPlace(1L);                   // (−1)^n
        var piF = f.Times(Math.PI);
        var piFSquared = piF.Squared();
        var sinPiF = piF.sin();
        var onePlusF = f.Plus(1L);
        // At a center the quotient below is sin(πf)/(π(f + 1)) instead of sinc(f); this term corrects it.
        var centerQuotient = sinPiF / onePlusF.Times(Math.PI);
        var correction = Taylor(piFSquared, terms).sub_(centerQuotient);
        var numerator = parity * sinPiF;                                         // (−1)^n sin(πf)

        Tensor? cosine = null, derivativeCorrection = null, derivatives = null;
        if (withDerivatives)
        {
            // d/dv sinc(z) = (cos(πz) − sinc(z)) / z with cos(πz) = (−1)^{n+j} cos(πf); a center gets Taylor'(f).
            var cosPiF = piF.cos();
            cosine = parity.mul_(cosPiF).TimesInPlace(Math.PI);                          // π (−1)^n cos(πf)
            derivativeCorrection = TaylorDerivative(piF, piFSquared, terms).sub_(cosPiF.sub_(centerQuotient).div_(onePlusF));
            derivatives = empty(x.shape[0], shifts.shape[0], x.shape[1], dtype: x.dtype, device: x.device);
        }

        var values = empty(x.shape[0], shifts.shape[0], x.shape[1], dtype: x.dtype, device: x.device); // (B, K, in)
        long offset = 0;
        for (int s = 0; s < steps.Length; s++)
        {
            int count = steps[s].Count;
            var sign = signs.narrow(0, offset, count);
            var denominator = n.narrow(1, s, 1).Plus(shifts.narrow(0, offset, count)); // (B, c, in): n + j, integers
            var atCenter = denominator.abs().neg_().PlusInPlace(1L).relu_();             // 1 where n + j = 0, else 0
            denominator.PlusInPlace(f.narrow(1, s, 1)).PlusInPlace(atCenter);                  // n + j + f, or f + 1 at a center
            var block = values.narrow(1, offset, count);
            block.copy_(numerator.narrow(1, s, 1)).mul_(sign).div_(denominator); // (−1)^{n+j} sin(πf) / (π · denominator)
            if (withDerivatives)
            {
                var slope = derivatives!.narrow(1, offset, count);
                slope.copy_(cosine!.narrow(1, s, 1)).mul_(sign).sub_(block).div_(denominator)
                    .addcmul_(atCenter, derivativeCorrection!.narrow(1, s, 1), ScalarArithmetic.One).TimesInPlace(steps[s].InverseStep);
            }
            block.addcmul_(atCenter, correction.narrow(1, s, 1), ScalarArithmetic.One);
            offset += count;
        }
        return (values, derivatives);
    }

    /// <summary>sinc(f) for |f| ≤ ½ by Horner's rule in <paramref name="y"/> = (πf)², with the first <paramref name="terms"/> terms.</summary>
    private static Tensor Taylor(Tensor y, int terms)
    {
        var sum = y.Times(TaylorCoefficients[terms - 1]);
        for (int m = terms - 2; m >= 1; m--)
            sum.PlusInPlace(TaylorCoefficients[m]).mul_(y);
        return sum.PlusInPlace(TaylorCoefficients[0]);
    }

    /// <summary>d/df sinc(f) = 2π·(πf) · Σ_{m≥1} m·c_m·y^{m−1} for |f| ≤ ½, from <paramref name="piF"/> = πf and <paramref name="y"/> = (πf)².</summary>
    private static Tensor TaylorDerivative(Tensor piF, Tensor y, int terms)
    {
        int last = terms - 1;
        var sum = y.Times(last * TaylorCoefficients[last]);
        for (int m = last - 1; m >= 2; m--)
            sum.PlusInPlace(m * TaylorCoefficients[m]).mul_(y);
        return sum.PlusInPlace(TaylorCoefficients[1]).mul_(piF).TimesInPlace(2 * Math.PI);
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
