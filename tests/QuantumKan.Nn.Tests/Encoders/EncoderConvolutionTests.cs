using QuantumKan.Nn.Encoders;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Encoders;

public class EncoderConvolutionTests
{
    // The strided pointwise convolutions (the residual shortcuts) run as a strided slice and a stride-1 convolution,
    // around oneDNN's strided 1×1 backward kernel (uxlfoundation/oneDNN#6035); the result must be libtorch's strided
    // convolution, values and gradients, for every length (odd lengths keep the last step).
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    public void StridedPointwiseConvolution_EqualsLibtorchsStridedConvolution(int length)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var conv1 = new EncoderConv1d(6, 10, 1, stride: 2);
        using var conv2 = new EncoderConv2d(6, 10, 1, stride: 2);
        var weight1 = conv1.parameters().Single();
        var weight2 = conv2.parameters().Single();
        var x = randn(3, 6, length).requires_grad_(true);
        var image = randn(3, 6, length, 5).requires_grad_(true);

        var y1 = conv1.call(x);
        var reference1 = nn.functional.conv1d(x, weight1.view(10, 6, 1), stride: 2);
        Assert.Equal(reference1.shape, y1.shape);
        Assert.True(y1.allclose(reference1, rtol: 1e-5, atol: 1e-6));
        var row = conv1.ForwardRow(x.unsqueeze(2)).squeeze(2);
        Assert.True(row.allclose(reference1, rtol: 1e-5, atol: 1e-6));

        var y2 = conv2.call(image);
        var reference2 = nn.functional.conv2d(image, weight2.view(10, 6, 1, 1), strides: [2, 2]);
        Assert.Equal(reference2.shape, y2.shape);
        Assert.True(y2.allclose(reference2, rtol: 1e-5, atol: 1e-6));

        // Gradients: every second step of the input gets the weight's column sums, the others nothing.
        var g = randn_like(y1);
        var ours = autograd.grad([(y1 * g).sum()], [x, weight1]);
        var libtorchs = autograd.grad([(reference1 * g).sum()], [x, weight1]);
        Assert.True(ours[0].allclose(libtorchs[0], rtol: 1e-5, atol: 1e-6));
        Assert.True(ours[1].allclose(libtorchs[1], rtol: 1e-5, atol: 1e-6));
        if (length > 1)
            Assert.True(ours[0][.., .., 1].eq(0).all().item<bool>());
    }
}
