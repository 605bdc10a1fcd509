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
/// 5–20 multiply-adds each in libtorch on CPU; libtorch's own sinc kernel is ~20× slower than all of this.
/// </remarks>
internal static class SincBasis
{
    /// <summary>One step size h and its run of shifts j = First … First + Count − 1.</summary>
    internal readonly record struct Step(double InverseStep, long First, int Count);

    // sinc(f) = Σ_m (−1)^m (πf)^{2m} / (2m+1)!; for |f| ≤ ½ the terms past m = 7 are below 1e-10.
    private static readonly double[] TaylorCoefficients =
        Enumerable.Range(0, 8).Select(m => (m % 2 == 0 ? 1.0 : -1.0) / Factorial(2 * m + 1)).ToArray();

    /// <summary>The step sizes with the shifts whose centers −j·h fall in [GridMin, GridMax] (at least the nearest one).</summary>
    public static Step[] Steps(KanLayerOptions options)
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

    /// <summary>Float64 <c>(K, 1)</c> shifts j and (−1)^j/π, step after step.</summary>
    public static (Tensor Shifts, Tensor Signs) ShiftTables(Step[] steps)
    {
        var shifts = steps.SelectMany(s => Enumerable.Range(0, s.Count).Select(i => (double)(s.First + i))).ToArray();
        var signs = shifts.Select(j => (Math.Abs(j) % 2 == 0 ? 1.0 : -1.0) / Math.PI).ToArray();
        return (tensor(shifts).unsqueeze(1), tensor(signs).unsqueeze(1));
    }

    /// <summary>sinc(x/h + j) for every step and shift: <c>x: (B, in)</c> → <c>(B, K, in)</c>. In place: no autograd.</summary>
    public static Tensor Evaluate(Tensor x, Step[] steps, Tensor shifts, Tensor signs) =>
        EvaluateAll(x, steps, shifts, signs, withDerivatives: false).Values;

    /// <summary>The bases and their derivatives d/dx, both <c>(B, K, in)</c>. In place: no autograd.</summary>
    public static (Tensor Values, Tensor Derivatives) EvaluateWithDerivatives(Tensor x, Step[] steps, Tensor shifts, Tensor signs)
    {
        var (values, derivatives) = EvaluateAll(x, steps, shifts, signs, withDerivatives: true);
        return (values, derivatives!);
    }

    private static (Tensor Values, Tensor? Derivatives) EvaluateAll(Tensor x, Step[] steps, Tensor shifts, Tensor signs, bool withDerivatives)
    {
        var values = new Tensor[steps.Length];
        var derivatives = new Tensor[steps.Length];
        long offset = 0;
        for (int s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            (values[s], derivatives[s]) = EvaluateStep(x, step, shifts.narrow(0, offset, step.Count), signs.narrow(0, offset, step.Count), withDerivatives);
            offset += step.Count;
        }
        if (steps.Length == 1)
            return (values[0], derivatives[0]);
        return (cat(values, 1), withDerivatives ? cat(derivatives, 1) : null);
    }

    private static (Tensor Values, Tensor Derivatives) EvaluateStep(Tensor x, Step step, Tensor shifts, Tensor signs, bool withDerivatives)
    {
        var v = x * step.InverseStep;                                          // (B, in)
        var n = v.round();
        var f = v - n;                                                         // (B, in), |f| ≤ ½
        var sinPiF = (f * Math.PI).sin();
        var parity = n.remainder(2).mul_(-2).add_(1);                          // (−1)^n
        var onePlusF = f + 1;
        // At the center the quotient below is sin(πf)/(π(f + 1)) instead of sinc(f); this (B, in) term corrects it.
        var centerQuotient = sinPiF / (onePlusF * Math.PI);
        var correction = Taylor(f).sub_(centerQuotient);

        var denominator = n.unsqueeze(1) + shifts;                             // (B, c, in): n + j, integers
        var atCenter = denominator.abs().neg_().add_(1).relu_();               // 1 where n + j = 0, else 0
        denominator.add_(f.unsqueeze(1)).add_(atCenter);                       // n + j + f, or f + 1 at the center
        var values = (parity * sinPiF).unsqueeze(1).mul(signs).div_(denominator); // (−1)^{n+j} sin(πf) / (π · denominator)

        Tensor derivatives = null!;
        if (withDerivatives)
        {
            // d/dv sinc(z) = (cos(πz) − sinc(z)) / z with cos(πz) = (−1)^{n+j} cos(πf); the center gets Taylor'(f).
            var cosPiF = (f * Math.PI).cos();
            derivatives = (parity * cosPiF).unsqueeze(1).mul(signs * Math.PI).sub_(values).div_(denominator);
            var centerCorrection = TaylorDerivative(f).sub_((cosPiF - centerQuotient).div_(onePlusF));
            derivatives.addcmul_(atCenter, centerCorrection.unsqueeze(1), 1).mul_(step.InverseStep);
        }
        values.addcmul_(atCenter, correction.unsqueeze(1), 1);
        return (values, derivatives);
    }

    /// <summary>sinc(f) for |f| ≤ ½ by Horner's rule in (πf)².</summary>
    private static Tensor Taylor(Tensor f)
    {
        var y = (f * Math.PI).square();
        var sum = y * TaylorCoefficients[^1];
        for (int m = TaylorCoefficients.Length - 2; m >= 1; m--)
            sum.add_(TaylorCoefficients[m]).mul_(y);
        return sum.add_(TaylorCoefficients[0]);
    }

    /// <summary>d/df sinc(f) = 2π²f · Σ_{m≥1} m·c_m·(πf)^{2(m−1)} for |f| ≤ ½.</summary>
    private static Tensor TaylorDerivative(Tensor f)
    {
        var y = (f * Math.PI).square();
        int last = TaylorCoefficients.Length - 1;
        var sum = y * (last * TaylorCoefficients[last]);
        for (int m = last - 1; m >= 2; m--)
            sum.add_(m * TaylorCoefficients[m]).mul_(y);
        return sum.add_(TaylorCoefficients[1]).mul_(f).mul_(2 * Math.PI * Math.PI);
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
