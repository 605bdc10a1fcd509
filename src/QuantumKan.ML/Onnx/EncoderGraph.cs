using QuantumKan.Nn.Encoders;
using QuantumKan.Onnx;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// The frame encoders as ONNX nodes, for inference (eval mode): every BatchNorm is folded into the convolution before
/// it (W·s, bias t with s = γ/√(σ²+ε), t = β − μ·s), or into one per-channel multiply-add after a KAN filter. The time
/// axis is symbolic, so one graph encodes clips and patches of any length; unpadded input needs no masks.
/// </summary>
internal static class EncoderGraph
{
    private const double BatchNormEpsilon = 1e-5;   // torch.nn.BatchNorm's default, which the encoders use

    /// <summary>Standardized frames (P, T, M) → clip vectors (P, OutputSize).</summary>
    public static string Add(OnnxGraphBuilder g, string frames, NetworkWeights w, FrameEncoderOptions options, int melBands)
    {
        const string p = "frame_encoder.";
        var c = options.Channels;
        string sequence;
        switch (options.Kind)
        {
            case FrameEncoderKind.Temporal:
            {
                var x = g.Transpose(frames, 0, 2, 1);                                              // (P, M, T)
                x = g.Relu(Conv(g, x, w, p + "stem.", p + "stem_norm.", melBands, c[0], 3, 1, 1, twoD: false));
                for (int i = 1; i < c.Length; i++)
                {
                    string b = $"{p}blocks.{i - 1}.";
                    var h = g.Relu(Conv(g, x, w, b + "conv1.", b + "norm1.", c[i - 1], c[i], options.Kernel, 2, options.Kernel / 2, twoD: false));
                    var y = g.Add(Conv(g, h, w, b + "conv2.", b + "norm2.", c[i], c[i], options.Kernel, 1, options.Kernel / 2, twoD: false),
                                  Conv(g, x, w, b + "shortcut.", b + "shortcut_norm.", c[i - 1], c[i], 1, 2, 0, twoD: false));
                    x = g.Relu(y);
                }
                sequence = x;                                                                      // (P, C, T')
                break;
            }
            case FrameEncoderKind.Conv2d:
            {
                var x = g.Unsqueeze(frames, 1);                                                    // (P, 1, T, M)
                x = g.Relu(Conv(g, x, w, p + "stem.", p + "stem_norm.", 1, c[0], 3, 1, 1, twoD: true));
                for (int i = 1; i < c.Length; i++)
                {
                    string b = $"{p}blocks.{i - 1}.";
                    var h = g.Relu(Conv(g, x, w, b + "conv1.", b + "norm1.", c[i - 1], c[i], 3, 2, 1, twoD: true));
                    var y = g.Add(Conv(g, h, w, b + "conv2.", b + "norm2.", c[i], c[i], 3, 1, 1, twoD: true),
                                  Conv(g, x, w, b + "shortcut.", b + "shortcut_norm.", c[i - 1], c[i], 1, 2, 0, twoD: true));
                    x = g.Relu(y);
                }
                sequence = g.ReduceMean(x, 3, keepDims: false);                                    // (P, C, T')
                break;
            }
            case FrameEncoderKind.KanTemporal:
            {
                var x = g.Transpose(frames, 0, 2, 1);                                              // (P, M, T)
                x = Conv(g, x, w, p + "stem.", p + "stem_norm.", melBands, c[0], 3, 1, 1, twoD: false);
                for (int i = 1; i < c.Length; i++)
                    x = KanConvBlock(g, x, w, $"{p}blocks.{i - 1}.", c[i - 1], c[i], options);
                sequence = x;
                break;
            }
            default:
                throw new NotSupportedException($"ONNX export: frame encoder {options.Kind} is not supported.");
        }
        return Pool(g, sequence, w, p + "pooling.", options.Pooling);
    }

    /// <summary>
    /// BN(KAN(unfold(x))) + BN(conv 1 s2 (x)). The unfold (windows of K frames, stride 2, K/2 zeros each side) is a
    /// grouped convolution with one-hot kernels, which copies values exactly: (P, Cin, T) → (P, Cin·K, T'), channel
    /// c·K + k holding frame 2t' + k − K/2 of channel c, the order torch's unfold + permute + reshape gives.
    /// </summary>
    private static string KanConvBlock(OnnxGraphBuilder g, string x, NetworkWeights w, string b, int inChannels, int outChannels, FrameEncoderOptions options)
    {
        int k = options.KanKernel;
        var oneHot = new float[inChannels * k * k];
        for (int ch = 0; ch < inChannels; ch++)
            for (int j = 0; j < k; j++)
                oneHot[(ch * k + j) * k + j] = 1f;
        var windows = g.Op("Conv", [x, g.Floats(b + "unfold", oneHot, inChannels * k, 1, k)],
            OnnxGraphBuilder.Attr("group", (long)inChannels), OnnxGraphBuilder.Attr("kernel_shape", [(long)k]),
            OnnxGraphBuilder.Attr("strides", [2L]), OnnxGraphBuilder.Attr("pads", [(long)(k / 2), k / 2]));   // (P, Cin·K, T')
        var rows = g.Reshape(g.Transpose(windows, 0, 2, 1), -1, (long)inChannels * k);             // (P·T', Cin·K)
        var filtered = KanLayerGraph.Add(g, rows, w, b + "filter.", options.KanFilter);            // (P·T', Cout)
        var leading = g.Op("Shape", [windows], OnnxGraphBuilder.Attr("end", 1L));                  // (1): P
        var time = g.Op("Shape", [windows], OnnxGraphBuilder.Attr("start", 2L), OnnxGraphBuilder.Attr("end", 3L)); // (1): T'
        var shape = g.Concat(0, leading, time, g.Int64s(outChannels));
        var sequence = g.Transpose(g.Op("Reshape", [filtered, shape]), 0, 2, 1);                   // (P, Cout, T')
        var (scale, shift) = FoldedBatchNorm(w, b + "norm.");
        var normalized = g.Add(g.Mul(sequence, g.Floats(b + "norm_s", scale, outChannels, 1)), g.Floats(b + "norm_t", shift, outChannels, 1));
        return g.Add(normalized, Conv(g, x, w, b + "shortcut.", b + "shortcut_norm.", inChannels, outChannels, 1, 2, 0, twoD: false));
    }

    /// <summary>A bias-free convolution followed by its BatchNorm, folded into one Conv with bias.</summary>
    private static string Conv(OnnxGraphBuilder g, string x, NetworkWeights w, string conv, string norm, int inChannels, int outChannels,
        int kernel, int stride, int padding, bool twoD)
    {
        var weight = w.Values(conv + "weight");                                                    // (Cout, Cin·K[·K])
        var (scale, shift) = FoldedBatchNorm(w, norm);
        int perOutput = weight.Length / outChannels;
        var folded = new float[weight.Length];
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < perOutput; i++)
                folded[o * perOutput + i] = (float)(weight[o * perOutput + i] * (double)scale[o]);
        long[] shape = twoD ? [outChannels, inChannels, kernel, kernel] : [outChannels, inChannels, kernel];
        long[] kernelShape = twoD ? [kernel, kernel] : [kernel];
        long[] strides = twoD ? [stride, stride] : [stride];
        long[] pads = twoD ? [padding, padding, padding, padding] : [padding, padding];
        string hint = conv.TrimEnd('.').Replace('.', '_');
        return g.Op("Conv", [x, g.Floats(hint + "_w", folded, shape), g.Floats(hint + "_b", shift, outChannels)],
            OnnxGraphBuilder.Attr("kernel_shape", kernelShape), OnnxGraphBuilder.Attr("strides", strides), OnnxGraphBuilder.Attr("pads", pads));
    }

    /// <summary>Eval-mode BatchNorm as y = x·s + t per channel, computed in float64 and rounded once.</summary>
    private static (float[] Scale, float[] Shift) FoldedBatchNorm(NetworkWeights w, string norm)
    {
        var gamma = w.Values(norm + "weight");
        var beta = w.Values(norm + "bias");
        var mean = w.Values(norm + "running_mean");
        var variance = w.Values(norm + "running_var");
        var scale = new float[gamma.Length];
        var shift = new float[gamma.Length];
        for (int c = 0; c < gamma.Length; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + BatchNormEpsilon);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - mean[c] * s);
        }
        return (scale, shift);
    }

    /// <summary>Time pooling of (P, C, T) → (P, 2C) mean | max, or (P, C) attention-weighted.</summary>
    private static string Pool(OnnxGraphBuilder g, string sequence, NetworkWeights w, string prefix, TimePoolingKind kind)
    {
        if (kind == TimePoolingKind.MeanMax)
            return g.Concat(1, g.ReduceMean(sequence, 2, keepDims: false), g.ReduceMax(sequence, 2, keepDims: false));
        var (weight, shape) = w.Get(prefix + "attention_score.weight");                            // (1, C)
        int channels = (int)shape[1];
        var score = g.Linear(g.Transpose(sequence, 0, 2, 1), "attention", weight, 1, channels, w.Values(prefix + "attention_score.bias")); // (P, T, 1)
        var weights = g.Op("Softmax", [g.Transpose(score, 0, 2, 1)], OnnxGraphBuilder.Attr("axis", 2L));        // (P, 1, T)
        return g.ReduceSum(g.Mul(sequence, weights), 2, keepDims: false);
    }
}
