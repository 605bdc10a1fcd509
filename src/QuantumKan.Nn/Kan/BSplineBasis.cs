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
        var column = arange(-order, gridSize + order + 1, dtype: ScalarType.Float64) * step + min; // (M)
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
            var slope = where(span > 0, span.reciprocal(), zeros_like(span));
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
            sum.add_(knots.narrow(0, p, k));
        return sum / order;
    }

    /// <summary>
    /// Evaluates all K = M − 1 − k bases: <c>x: (B, in)</c> → <c>(B, K, in)</c>. Outside [t_0, t_{M−1}) every basis is 0.
    /// </summary>
    /// <remarks>
    /// Cox–de Boor with right = 1 − w_{j+1}: b_j^p = w_j b_j + (1 − w_{j+1}) b_{j+1} = b_{j+1} + (w b)_j − (w b)_{j+1},
    /// which costs one multiply-add, one product and two adds per level over the whole (B, ·, in) block.
    /// </remarks>
    public static Tensor Evaluate(Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order)
    {
        long m = knots.shape[0];
        var x3 = x.unsqueeze(1);                                     // (B, 1, in)
        var step = (x3 >= knots).to(x.dtype);                        // (B, M, in): 1 where t_j ≤ x
        var bases = step.narrow(1, 0, m - 1) - step.narrow(1, 1, m - 1); // (B, M−1, in): order 0, 1 on [t_j, t_{j+1})
        for (int p = 1; p <= order; p++)
        {
            long n = m - p;                                         // bases at order p−1
            var w = addcmul(offsets[p - 1].narrow(0, 0, n), x3, slopes[p - 1].narrow(0, 0, n), 1); // (B, n, in)
            var wb = w * bases;
            var next = bases.narrow(1, 1, n - 1) - wb.narrow(1, 1, n - 1);
            bases = next.add_(wb.narrow(1, 0, n - 1));              // (B, n−1, in)
        }
        return bases;
    }
}
