using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// 2-D residual convolution over time × frequency (VGG/ResNet-like):
/// <code>
/// (B, T, M) → (B, 1, T, M) → stem: conv 3×3 (1 → C0) + BN + ReLU
///   → per block i: ReLU( BN(conv 3×3 (ReLU(BN(conv 3×3 s2 (x))))) + BN(conv 1×1 s2 (x)) )      (T, M) → (⌈T/2⌉, ⌈M/2⌉)
///   → mean over frequency (B, C_last, T') → time pooling → (B, 2·C_last) or (B, C_last)
/// </code>
/// </summary>
public sealed class Conv2dEncoder : FrameEncoder
{
    private readonly EncoderConv2d stem;
    private readonly BatchNorm2d stem_norm;
    private readonly ModuleList<Conv2dResidualBlock> blocks;
    private readonly TimePooling pooling;

    /// <summary>Builds the encoder for frames of <paramref name="melBands"/> bands.</summary>
    public Conv2dEncoder(int melBands, FrameEncoderOptions options) : base(nameof(Conv2dEncoder), melBands, options)
    {
        var c = options.Channels;
        stem = new EncoderConv2d(1, c[0], 3, padding: 1);
        stem_norm = nn.BatchNorm2d(c[0]);
        blocks = new ModuleList<Conv2dResidualBlock>(
            Enumerable.Range(1, c.Length - 1).Select(i => new Conv2dResidualBlock(c[i - 1], c[i])).ToArray());
        pooling = new TimePooling(c[^1], options.Pooling);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => pooling.OutputSize;

    private protected override (Tensor Sequence, Tensor? Lengths) EncodeSequence(Tensor frames, Tensor? lengths)
    {
        // Channels-last from the input on (see ChannelsLast).
        var x = frames.unsqueeze(3).permute(0, 3, 1, 2);                                               // (B, 1, T, M)
        var stemmed = ChannelsLast(stem_norm.call(stem.call(x)));                                      // (B, C0, T, M)
        x = FrameEncoderMasking.Apply(nn.functional.relu(stemmed), TimeMask(lengths, x.shape[2], x.dtype)); // (B, C0, T, M)
        (x, lengths) = RunHalvingBlocks(x, lengths, blocks, (block, h, mask) => block.Forward(h, mask)); // (B, C, T', F')
        return (x.mean([3]), lengths);                                                                 // (B, C, T')
    }

    private protected override Tensor Pool(Tensor sequence, Tensor? lengths) => pooling.Pool(sequence, lengths);

    /// <summary>
    /// The same values in channels-last memory order (B, H, W, C); convolutions and BatchNorm keep that order, so every
    /// block after the stem runs channels-last, in training and in evaluation. On an AVX-512 machine (AMD EPYC,
    /// 2026-12-08) libtorch's contiguous (NCHW) CPU convolutions with channel counts that are not multiples of 16 gave
    /// NaN input gradients (`QuantumKan.Bench conv-gradients` probes it) and NaN clip outputs in evaluation; channels-last
    /// gave none (`EncoderGradients_StayFinite_OnShortClips`, `EvalForwards_StayFinite_AtAnyLength`).
    /// The stem's one-channel input enters channels-last too (a view). Models saved before score the same up to float
    /// rounding.
    /// </summary>
    private static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}

/// <summary>One halving residual block of <see cref="Conv2dEncoder"/>.</summary>
internal sealed class Conv2dResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly EncoderConv2d conv1;
    private readonly BatchNorm2d norm1;
    private readonly EncoderConv2d conv2;
    private readonly BatchNorm2d norm2;
    private readonly EncoderConv2d shortcut;
    private readonly BatchNorm2d shortcut_norm;

    public Conv2dResidualBlock(int inChannels, int outChannels) : base(nameof(Conv2dResidualBlock))
    {
        conv1 = new EncoderConv2d(inChannels, outChannels, 3, stride: 2, padding: 1);
        norm1 = nn.BatchNorm2d(outChannels);
        conv2 = new EncoderConv2d(outChannels, outChannels, 3, padding: 1);
        norm2 = nn.BatchNorm2d(outChannels);
        shortcut = new EncoderConv2d(inChannels, outChannels, 1, stride: 2);
        shortcut_norm = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, Cin, T, F), already masked → (B, Cout, ⌈T/2⌉, ⌈F/2⌉), masked with (B, 1, ⌈T/2⌉).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var h = FrameEncoderMasking.Apply(nn.functional.relu(norm1.call(conv1.call(x))), mask);
        var y = norm2.call(conv2.call(h)).Plus(shortcut_norm.call(shortcut.call(x)));
        return FrameEncoderMasking.Apply(nn.functional.relu(y), mask).MoveToOuterDisposeScope();
    }
}
