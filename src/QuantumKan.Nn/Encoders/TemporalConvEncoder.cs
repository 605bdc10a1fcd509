using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// TC-ResNet-like 1-D temporal convolution: the M mel bands are the input channels.
/// <code>
/// (B, T, M) → (B, M, T) → stem: conv k3 (M → C0) + BN + ReLU
///   → per block i: ReLU( BN(conv k(Ci) s1 (ReLU(BN(conv k (C_{i-1} → Ci) s2 (x))))) + BN(conv 1 s2 (x)) )   time ⌈T/2⌉
///   → time pooling → (B, 2·C_last) or (B, C_last)
/// </code>
/// </summary>
public sealed class TemporalConvEncoder : FrameEncoder
{
    private readonly EncoderConv1d stem;
    private readonly BatchNorm1d stem_norm;
    private readonly ModuleList<TemporalResidualBlock> blocks;
    private readonly TimePooling pooling;

    /// <summary>Builds the encoder for frames of <paramref name="melBands"/> bands.</summary>
    public TemporalConvEncoder(int melBands, FrameEncoderOptions options) : base(nameof(TemporalConvEncoder), melBands, options)
    {
        var c = options.Channels;
        stem = new EncoderConv1d(melBands, c[0], 3, padding: 1);
        stem_norm = nn.BatchNorm1d(c[0]);
        blocks = new ModuleList<TemporalResidualBlock>(
            Enumerable.Range(1, c.Length - 1).Select(i => new TemporalResidualBlock(c[i - 1], c[i], options.Kernel)).ToArray());
        pooling = new TimePooling(c[^1], options.Pooling);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => pooling.OutputSize;

    private protected override (Tensor Sequence, Tensor? Lengths) EncodeSequence(Tensor frames, Tensor? lengths)
    {
        var x = frames.transpose(1, 2);                                                   // (B, M, T)
        var mask = TimeMask(lengths, x.shape[2], x.dtype);
        x = FrameEncoderMasking.Apply(nn.functional.relu(stem_norm.call(stem.call(x))), mask);           // (B, C0, T)
        return RunHalvingBlocks(x, lengths, blocks, (block, h, mask) => block.Forward(h, mask));        // (B, C, T')
    }

    private protected override Tensor Pool(Tensor sequence, Tensor? lengths) => pooling.Pool(sequence, lengths);
}

/// <summary>One halving residual block of <see cref="TemporalConvEncoder"/>.</summary>
internal sealed class TemporalResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly EncoderConv1d conv1;
    private readonly BatchNorm1d norm1;
    private readonly EncoderConv1d conv2;
    private readonly BatchNorm1d norm2;
    private readonly EncoderConv1d shortcut;
    private readonly BatchNorm1d shortcut_norm;

    public TemporalResidualBlock(int inChannels, int outChannels, int kernel) : base(nameof(TemporalResidualBlock))
    {
        conv1 = new EncoderConv1d(inChannels, outChannels, kernel, stride: 2, padding: kernel / 2);
        norm1 = nn.BatchNorm1d(outChannels);
        conv2 = new EncoderConv1d(outChannels, outChannels, kernel, padding: kernel / 2);
        norm2 = nn.BatchNorm1d(outChannels);
        shortcut = new EncoderConv1d(inChannels, outChannels, 1, stride: 2);
        shortcut_norm = nn.BatchNorm1d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, Cin, T), already masked → (B, Cout, ⌈T/2⌉), masked with <paramref name="mask"/> (B, 1, ⌈T/2⌉).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var h = FrameEncoderMasking.Apply(nn.functional.relu(norm1.call(conv1.call(x))), mask);
        var y = norm2.call(conv2.call(h)).Plus(shortcut_norm.call(shortcut.call(x)));
        return FrameEncoderMasking.Apply(nn.functional.relu(y), mask).MoveToOuterDisposeScope();
    }
}

/// <summary>The masking rule shared by the encoders, the pooling and the network's frame statistics.</summary>
public static class FrameEncoderMasking
{
    /// <summary>(B, T) bool: position t of clip b is valid, t &lt; lengths[b].</summary>
    /// <param name="lengths">Valid frames per clip, (B) int64.</param>
    /// <param name="time">T, the padded length.</param>
    public static Tensor Valid(Tensor lengths, long time) =>
        ScalarArithmetic.Arange(time, ScalarType.Int64, lengths.device).unsqueeze(0) < lengths.unsqueeze(1);

    /// <summary>Zeroes positions past each clip's length: x (B, C, T) or (B, C, T, F) with a (B, 1, T) mask.</summary>
    public static Tensor Apply(Tensor x, Tensor? mask) =>
        mask is null ? x : x * (x.dim() == 4 ? mask.unsqueeze(3) : mask);
}
