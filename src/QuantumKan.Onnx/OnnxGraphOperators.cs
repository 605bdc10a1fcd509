namespace QuantumKan.Onnx;

/// <summary>The operators the QuantumKan graphs use, one line each, named as in the ONNX operator list.</summary>
public static class OnnxGraphOperators
{
    public static string Add(this OnnxGraphBuilder g, string a, string b) => g.Op("Add", [a, b]);
    public static string Sub(this OnnxGraphBuilder g, string a, string b) => g.Op("Sub", [a, b]);
    public static string Mul(this OnnxGraphBuilder g, string a, string b) => g.Op("Mul", [a, b]);
    public static string Div(this OnnxGraphBuilder g, string a, string b) => g.Op("Div", [a, b]);
    public static string Add(this OnnxGraphBuilder g, string a, float b) => g.Add(a, g.Scalar(b));
    public static string Mul(this OnnxGraphBuilder g, string a, float b) => g.Mul(a, g.Scalar(b));
    public static string Div(this OnnxGraphBuilder g, string a, float b) => g.Div(a, g.Scalar(b));

    /// <summary>b − a for a scalar b (e.g. 1 − x).</summary>
    public static string RSub(this OnnxGraphBuilder g, float b, string a) => g.Sub(g.Scalar(b), a);

    public static string MatMul(this OnnxGraphBuilder g, string a, string b) => g.Op("MatMul", [a, b]);
    public static string Min(this OnnxGraphBuilder g, string a, string b) => g.Op("Min", [a, b]);
    public static string Max(this OnnxGraphBuilder g, string a, string b) => g.Op("Max", [a, b]);
    public static string Unary(this OnnxGraphBuilder g, string op, string x) => g.Op(op, [x]);
    public static string Relu(this OnnxGraphBuilder g, string x) => g.Op("Relu", [x]);

    /// <summary>
    /// tanh x to about 1 ulp. OnnxRuntime's Tanh kernel is a fast approximation about 4 ulp off near ±1, and the
    /// Chebyshev recurrence multiplies that error by up to K², which alone broke the 1e-5 parity with torch. Here:
    /// sign(x)·(1 − 2/(e^{2|x|} + 1)) for |x| ≥ 0.625, Lambert's continued fraction (six levels, truncation below 1e-11)
    /// inside, where the subtraction would cancel.
    /// </summary>
    public static string Tanh(this OnnxGraphBuilder g, string x)
    {
        var a = g.Unary("Abs", x);
        var outer = g.RSub(1f, g.Div(g.Scalar(2f), g.Add(g.Unary("Exp", g.Mul(a, 2f)), 1f)));
        var a2 = g.Square(a);
        var fraction = g.Add(g.Div(a2, g.Scalar(11f)), 9f);
        foreach (var odd in new[] { 7f, 5f, 3f, 1f })
            fraction = g.Add(g.Div(a2, fraction), odd);
        var inner = g.Div(a, fraction);
        var magnitude = g.Op("Where", [g.Op("Less", [a, g.Scalar(0.625f)]), inner, outer]);
        return g.Mul(g.Unary("Sign", x), magnitude);
    }

    /// <summary>
    /// The logistic function as 1/(1 + e^{−x}), accurate in relative terms everywhere. OnnxRuntime's Sigmoid kernel is a
    /// fast approximation whose relative error reaches 2e-3 for negative x, which x·σ(x) (SiLU) turns into absolute error.
    /// </summary>
    public static string Sigmoid(this OnnxGraphBuilder g, string x) =>
        g.Unary("Reciprocal", g.Add(g.Unary("Exp", g.Op("Neg", [x])), 1f));

    /// <summary>SiLU, x·σ(x).</summary>
    public static string Silu(this OnnxGraphBuilder g, string x) => g.Mul(x, g.Sigmoid(x));

    public static string Square(this OnnxGraphBuilder g, string x) => g.Mul(x, x);

    public static string Unsqueeze(this OnnxGraphBuilder g, string x, params long[] axes) => g.Op("Unsqueeze", [x, g.Int64s(axes)]);
    public static string Squeeze(this OnnxGraphBuilder g, string x, params long[] axes) => g.Op("Squeeze", [x, g.Int64s(axes)]);
    public static string Reshape(this OnnxGraphBuilder g, string x, params long[] shape) => g.Op("Reshape", [x, g.Int64s(shape)]);
    public static string Transpose(this OnnxGraphBuilder g, string x, params long[] perm) => g.Op("Transpose", [x], OnnxGraphBuilder.Attr("perm", perm));
    public static string Concat(this OnnxGraphBuilder g, long axis, params string[] parts) =>
        parts.Length == 1 ? parts[0] : g.Op("Concat", parts, OnnxGraphBuilder.Attr("axis", axis));

    /// <summary>x[start:end] along one axis (end may be long.MaxValue for "to the end").</summary>
    public static string Slice(this OnnxGraphBuilder g, string x, long axis, long start, long end) =>
        g.Op("Slice", [x, g.Int64s(start), g.Int64s(end), g.Int64s(axis)]);

    public static string ReduceMean(this OnnxGraphBuilder g, string x, long axis, bool keepDims) =>
        g.Op("ReduceMean", [x], OnnxGraphBuilder.Attr("axes", [axis]), OnnxGraphBuilder.Attr("keepdims", keepDims ? 1 : 0));
    public static string ReduceMax(this OnnxGraphBuilder g, string x, long axis, bool keepDims) =>
        g.Op("ReduceMax", [x], OnnxGraphBuilder.Attr("axes", [axis]), OnnxGraphBuilder.Attr("keepdims", keepDims ? 1 : 0));
    public static string ReduceSum(this OnnxGraphBuilder g, string x, long axis, bool keepDims) =>
        g.Op("ReduceSum", [x, g.Int64s(axis)], OnnxGraphBuilder.Attr("keepdims", keepDims ? 1 : 0));

    /// <summary>
    /// Layer normalization over the last axis, (x − mean)·(1/√(var + ε)) [·scale + bias], as torch computes it: the
    /// variance from the centred values (two passes). OnnxRuntime's LayerNormalization kernel takes E[x²] − E[x]² in
    /// float32, which loses digits when a row's mean is large against its spread.
    /// </summary>
    public static string LayerNorm(this OnnxGraphBuilder g, string x, string? scale, string? bias, float epsilon)
    {
        var centred = g.Sub(x, g.ReduceMean(x, -1, keepDims: true));
        var variance = g.ReduceMean(g.Square(centred), -1, keepDims: true);
        var y = g.Mul(centred, g.Unary("Reciprocal", g.Op("Sqrt", [g.Add(variance, epsilon)])));
        if (scale is not null)
            y = g.Mul(y, scale);
        return bias is null ? y : g.Add(y, bias);
    }

    /// <summary>x @ wᵀ + b for a (out, in) weight given row-major, as torch's linear: one MatMul with the transposed weight.</summary>
    public static string Linear(this OnnxGraphBuilder g, string x, string hint, float[] weight, int outFeatures, int inFeatures, float[]? bias)
    {
        var transposed = new float[weight.Length];
        for (int o = 0; o < outFeatures; o++)
            for (int i = 0; i < inFeatures; i++)
                transposed[i * outFeatures + o] = weight[o * inFeatures + i];
        var y = g.MatMul(x, g.Floats(hint + "_wt", transposed, inFeatures, outFeatures));
        return bias is null ? y : g.Add(y, g.Floats(hint + "_b", bias, outFeatures));
    }
}
