using QuantumKan.Core;
using QuantumKan.Nn.Kan;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// KAN convolution over time. Each block's filter is one Kolmogorov–Arnold layer that reads a window of K frames of
/// all C channels (unfold to <c>(B·T', C·K)</c>, one KAN layer shared by every position, the expand-then-GEMM form of
/// <see cref="KanLayer"/>), instead of a linear kernel followed by a fixed ReLU:
/// <code>
/// (B, T, M) → (B, M, T) → stem: conv k3 (M → C0) + BN                                  (no ReLU: the KAN reads N(0, 1) inputs)
///   → per block i: BN(KAN(unfold_K,s2(x)) : C_{i-1}·K → Ci) + BN(conv 1 s2 (x))         time ⌈T/2⌉
///   → time pooling → (B, 2·C_last) or (B, C_last)
/// </code>
/// </summary>
public sealed class KanConvEncoder : FrameEncoder
{
    private readonly EncoderConv1d stem;
    private readonly BatchNorm1d stem_norm;
    private readonly ModuleList<KanConvBlock> blocks;
    private readonly TimePooling pooling;

    /// <summary>Builds the encoder for frames of <paramref name="melBands"/> bands.</summary>
    public KanConvEncoder(int melBands, FrameEncoderOptions options) : base(nameof(KanConvEncoder), melBands, options)
    {
        var c = options.Channels;
        stem = new EncoderConv1d(melBands, c[0], 3, padding: 1);
        stem_norm = nn.BatchNorm1d(c[0]);
        blocks = new ModuleList<KanConvBlock>(
            Enumerable.Range(1, c.Length - 1).Select(i => new KanConvBlock(c[i - 1], c[i], options.KanKernel, options.KanFilter)).ToArray());
        pooling = new TimePooling(c[^1], options.Pooling);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => pooling.OutputSize;

    /// <summary>The KAN regularization of every filter; a scalar.</summary>
    public Tensor RegularizationLoss(double l1Weight, double entropyWeight)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var block in blocks)
        {
            var term = block.Filter.RegularizationLoss(l1Weight, entropyWeight);
            total = total is null ? term : total.Plus(term);
        }
        return (total ?? stem_norm.weight!.sum().Times(0L)).MoveToOuterDisposeScope();
    }

    private protected override (Tensor Sequence, Tensor? Lengths) EncodeSequence(Tensor frames, Tensor? lengths)
    {
        // The stem runs as a channels-last row through conv2d (Conv2dEncoder.ChannelsLast says why: libtorch's contiguous
        // CPU convolutions returned NaN on an AVX-512 machine); same values as conv1d up to float rounding.
        var stemmed = stem.ForwardRow(frames.unsqueeze(1).permute(0, 3, 1, 2)).squeeze(2);  // (B, M, 1, T) channels-last → (B, C0, T)
        var x = FrameEncoderMasking.Apply(stem_norm.call(stemmed), TimeMask(lengths, frames.shape[1], frames.dtype)); // (B, C0, T)
        return RunHalvingBlocks(x, lengths, blocks, (block, h, mask) => block.Forward(h, mask));        // (B, C, T')
    }

    private protected override Tensor Pool(Tensor sequence, Tensor? lengths) => pooling.Pool(sequence, lengths);
}

/// <summary>One halving KAN-convolution block of <see cref="KanConvEncoder"/>.</summary>
internal sealed class KanConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly KanLayer filter;
    private readonly BatchNorm1d norm;
    private readonly EncoderConv1d shortcut;
    private readonly BatchNorm1d shortcut_norm;
    private readonly int _kernel;

    public KanConvBlock(int inChannels, int outChannels, int kernel, KanLayerOptions filterOptions) : base(nameof(KanConvBlock))
    {
        _kernel = kernel;
        filter = KanLayer.Create(inChannels * kernel, outChannels, filterOptions);
        norm = nn.BatchNorm1d(outChannels);
        shortcut = new EncoderConv1d(inChannels, outChannels, 1, stride: 2);
        shortcut_norm = nn.BatchNorm1d(outChannels);
        RegisterComponents();
    }

    public KanLayer Filter => filter;

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, Cin, T), already masked → (B, Cout, ⌈T/2⌉), masked with (B, 1, ⌈T/2⌉).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], channels = x.shape[1];
        int half = _kernel / 2;
        var windows = nn.functional.pad(x, [half, half]).unfold(2, _kernel, 2);          // (B, Cin, T', K)
        long steps = windows.shape[2];
        var rows = windows.permute(0, 2, 1, 3).reshape(batch * steps, channels * _kernel); // (B·T', Cin·K)
        var filtered = filter.call(rows).reshape(batch, steps, -1).transpose(1, 2);     // (B, Cout, T')
        var y = norm.call(filtered).Plus(shortcut_norm.call(shortcut.call(x)));
        return FrameEncoderMasking.Apply(y, mask).MoveToOuterDisposeScope();
    }
}
