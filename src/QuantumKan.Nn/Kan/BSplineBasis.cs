using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// B-spline bases on per-input knot vectors (the functional core of <see cref="BSplineKanLayer"/>).
/// Knots: <c>(in, M)</c> with M = G + 2k + 1 (G intervals, order k, k extra knots on each side), giving K = G + k
/// basis functions per input.
/// </summary>
internal static class BSplineBasis
{
    /// <summary>Uniform knots over [min, max] with G intervals, extended by k knots of the same step on each side: <c>(in, G + 2k + 1)</c>.</summary>
    public static Tensor UniformKnots(int inFeatures, int gridSize, int order, double min, double max)
    {
        double step = (max - min) / gridSize;
        var row = arange(-order, gridSize + order + 1, dtype: ScalarType.Float64) * step + min; // (M)
        return row.to(ScalarType.Float32).unsqueeze(0).expand(inFeatures, -1).contiguous();
    }

    /// <summary>
    /// Per-level constants of the Cox–de Boor recursion, so the forward pass does one fused multiply-add per level
    /// instead of two subtractions and two divisions: w_j^p(x) = (x − t_j)/(t_{j+p} − t_j) = x·slope + offset.
    /// Returns <c>(k, in, M − 1)</c> slopes and offsets; level p uses the first M − p columns. A zero-length knot span
    /// (repeated knots) gets slope 0, the usual 0/0 := 0 convention.
    /// </summary>
    public static (Tensor Slopes, Tensor Offsets) RecursionTables(Tensor knots, int order)
    {
        long inFeatures = knots.shape[0], m = knots.shape[1];
        var slopes = zeros(order, inFeatures, m - 1, dtype: knots.dtype, device: knots.device);
        var offsets = zeros(order, inFeatures, m - 1, dtype: knots.dtype, device: knots.device);
        for (int p = 1; p <= order; p++)
        {
            var lower = knots.narrow(1, 0, m - p);                 // t_j
            var span = knots.narrow(1, p, m - p) - lower;           // t_{j+p} − t_j
            var slope = where(span > 0, span.reciprocal(), zeros_like(span));
            slopes[p - 1].narrow(1, 0, m - p).copy_(slope);
            offsets[p - 1].narrow(1, 0, m - p).copy_(-lower * slope);
        }
        return (slopes, offsets);
    }

    /// <summary>
    /// Evaluates all K = M − 1 − k bases: <c>x: (B, in)</c> → <c>(B, in, K)</c>. Outside [t_0, t_{M−1}) every basis is 0.
    /// </summary>
    /// <remarks>
    /// Cox–de Boor with right = 1 − w_{j+1}: b_j^p = w_j b_j + (1 − w_{j+1}) b_{j+1} = b_{j+1} + (w b)_j − (w b)_{j+1},
    /// which costs one multiply-add, one product and two adds per level over the whole (B, in, ·) block.
    /// </remarks>
    public static Tensor Evaluate(Tensor x, Tensor knots, Tensor slopes, Tensor offsets, int order)
    {
        long m = knots.shape[1];
        var x3 = x.unsqueeze(-1);                                   // (B, in, 1)
        var step = (x3 >= knots).to(x.dtype);                       // (B, in, M): 1 where t_j ≤ x
        var bases = step.narrow(-1, 0, m - 1) - step.narrow(-1, 1, m - 1); // (B, in, M−1): order 0, 1 on [t_j, t_{j+1})
        for (int p = 1; p <= order; p++)
        {
            long n = m - p;                                        // bases at order p−1
            var w = addcmul(offsets[p - 1].narrow(-1, 0, n), x3, slopes[p - 1].narrow(-1, 0, n), 1); // (B, in, n)
            var wb = w * bases;
            var next = bases.narrow(-1, 1, n - 1) - wb.narrow(-1, 1, n - 1);
            bases = next.add_(wb.narrow(-1, 0, n - 1));            // (B, in, n−1)
        }
        return bases;
    }
}
