using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// Bias-free 1-D convolution (BatchNorm follows every one): <c>x (B, Cin, T)</c> → <c>(B, Cout, T')</c>,
/// <c>T' = ⌊(T + 2p − K)/s⌋ + 1</c>, computed by libtorch's <c>conv1d</c> (oneDNN on CPU).
/// </summary>
/// <remarks>
/// The weight is stored as <c>(Cout, Cin·K)</c>, input-channel-major (the layout of <c>nn.Conv1d</c>'s
/// <c>(Cout, Cin, K)</c> flattened), because models saved by versions that computed these convolutions as im2col + GEMM
/// hold it in that shape; the forward views it as <c>(Cout, Cin, K)</c>, so those models load and score the same (up to
/// float rounding: the sums run in another order).
/// </remarks>
internal sealed class EncoderConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // (Cout, Cin·K)
    private readonly long _outChannels;
    private readonly int _kernel, _stride, _padding;

    public EncoderConv1d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0) : base(nameof(EncoderConv1d))
    {
        _outChannels = outChannels;
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        InChannels = inChannels;
        double bound = 1 / Math.Sqrt(inChannels * kernel);   // nn.Conv1d's default (Kaiming uniform, a = √5)
        weight = nn.Parameter(empty(outChannels, inChannels * kernel).uniform_(-bound, bound));
        RegisterComponents();
    }

    public int InChannels { get; }

    public override Tensor forward(Tensor x) => PointwiseStrided
        ? nn.functional.conv1d(x.slice(2, 0, x.shape[2], _stride), weight.view(_outChannels, InChannels, _kernel))
        : nn.functional.conv1d(x, weight.view(_outChannels, InChannels, _kernel), stride: _stride, padding: _padding);

    /// <summary>
    /// A strided 1-wide convolution without padding (the residual shortcuts) runs as "take every s-th step, then a
    /// stride-1 convolution", which is the same sum: oneDNN's strided 1×1 backward-weights kernel writes past its
    /// workspace when the input has fewer channels than its register block (uxlfoundation/oneDNN#6035; seen here as
    /// NaN gradients, weights overwritten and crashed test hosts on an AVX-512 machine), and the stride-1 kernel
    /// needs no workspace.
    /// </summary>
    private bool PointwiseStrided => _kernel == 1 && _stride > 1 && _padding == 0;

    /// <summary>
    /// The same convolution on a time row of height 1: <c>x (B, Cin, 1, T)</c> → <c>(B, Cout, 1, T')</c>, by
    /// libtorch's <c>conv2d</c> with the weight viewed as <c>(Cout, Cin, 1, K)</c>. Unlike <c>conv1d</c>, which makes
    /// its input contiguous first, <c>conv2d</c> keeps a channels-last input (memory order B, T, C) channels-last, so
    /// oneDNN convolves it without reordering and the output comes back channels-last too.
    /// </summary>
    public Tensor ForwardRow(Tensor x) => PointwiseStrided
        ? nn.functional.conv2d(x.slice(3, 0, x.shape[3], _stride), weight.view(_outChannels, InChannels, 1, _kernel))
        : nn.functional.conv2d(x, weight.view(_outChannels, InChannels, 1, _kernel), strides: [1, _stride], padding: [0, _padding]);
}

/// <summary>
/// Bias-free 2-D convolution with a square kernel: <c>(B, Cin, H, W)</c> → <c>(B, Cout, H', W')</c>, by libtorch's
/// <c>conv2d</c>. Weight stored as <c>(Cout, Cin·K·K)</c> for the same reason as <see cref="EncoderConv1d"/>.
/// </summary>
internal sealed class EncoderConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // (Cout, Cin·K·K)
    private readonly long _inChannels, _outChannels;
    private readonly int _kernel, _stride, _padding;

    public EncoderConv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0) : base(nameof(EncoderConv2d))
    {
        _inChannels = inChannels;
        _outChannels = outChannels;
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        double bound = 1 / Math.Sqrt(inChannels * kernel * kernel);
        weight = nn.Parameter(empty(outChannels, inChannels * kernel * kernel).uniform_(-bound, bound));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => PointwiseStrided
        ? nn.functional.conv2d(x.slice(2, 0, x.shape[2], _stride).slice(3, 0, x.shape[3], _stride), weight.view(_outChannels, _inChannels, 1, 1))
        : nn.functional.conv2d(x, weight.view(_outChannels, _inChannels, _kernel, _kernel),
            strides: [_stride, _stride], padding: [_padding, _padding]);

    // A strided 1×1 convolution without padding runs as a strided slice and a stride-1 convolution, for the reason
    // given on EncoderConv1d (uxlfoundation/oneDNN#6035).
    private bool PointwiseStrided => _kernel == 1 && _stride > 1 && _padding == 0;
}
