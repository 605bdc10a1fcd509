using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// B-spline bases on per-input knot vectors (the functional core of <see cref="BSplineKanLayer"/>).
/// Knots: <c>(M, in)</c>, one column per input, with M = G + 2k + 1 (G intervals, order k, k extra knots on each
/// side), giving K = G + k basis functions per input.
/// </summary>
internal static class BSplineBasis
{
    /// <summary>Uniform knots over [min, max] with G intervals, extended by k knots of the same step on each side: <c>(G + 2k + 1, in)</c>.</summary>
    public static Tensor UniformKnots(int inFeatures, int gridSize, int order, double min, double max)
    {
        double step = (max - min) / gridSize;
        var column = ScalarArithmetic.Arange(-order, gridSize + order + 1, 1, ScalarType.Float64).Times(step).Plus(min); // (M)
        return column.to(ScalarType.Float32).unsqueeze(1).expand(-1, inFeatures).contiguous();
    }

    /// <summary>
    /// Per-level constants of the Cox–de Boor recursion, so the forward pass does one fused multiply-add per level
    /// instead of two subtractions and two divisions: w_j^p(x) = (x − t_j)/(t_{j+p} − t_j) = x·slope + offset.
    /// Returns <c>(k, M − 1, in)</c> slopes and offsets; level p uses the first M − p rows. A zero-length knot span
    /// (repeated knots) gets slope 0, the usual 0/0 := 0 convention.
    /// </summary>
    public static (Tensor Slopes, Tensor Offsets) RecursionTables(Tensor knots, int order)
    {
        long m = knots.shape[0], inFeatures = knots.shape[1];
        var slopes = zeros(order, m - 1, inFeatures, dtype: knots.dtype, device: knots.device);
        var offsets = zeros(order, m - 1, inFeatures, dtype: knots.dtype, device: knots.device);
        for (int p = 1; p <= order; p++)
        {
            var lower = knots.narrow(0, 0, m - p);                 // t_j
            var span = knots.narrow(0, p, m - p) - lower;           // t_{j+p} − t_j
            var slope = where(span.GreaterThan(0L), span.reciprocal(), zeros_like(span));
            slopes[p - 1].narrow(0, 0, m - p).copy_(slope);
            offsets[p - 1].narrow(0, 0, m - p).copy_(-lower * slope);
        }
        return (slopes, offsets);
    }

    /// <summary>
    /// Greville abscissae ξ_j = (t_{j+1} + … + t_{j+k}) / k, <c>(K, in)</c>: Σ_j ξ_j B_j(x) = x on [t_k, t_{M−1−k}], so
    /// coefficients ξ make the spline the identity there.
    /// </summary>
    public static Tensor GrevilleAbscissae(Tensor knots, int order)
    {
        long k = knots.shape[0] - 1 - order;
        var sum = knots.narrow(0, 1, k).clone();
        for (int p = 2; p <= order; p++)
            sum.PlusInPlace(knots.narrow(0, p, k));
        return sum.DividedBy(order);
    }

    /// <summary>
    /// Evaluates all K = M − 1 − k bases: <c>x: (B, in)</c> → <c>(B, K, in)</c>. Outside [t_0, t_{M−1}] every basis is 0.
    /// Runs in place on two scratch blocks, so it must run without autograd (see <see cref="BSplineKanLayer"/> for
    /// how gradients reach x); <see cref="EvaluateDifferentiable"/> is the autograd-friendly form.
    /// </summary>
    /// <remarks>
    /// Starts at order 1, not 0: the hats B¹_j = relu(min(w_j, 1 − w_{j+1})), w_j = (x − t_j)/(t_{j+1} − t_j), need only
    /// arithmetic, while the order-0 indicators [t_j ≤ x &lt; t_{j+1}] need comparisons and a bool→float cast, which
    /// libtorch runs several times slower than a multiply-add over the same block. Then Cox–de Boor with
    /// right = 1 − w_{j+1}: b_j^p = (w b)_j + ((1 − w) b)_{j+1}. Working in place matters as much as the arithmetic:
    /// every fresh block of this size costs hundreds of page faults under glibc's default allocator settings.
    /// Needs strictly increasing knots.
    /// </remarks>
    public static Tensor Evaluate(Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order) =>
        EvaluateInPlace(x, knots, slopes, offsets, order, withDerivatives: false).Values;

    /// <summary>
    /// The bases and their derivatives d/dx, both <c>(B, K, in)</c>, for order ≥ 2 and without autograd. The derivative
    /// comes from the order k − 1 bases the recursion passes through anyway:
    /// B'_j = k·(B^{k−1}_j/(t_{j+k} − t_j) − B^{k−1}_{j+1}/(t_{j+k+1} − t_{j+1})).
    /// </summary>
    public static (Tensor Values, Tensor Derivatives) EvaluateWithDerivatives(Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order)
    {
        if (order < 2)
            throw new ArgumentOutOfRangeException(nameof(order), order, "The closed-form derivative needs order 2 or more.");
        var (values, derivatives) = EvaluateInPlace(x, knots, slopes, offsets, order, withDerivatives: true);
        return (values, derivatives!);
    }

    /// <summary>The same bases through ordinary (out-of-place, differentiable) operations, for autograd through order-1 splines.</summary>
    public static Tensor EvaluateDifferentiable(Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order)
    {
        long m = knots.shape[0];
        var x3 = x.unsqueeze(1);                                                            // (B, 1, in)
        var w = addcmul(offsets[0], x3, slopes[0], ScalarArithmetic.One);                                      // (B, M−1, in)
        var bases = minimum(w.narrow(1, 0, m - 2), w.narrow(1, 1, m - 2).SubtractedFrom(1L)).relu_();      // order-1 hats
        for (int p = 2; p <= order; p++)
        {
            long n = m - p;
            var wp = addcmul(offsets[p - 1].narrow(0, 0, n), x3, slopes[p - 1].narrow(0, 0, n), ScalarArithmetic.One);
            var weighted = wp * bases;                                                      // w_j b_j
            var rest = bases - weighted;                                                    // (1 − w_j) b_j
            bases = weighted.narrow(1, 0, n - 1).Plus(rest.narrow(1, 1, n - 1));
        }
        return bases;
    }

    private static (Tensor Values, Tensor? Derivatives) EvaluateInPlace(
        Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order, bool withDerivatives)
    {
        long m = knots.shape[0], k = m - 1 - order;
        var x3 = x.unsqueeze(1);                                                            // (B, 1, in)
        var ratios = addcmul(offsets[0], x3, slopes[0], ScalarArithmetic.One);                                 // (B, M−1, in): w_j at level 1
        var bases = ratios.narrow(1, 1, m - 2).SubtractedFrom(1L);                                        // (B, M−2, in): 1 − w_{j+1}
        bases.clamp_(null!, ratios.narrow(1, 0, m - 2)).relu_();                            // order-1 hats
        var scratch = ratios;                                                               // ping-pong with bases' block
        Tensor? derivatives = null;
        for (int p = 2; p <= order; p++)
        {
            long n = m - p;                                                                 // bases at order p − 1
            if (withDerivatives && p == order)
            {
                var scaled = bases * slopes[p - 1].narrow(0, 0, n).Times(order);              // (B, K + 1, in)
                derivatives = scaled.narrow(1, 0, k) - scaled.narrow(1, 1, k);
            }
            var weighted = scratch.narrow(1, 0, n);
            weighted.copy_(offsets[p - 1].narrow(0, 0, n)).addcmul_(x3, slopes[p - 1].narrow(0, 0, n), ScalarArithmetic.One).mul_(bases); // w_j b_j
            var rest = bases.sub_(weighted);                                                // (1 − w_j) b_j
            if (p == order)
                return (weighted.narrow(1, 0, n - 1).Plus(rest.narrow(1, 1, n - 1)), derivatives);
            var raised = weighted.narrow(1, 0, n - 1).PlusInPlace(rest.narrow(1, 1, n - 1));       // in the scratch block
            scratch = bases;
            bases = raised;
        }
        return (bases.contiguous(), derivatives);
    }
}
