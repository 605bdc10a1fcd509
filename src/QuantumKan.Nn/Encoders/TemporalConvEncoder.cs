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
/// Internally the sequence is a row of height 1, <c>(B, C, 1, T)</c>, convolved by <c>conv2d</c>
/// (<see cref="EncoderConv1d.ForwardRow"/>) and normalized by 2-D BatchNorm (the same statistics per channel as 1-D
/// BatchNorm over (B, T); the parameters and buffers are the same). The frames enter channels-last: <c>(B, T, M)</c>
/// viewed as <c>(B, M, 1, T)</c> without a copy, and every convolution, BatchNorm, ReLU and sum after it stays
/// channels-last, so oneDNN and libtorch's channels-last BatchNorm kernels run without reorders (the backward pass
/// gains most: about a quarter of the encoder's forward + backward time at batch 32, 2 threads). Evaluation runs
/// channels-last too (until 2026-12-08 it made the row contiguous, the layout <c>conv1d</c> uses): on an AVX-512
/// machine libtorch's contiguous convolutions returned NaN for whole clips when channel counts are not multiples of
/// 16, and none channels-last (README, "Known issues"). The two layouts compute the same
/// values up to float rounding.
/// </summary>
public sealed class TemporalConvEncoder : FrameEncoder
{
    private readonly EncoderConv1d stem;
    private readonly BatchNorm2d stem_norm;
    private readonly ModuleList<TemporalResidualBlock> blocks;
    private readonly TimePooling pooling;

    /// <summary>Builds the encoder for frames of <paramref name="melBands"/> bands.</summary>
    public TemporalConvEncoder(int melBands, FrameEncoderOptions options) : base(nameof(TemporalConvEncoder), melBands, options)
    {
        var c = options.Channels;
        stem = new EncoderConv1d(melBands, c[0], 3, padding: 1);
        stem_norm = nn.BatchNorm2d(c[0]);
        blocks = new ModuleList<TemporalResidualBlock>(
            Enumerable.Range(1, c.Length - 1).Select(i => new TemporalResidualBlock(c[i - 1], c[i], options.Kernel)).ToArray());
        pooling = new TimePooling(c[^1], options.Pooling);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => pooling.OutputSize;

    private protected override (Tensor Sequence, Tensor? Lengths) EncodeSequence(Tensor frames, Tensor? lengths)
    {
        var x = frames.unsqueeze(1).permute(0, 3, 1, 2);                                  // (B, M, 1, T), channels-last
        x = TemporalResidualBlock.Masked(nn.functional.relu(stem_norm.call(stem.ForwardRow(x))), RowMask(lengths, x.shape[3], x.dtype)); // (B, C0, 1, T)
        (x, lengths) = RunHalvingBlocks(x, lengths, blocks, (block, h, mask) => block.Forward(h, mask?.unsqueeze(2)), timeAxis: 3); // (B, C, 1, T')
        return (x.squeeze(2), lengths);                                                   // (B, C, T')
    }

    // The (B, 1, 1, T) mask of a row's valid positions, or null when every position is valid.
    private static Tensor? RowMask(Tensor? lengths, long time, ScalarType dtype) => TimeMask(lengths, time, dtype)?.unsqueeze(2);

    private protected override Tensor Pool(Tensor sequence, Tensor? lengths) => pooling.Pool(sequence, lengths);
}

/// <summary>
/// One halving residual block of <see cref="TemporalConvEncoder"/>, on rows of height 1: <c>(B, C, 1, T)</c> in either
/// layout (see the encoder); each operation keeps its input's layout.
/// </summary>
internal sealed class TemporalResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly EncoderConv1d conv1;
    private readonly BatchNorm2d norm1;
    private readonly EncoderConv1d conv2;
    private readonly BatchNorm2d norm2;
    private readonly EncoderConv1d shortcut;
    private readonly BatchNorm2d shortcut_norm;

    public TemporalResidualBlock(int inChannels, int outChannels, int kernel) : base(nameof(TemporalResidualBlock))
    {
        conv1 = new EncoderConv1d(inChannels, outChannels, kernel, stride: 2, padding: kernel / 2);
        norm1 = nn.BatchNorm2d(outChannels);
        conv2 = new EncoderConv1d(outChannels, outChannels, kernel, padding: kernel / 2);
        norm2 = nn.BatchNorm2d(outChannels);
        shortcut = new EncoderConv1d(inChannels, outChannels, 1, stride: 2);
        shortcut_norm = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, Cin, 1, T), already masked → (B, Cout, 1, ⌈T/2⌉), masked with <paramref name="mask"/> (B, 1, 1, ⌈T/2⌉).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var h = Masked(nn.functional.relu(norm1.call(conv1.ForwardRow(x))), mask);
        var y = norm2.call(conv2.ForwardRow(h)).Plus(shortcut_norm.call(shortcut.ForwardRow(x)));
        return Masked(nn.functional.relu(y), mask).MoveToOuterDisposeScope();
    }

    /// <summary>Zeroes a row's positions past each clip's length: x (B, C, 1, T) with a (B, 1, 1, T) mask, or x when null.</summary>
    internal static Tensor Masked(Tensor x, Tensor? mask) => mask is null ? x : x * mask;
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
