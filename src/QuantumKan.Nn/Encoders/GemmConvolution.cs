using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// 1-D convolution as im2col + one matrix product: <c>x (B, Cin, T)</c> → zero-pad → windows <c>(B, T', Cin·K)</c> →
/// <c>(B, T', Cin·K) · Wᵀ</c> → <c>(B, Cout, T')</c>, with <c>T' = ⌊(T + 2p − K)/s⌋ + 1</c>. Bias-free (BatchNorm follows).
/// </summary>
/// <remarks>
/// Why not <c>nn.Conv1d</c>: libtorch 2.10's CPU convolution backward (TorchSharp 0.107) intermittently returns NaN input
/// gradients for short sequences (about one backward in four for T = 4, K = 9; reproduced in
/// <c>EncoderGradients_StayFinite_OnShortClips</c>), which made training skip steps at random. Unfold's backward is an
/// index scatter and the product's backward is two GEMMs, both exact; the forward computes the same sums.
/// </remarks>
internal sealed class GemmConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // (Cout, Cin·K), input-channel-major like nn.Conv1d's (Cout, Cin, K)
    private readonly int _kernel, _stride, _padding;

    public GemmConv1d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0) : base(nameof(GemmConv1d))
    {
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        InChannels = inChannels;
        double bound = 1 / Math.Sqrt(inChannels * kernel);   // nn.Conv1d's default (Kaiming uniform, a = √5)
        weight = nn.Parameter(empty(outChannels, inChannels * kernel).uniform_(-bound, bound));
        RegisterComponents();
    }

    public int InChannels { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0];
        var padded = _padding > 0 ? nn.functional.pad(x, [_padding, _padding]) : x;
        var windows = padded.unfold(2, _kernel, _stride);                             // (B, Cin, T', K)
        var rows = windows.permute(0, 2, 1, 3).reshape(batch, windows.shape[2], -1);  // (B, T', Cin·K)
        return rows.matmul(weight.t()).transpose(1, 2).MoveToOuterDisposeScope();     // (B, Cout, T')
    }
}

/// <summary>
/// 2-D convolution as im2col (<c>nn.functional.unfold</c>) + one matrix product: <c>(B, Cin, H, W)</c> →
/// <c>(B, Cout, H', W')</c>. Bias-free. Same reason as <see cref="GemmConv1d"/>.
/// </summary>
internal sealed class GemmConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // (Cout, Cin·K·K)
    private readonly int _kernel, _stride, _padding;

    public GemmConv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0) : base(nameof(GemmConv2d))
    {
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        double bound = 1 / Math.Sqrt(inChannels * kernel * kernel);
        weight = nn.Parameter(empty(outChannels, inChannels * kernel * kernel).uniform_(-bound, bound));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        long outHeight = (height + 2 * _padding - _kernel) / _stride + 1, outWidth = (width + 2 * _padding - _kernel) / _stride + 1;
        var columns = nn.functional.unfold(x, (_kernel, _kernel), padding: (_padding, _padding), stride: (_stride, _stride)); // (B, Cin·K², H'·W')
        var y = weight.matmul(columns);                                                // (B, Cout, H'·W')
        return y.view(batch, -1, outHeight, outWidth).MoveToOuterDisposeScope();
    }
}
