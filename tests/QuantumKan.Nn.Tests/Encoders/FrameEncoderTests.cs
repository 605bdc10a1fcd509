using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Encoders;

public class FrameEncoderTests
{
    private static readonly FrameEncoderKind[] Kinds = [FrameEncoderKind.Temporal, FrameEncoderKind.Conv2d, FrameEncoderKind.KanTemporal];

    public static TheoryData<FrameEncoderKind, TimePoolingKind> Families()
    {
        var data = new TheoryData<FrameEncoderKind, TimePoolingKind>();
        foreach (var kind in Kinds)
            foreach (var pooling in Enum.GetValues<TimePoolingKind>())
                data.Add(kind, pooling);
        return data;
    }

    private static FrameEncoder Create(FrameEncoderKind kind, TimePoolingKind pooling = TimePoolingKind.MeanMax, int bands = 16, int seed = 3)
    {
        manual_seed(seed);
        return FrameEncoder.Create(bands, new FrameEncoderOptions { Kind = kind, Channels = [8, 12, 16], Pooling = pooling });
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Encode_MapsAnyLengthToOneClipVector(FrameEncoderKind kind, TimePoolingKind pooling)
    {
        using var encoder = Create(kind, pooling);
        encoder.eval();
        using var scope = NewDisposeScope();
        int expected = pooling == TimePoolingKind.MeanMax ? 32 : 16;
        Assert.Equal(expected, encoder.OutputSize);
        foreach (int frames in new[] { 1, 2, 7, 100, 301 })
        {
            var y = encoder.call(randn(3, frames, 16));
            Assert.Equal(new long[] { 3, expected }, y.shape);
            Assert.True(y.isfinite().all().item<bool>());
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PaddedBatch_GivesEachClipItsOwnScore(FrameEncoderKind kind, TimePoolingKind pooling)
    {
        // Lengths that are not multiples of the 8× time reduction exercise the ⌈T/2⌉ bookkeeping at every stage.
        using var encoder = Create(kind, pooling);
        encoder.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int[] lengths = [37, 100, 13, 1];
        var clips = lengths.Select(t => randn(1, t, 16)).ToArray();
        var padded = cat(clips.Select(c => nn.functional.pad(c, [0, 0, 0, 100 - c.shape[1]])).ToArray(), 0); // zeros after the end
        var batched = encoder.Encode(padded, tensor(lengths.Select(l => (long)l).ToArray()));
        for (int i = 0; i < clips.Length; i++)
        {
            var alone = encoder.call(clips[i]);
            Assert.True(alone.allclose(batched[i].unsqueeze(0), rtol: 1e-4, atol: 1e-5), $"clip {i} (length {lengths[i]}) differs in the padded batch");
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PaddingWithoutLengths_ChangesTheScore(FrameEncoderKind kind, TimePoolingKind pooling)
    {
        // The masking test above would pass trivially if padding never mattered; it does when lengths are not given.
        using var encoder = Create(kind, pooling);
        encoder.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clip = randn(1, 37, 16) + 1;
        var padded = nn.functional.pad(clip, [0, 0, 0, 63]);
        Assert.False(encoder.call(clip).allclose(encoder.call(padded), rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(FrameEncoderKind.Temporal)]
    [InlineData(FrameEncoderKind.Conv2d)]
    [InlineData(FrameEncoderKind.KanTemporal)]
    public void Encoder_HearsTemporalOrder(FrameEncoderKind kind)
    {
        // Two clips with the same frames in reverse order have identical pooled statistics; the encoder tells them apart.
        using var encoder = Create(kind);
        encoder.eval();
        using var scope = NewDisposeScope();
        var clip = randn(1, 50, 16);
        var reversed = clip.flip(1);
        Assert.True(clip.mean([1]).allclose(reversed.mean([1]), atol: 1e-5));
        Assert.False(encoder.call(clip).allclose(encoder.call(reversed), rtol: 1e-3, atol: 1e-4));
    }

    [Theory]
    [InlineData(FrameEncoderKind.Temporal)]
    [InlineData(FrameEncoderKind.Conv2d)]
    [InlineData(FrameEncoderKind.KanTemporal)]
    public void EncoderGradients_StayFinite_OnShortClips(FrameEncoderKind kind)
    {
        // An earlier build measured NaN input gradients from libtorch's conv backward in about one call in four at these
        // lengths (4–16 frames, kernel 9), and on an AVX-512 machine this test failed in 5 runs of 6 (Conv2d and
        // KanTemporal, 12-channel layers) until the encoders ran channels-last; the gradients must be finite every time.
        using var encoder = Create(kind);
        encoder.train();
        int nonFinite = 0;
        for (int i = 0; i < 40; i++)
        {
            using var scope = NewDisposeScope();
            encoder.zero_grad();
            var x = randn(8, 4 + i % 13, 16).requires_grad_(true);
            encoder.call(x).mean().backward();
            bool finite = x.grad!.isfinite().all().item<bool>() && encoder.parameters().All(p => p.grad!.isfinite().all().item<bool>());
            nonFinite += finite ? 0 : 1;
        }
        Assert.Equal(0, nonFinite);
    }

    [Theory]
    [InlineData(FrameEncoderKind.Temporal)]
    [InlineData(FrameEncoderKind.Conv2d)]
    [InlineData(FrameEncoderKind.KanTemporal)]
    public void EvalForwards_StayFinite_AtAnyLength(FrameEncoderKind kind)
    {
        // Channel counts that are not multiples of 16 (24 here): on an AVX-512 machine libtorch's contiguous convolutions
        // returned NaN for whole clips in some of these eval forwards (Temporal, Conv2d); the encoders run channels-last.
        manual_seed(3);
        using var encoder = FrameEncoder.Create(64, new FrameEncoderOptions { Kind = kind, Channels = [16, 16, 24, 32] });
        encoder.eval();
        int nonFinite = 0;
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var y = encoder.call(randn(1 + i % 3, 1 + i * 37 % 400, 64));
            nonFinite += y.isfinite().all().item<bool>() ? 0 : 1;
        }
        Assert.Equal(0, nonFinite);
    }

    [Fact]
    public void BatchNormStatistics_AreSavedAndReloadedBitIdentically()
    {
        using var network = NetworkWithEncoder(FrameEncoderKind.Temporal);
        using var scope = NewDisposeScope();
        network.train();
        for (int i = 0; i < 3; i++)
            network.call(randn(8, 40, 16) * 3 + 2); // moves the running statistics away from their initial 0 / 1
        network.eval();
        var running = network.named_buffers().Where(b => b.name.EndsWith("running_mean")).ToArray();
        Assert.NotEmpty(running);
        Assert.Contains(running, b => b.buffer.abs().sum().item<float>() > 0);
        var input = randn(2, 33, 16);
        var before = network.call(input);
        using var stream = new MemoryStream();
        network.save(stream);
        using var copy = NetworkWithEncoder(FrameEncoderKind.Temporal, seed: 99);
        copy.load(new MemoryStream(stream.ToArray()));
        copy.eval();
        Assert.True(before.eq(copy.call(input)).all().item<bool>());
    }

    [Theory]
    [InlineData(FrameEncoderKind.Temporal)]
    [InlineData(FrameEncoderKind.Conv2d)]
    [InlineData(FrameEncoderKind.KanTemporal)]
    public void Network_WithEncoder_TrainsEveryParameter(FrameEncoderKind kind)
    {
        using var network = NetworkWithEncoder(kind);
        using var scope = NewDisposeScope();
        network.train();
        var outputs = network.ForwardAll(randn(4, 30, 16));
        Assert.Equal(new long[] { 4, 3 }, outputs.Logits.shape);
        Assert.Equal(new long[] { 4, 32 }, outputs.Reconstruction.shape);       // band mean + std
        Assert.Equal(new long[] { 4, 32 }, outputs.StandardizedInput.shape);
        (outputs.Logits.square().mean() + nn.functional.mse_loss(outputs.Reconstruction, outputs.StandardizedInput)).backward();
        var encoderParameters = network.Encoder!.parameters().ToArray();
        Assert.NotEmpty(encoderParameters);
        var dead = network.Encoder!.named_parameters().Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0).Select(p => p.name).ToArray();
        Assert.True(dead.Length == 0, "no gradient reaches " + string.Join(", ", dead));
    }

    [Fact]
    public void BandStatistics_IgnorePaddedFrames()
    {
        using var scope = NewDisposeScope();
        var clip = randn(1, 10, 4);
        var padded = nn.functional.pad(clip, [0, 0, 0, 5], value: 100);
        var expected = cat([clip.mean([1]), clip.std(1, unbiased: false)], 1);
        var stats = QuantumKanNetwork.BandStatistics(padded, tensor(new long[] { 10 }));
        Assert.True(stats.allclose(expected, atol: 1e-4));
    }

    [Fact]
    public void AutoEncoder_BuiltDirectly_IsTheEncoderFreeNetwork_AndResolvesFromTheInput()
    {
        var options = new QuantumKanNetworkOptions();
        Assert.Equal(FrameEncoderKind.Auto, options.Encoder.Kind);
        using var network = new QuantumKanNetwork(16, 3, options);
        Assert.False(network.HasEncoder);
        Assert.Equal(FrameEncoderKind.None, network.Options.Encoder.Kind);
        Assert.Equal(FrameEncoderKind.Temporal, options.ResolveEncoder(inputIsFrames: true).Encoder.Kind);
        Assert.Equal(FrameEncoderKind.None, options.ResolveEncoder(inputIsFrames: false).Encoder.Kind);
    }

    internal static QuantumKanNetwork NetworkWithEncoder(FrameEncoderKind kind, int seed = 5)
    {
        manual_seed(seed);
        var options = new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions { Kind = kind, Channels = [8, 12, 16] },
            Embedding = new QuantumKanNetworkOptions().Embedding with { Modes = 4, ReferenceStates = 2 },
            SemanticWidths = [8],
        };
        return new QuantumKanNetwork(16, 3, options);
    }
}
