using QuantumKan.Nn.Kan;
using QuantumKan.Onnx;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// One KAN layer as ONNX nodes, step for step as <see cref="KanLayer"/> computes it: the basis expansion
/// <c>(N, in)</c> → <c>(N, K, in)</c>, flattened to <c>(N, K·in)</c>, then one MatMul with the transposed
/// <c>(out, K·in)</c> coefficients, plus the layer's own branch (SiLU base, skip, bias). Every basis: B-spline
/// (Cox–de Boor unrolled into elementwise nodes), Chebyshev, Fourier, RBF, sinc and piecewise linear.
/// </summary>
internal static class KanLayerGraph
{
    /// <summary>Adds the layer whose tensors sit under <paramref name="prefix"/> (e.g. "semantic.layers.0.") to x (N, in) → (N, out).</summary>
    public static string Add(OnnxGraphBuilder g, string x, NetworkWeights w, string prefix, KanLayerOptions options)
    {
        var (coefficients, shape) = w.Get(prefix + "coefficients");          // (out, K, in)
        int outFeatures = (int)shape[0], basisSize = (int)shape[1], inFeatures = (int)shape[2];
        string hint = prefix.TrimEnd('.').Replace('.', '_');
        switch (options)
        {
            case BSplineKanOptions spline:
            {
                var basis = BSpline(g, x, w, prefix, spline.SplineOrder, inFeatures);
                if (w.ValuesOrNull(prefix + "spline_scaler") is { } scaler)
                    coefficients = Scale(coefficients, scaler, outFeatures, basisSize, inFeatures);
                var baseBranch = g.Linear(g.Silu(x), hint + "_base", w.Values(prefix + "base_weight"), outFeatures, inFeatures, null);
                return Contract(g, basis, coefficients, outFeatures, basisSize, inFeatures, hint, baseBranch);
            }
            case ChebyshevKanOptions chebyshev:
                return Contract(g, Chebyshev(g, x, chebyshev.Degree), coefficients, outFeatures, basisSize, inFeatures, hint, null);
            case FourierKanOptions fourier:
            {
                var bias = g.Floats(hint + "_bias", w.Values(prefix + "bias"), outFeatures);
                return Contract(g, Fourier(g, x, fourier.Harmonics), coefficients, outFeatures, basisSize, inFeatures, hint, bias);
            }
            case RbfKanOptions rbf:
            {
                var normalized = rbf.RbfLayerNorm ? PlainLayerNorm(g, x) : x;
                var basis = Rbf(g, normalized, w, prefix, basisSize);
                var baseBranch = g.Linear(g.Silu(x), hint + "_base", w.Values(prefix + "base_weight"), outFeatures, inFeatures, w.Values(prefix + "bias"));
                return Contract(g, basis, coefficients, outFeatures, basisSize, inFeatures, hint, baseBranch);
            }
            case SincKanOptions sinc:
            {
                var skip = g.Linear(x, hint + "_skip", w.Values(prefix + "skip_weight"), outFeatures, inFeatures, w.Values(prefix + "bias"));
                return Contract(g, Sinc(g, x, w, prefix, sinc), coefficients, outFeatures, basisSize, inFeatures, hint, skip);
            }
            case PiecewiseLinearKanOptions piecewise:
            {
                var basis = PiecewiseLinear(g, x, w, prefix, piecewise);
                var baseBranch = g.Linear(g.Silu(x), hint + "_base", w.Values(prefix + "base_weight"), outFeatures, inFeatures, null);
                return Contract(g, basis, coefficients, outFeatures, basisSize, inFeatures, hint, baseBranch);
            }
            default:
                throw new NotSupportedException($"ONNX export: KAN basis {options.Basis} is not supported.");
        }
    }

    /// <summary>(N, K, in) basis → (N, K·in) @ (K·in, out) [+ addend].</summary>
    private static string Contract(OnnxGraphBuilder g, string basis, float[] coefficients, int outFeatures, int basisSize, int inFeatures,
        string hint, string? addend)
    {
        var flat = g.Reshape(basis, 0, (long)basisSize * inFeatures);
        var y = g.Linear(flat, hint + "_c", coefficients, outFeatures, basisSize * inFeatures, null);
        return addend is null ? y : g.Add(addend, y);
    }

    private static float[] Scale(float[] coefficients, float[] scaler, int outFeatures, int basisSize, int inFeatures)
    {
        var scaled = new float[coefficients.Length];
        for (int o = 0; o < outFeatures; o++)
            for (int k = 0; k < basisSize; k++)
                for (int i = 0; i < inFeatures; i++)
                {
                    int at = (o * basisSize + k) * inFeatures + i;
                    scaled[at] = coefficients[at] * scaler[o * inFeatures + i];
                }
        return scaled;
    }

    /// <summary>T_0..T_K of tanh x, stacked on axis 1: (N, in) → (N, K + 1, in).</summary>
    public static string Chebyshev(OnnxGraphBuilder g, string x, int degree)
    {
        var t = g.Tanh(x);
        var twoT = g.Mul(t, 2f);
        var terms = new string[degree + 1];
        terms[0] = g.Op("ConstantOfShape", [g.Op("Shape", [t])], OnnxGraphBuilder.FloatTensorAttr("value", 1f));
        terms[1] = t;
        for (int k = 1; k < degree; k++)
            terms[k + 1] = g.Sub(g.Mul(twoT, terms[k]), terms[k - 1]);
        return g.Concat(1, terms.Select(term => g.Unsqueeze(term, 1)).ToArray());
    }

    /// <summary>cos(hx) for h = 1..H, then sin(hx): (N, in) → (N, 2H, in), by the multiple-angle recurrence.</summary>
    private static string Fourier(OnnxGraphBuilder g, string x, int harmonics)
    {
        var cos1 = g.Unary("Cos", x);
        var first = g.Concat(1, g.Unsqueeze(cos1, 1), g.Unsqueeze(g.Unary("Sin", x), 1));      // (N, 2, in)
        var twoCos = g.Unsqueeze(g.Mul(cos1, 2f), 1);                                          // (N, 1, in)
        var terms = new string[harmonics];
        terms[0] = first;
        for (int h = 1; h < harmonics; h++)
        {
            string previous = h == 1
                ? g.Concat(1, g.Unsqueeze(g.Op("ConstantOfShape", [g.Op("Shape", [x])], OnnxGraphBuilder.FloatTensorAttr("value", 1f)), 1),
                              g.Unsqueeze(g.Op("ConstantOfShape", [g.Op("Shape", [x])], OnnxGraphBuilder.FloatTensorAttr("value", 0f)), 1))
                : terms[h - 2];
            terms[h] = g.Sub(g.Mul(twoCos, terms[h - 1]), previous);
        }
        var stacked = g.Concat(2, terms.Select(term => g.Unsqueeze(term, 2)).ToArray());      // (N, 2, H, in)
        return g.Reshape(stacked, 0, 2L * harmonics, -1);
    }

    /// <summary>Hats relu(1 − |u − j|), u = clamp((x − min)·G/(max − min), 0, G): (N, in) → (N, G + 1, in).</summary>
    private static string PiecewiseLinear(OnnxGraphBuilder g, string x, NetworkWeights w, string prefix, PiecewiseLinearKanOptions options)
    {
        var (knots, shape) = w.Get(prefix + "knot_positions");                                  // (K, 1)
        float inverse = (float)(options.GridSize / (options.GridMax - options.GridMin));
        var u = g.Mul(g.Sub(x, g.Scalar((float)options.GridMin)), inverse);
        u = g.Op("Clip", [u, g.Scalar(0f), g.Scalar(options.GridSize)]);
        var distance = g.Unary("Abs", g.Sub(g.Unsqueeze(u, 1), g.Floats(prefix + "knots", knots, shape)));
        return g.Relu(g.RSub(1f, distance));
    }

    /// <summary>exp(−z²), z = −c_j/h + x/h, on LayerNorm-ed x: (N, in) → (N, G + 1, in).</summary>
    private static string Rbf(OnnxGraphBuilder g, string x, NetworkWeights w, string prefix, int basisSize)
    {
        var (offsets, offsetShape) = w.Get(prefix + "center_offsets");                        // (K, 1)
        var (inverse, inverseShape) = w.Get(prefix + "inverse_width");                         // (1)
        var z = g.Add(g.Floats(prefix + "offsets", offsets, offsetShape), g.Mul(g.Unsqueeze(x, 1), g.Floats(prefix + "inverse", inverse, inverseShape)));
        return g.Unary("Exp", g.Op("Neg", [g.Square(z)]));
    }

    private static string PlainLayerNorm(OnnxGraphBuilder g, string x) => g.LayerNorm(x, null, null, 1e-5f);

    /// <summary>
    /// Cox–de Boor from the order-1 hats up, as <c>BSplineBasis.Evaluate</c>: w_j^p = offset + x·slope per level, then
    /// b_j^p = w_j b_j + (1 − w_{j+1}) b_{j+1}; (N, in) → (N, G + k, in).
    /// </summary>
    private static string BSpline(OnnxGraphBuilder g, string x, NetworkWeights w, string prefix, int order, int inFeatures)
    {
        var (slopes, tableShape) = w.Get(prefix + "level_slopes");                             // (k, M − 1, in)
        var offsets = w.Values(prefix + "level_offsets");
        long rows = tableShape[1], m = rows + 1;
        string Level(float[] table, int p, long n, string name)                                 // table[p − 1][:n] → (n, in)
        {
            var part = table.AsSpan((int)((p - 1) * rows * inFeatures), (int)(n * inFeatures));
            return g.Floats(prefix.Replace('.', '_') + name + p, part, n, inFeatures);
        }
        var x3 = g.Unsqueeze(x, 1);                                                              // (N, 1, in)
        var ratios = g.Add(Level(offsets, 1, m - 1, "offsets"), g.Mul(x3, Level(slopes, 1, m - 1, "slopes"))); // (N, M−1, in)
        var bases = g.Relu(g.Min(g.RSub(1f, g.Slice(ratios, 1, 1, m - 1)), g.Slice(ratios, 1, 0, m - 2)));   // order-1 hats
        for (int p = 2; p <= order; p++)
        {
            long n = m - p;
            var wp = g.Add(Level(offsets, p, n, "offsets"), g.Mul(x3, Level(slopes, p, n, "slopes")));
            var weighted = g.Mul(wp, bases);                                                    // w_j b_j
            var rest = g.Sub(bases, weighted);                                                  // (1 − w_j) b_j
            bases = g.Add(g.Slice(weighted, 1, 0, n - 1), g.Slice(rest, 1, 1, n));
        }
        return bases;
    }

    /// <summary>
    /// sinc(x/h + j) for every step h and shift j, as <c>SincBasis</c> computes it (one sine per input and step, the
    /// center term from the float32 Taylor series): (N, in) → (N, K, in).
    /// </summary>
    private static string Sinc(OnnxGraphBuilder g, string x, NetworkWeights w, string prefix, SincKanOptions options)
    {
        var (inverseSteps, inverseShape) = w.Get(prefix + "inverse_steps");                    // (S, 1)
        var shifts = w.Values(prefix + "shifts");                                               // (K, 1)
        var signs = w.Values(prefix + "shift_signs");                                           // (K, 1)
        var counts = SincStepCounts(options);
        var v = g.Mul(g.Unsqueeze(x, 1), g.Floats(prefix + "inv_steps", inverseSteps, inverseShape)); // (N, S, in)
        var n = g.Unary("Round", v);
        var f = g.Sub(v, n);
        var half = g.Mul(n, 0.5f);
        var parity = g.Add(g.Mul(g.Sub(half, g.Unary("Floor", half)), -4f), 1f);               // (−1)^n
        var piF = g.Mul(f, MathF.PI);
        var piFSquared = g.Square(piF);
        var sinPiF = g.Unary("Sin", piF);
        var onePlusF = g.Add(f, 1f);
        var centerQuotient = g.Div(sinPiF, g.Mul(onePlusF, MathF.PI));
        var correction = g.Sub(Taylor(g, piFSquared), centerQuotient);
        var numerator = g.Mul(parity, sinPiF);
        var blocks = new List<string>();
        int offset = 0;
        for (int s = 0; s < counts.Length; s++)
        {
            int count = counts[s];
            var sign = g.Floats(prefix + "sign" + s, signs.AsSpan(offset, count), count, 1);
            var shift = g.Floats(prefix + "shift" + s, shifts.AsSpan(offset, count), count, 1);
            var denominator = g.Add(g.Slice(n, 1, s, s + 1), shift);                         // (N, c, in): n + j
            var atCenter = g.Relu(g.RSub(1f, g.Unary("Abs", denominator)));
            denominator = g.Add(g.Add(denominator, g.Slice(f, 1, s, s + 1)), atCenter);
            var block = g.Div(g.Mul(g.Slice(numerator, 1, s, s + 1), sign), denominator);
            blocks.Add(g.Add(block, g.Mul(atCenter, g.Slice(correction, 1, s, s + 1))));
            offset += count;
        }
        return g.Concat(1, blocks.ToArray());
    }

    // sinc(f) by Horner's rule in y = (πf)², the first six terms, as SincBasis does in float32.
    private static string Taylor(OnnxGraphBuilder g, string y)
    {
        const int terms = 6;
        static double Coefficient(int m) => (m % 2 == 0 ? 1.0 : -1.0) / Factorial(2 * m + 1);
        var sum = g.Mul(y, (float)Coefficient(terms - 1));
        for (int m = terms - 2; m >= 1; m--)
            sum = g.Mul(g.Add(sum, (float)Coefficient(m)), y);
        return g.Add(sum, (float)Coefficient(0));
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    /// <summary>The number of shifts per step size, as the sinc layer chose them (centers −j·h inside the grid range).</summary>
    internal static int[] SincStepCounts(SincKanOptions options) => options.SincSteps.Select(h =>
    {
        long first = (long)Math.Ceiling(-options.GridMax / h - 1e-9);
        long last = (long)Math.Floor(-options.GridMin / h + 1e-9);
        return first > last ? 1 : checked((int)(last - first + 1));
    }).ToArray();
}
