using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Network;

/// <summary>Empty <see cref="QuantumKanNetworkOptions.SemanticWidths"/>: the KAN head reads the representation (and skip) directly.</summary>
public class NoSemanticLayersTests
{
    private static QuantumKanNetworkOptions Options(int[]? semantic, HeadInput input) => new()
    {
        Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [8, 8], Kernel = 3 },
        Embedding = new() { Modes = 4, ReferenceStates = 3 },
        SemanticWidths = semantic,
        HeadInput = input,
    };

    [Theory]
    [InlineData(HeadInput.State)]
    [InlineData(HeadInput.StateAndClip)]
    public void WithoutSemanticLayers_TheHeadReadsTheHeadInputDirectly(HeadInput input)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var network = new QuantumKanNetwork(10, 3, Options([], input));
        var names = network.named_parameters().Select(p => p.name).ToArray();
        Assert.DoesNotContain(names, n => n.StartsWith("semantic.", StringComparison.Ordinal));
        // The head's first weight reads the head input's width: (out, in, …) for every KAN basis's coefficients.
        var head = network.named_parameters().First(p => p.name.StartsWith("head.", StringComparison.Ordinal) && p.parameter.dim() >= 2);
        Assert.Contains(network.HeadInputSize, head.parameter.shape);
        Assert.Equal(input == HeadInput.State ? network.RepresentationSize : network.RepresentationSize + network.Encoder!.OutputSize, network.HeadInputSize);
        var head_norm = network.named_parameters().First(p => p.name == "head_norm.weight").parameter;
        Assert.Equal(network.HeadInputSize, head_norm.shape[0]);

        var frames = randn(4, 20, 10);
        var logits = network.forward(frames);
        Assert.Equal([4L, 3L], logits.shape);
        logits.sum().backward();
        var encoderGrad = network.named_parameters().First(p => p.name.StartsWith("frame_encoder.", StringComparison.Ordinal)).parameter.grad;
        Assert.NotNull(encoderGrad);
        Assert.True(encoderGrad!.abs().sum().item<float>() > 0, "no gradient reached the encoder");
    }

    [Fact]
    public void SemanticLayers_AddParameters_AndAWidthBelowOneIsRejected()
    {
        using var without = new QuantumKanNetwork(10, 3, Options([], HeadInput.StateAndClip));
        using var with = new QuantumKanNetwork(10, 3, Options([6], HeadInput.StateAndClip));
        Assert.Contains(with.named_parameters(), p => p.name.StartsWith("semantic.", StringComparison.Ordinal));
        Assert.NotEqual(without.parameters().Sum(p => p.numel()), with.parameters().Sum(p => p.numel()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Options([0], HeadInput.State).Validate());
    }

    [Fact]
    public void UnsetWidths_AreNoneWithAFrameEncoder_And64Without()
    {
        Assert.Null(new QuantumKanNetworkOptions().SemanticWidths);
        Assert.Empty(new QuantumKanNetworkOptions().ResolveEncoder(inputIsFrames: true).SemanticWidths!);
        Assert.Equal([64], new QuantumKanNetworkOptions().ResolveEncoder(inputIsFrames: false).SemanticWidths!);
        Assert.Equal([32], new QuantumKanNetworkOptions { SemanticWidths = [32] }.ResolveEncoder(inputIsFrames: true).SemanticWidths!);
        using var pooled = new QuantumKanNetwork(10, 3, new QuantumKanNetworkOptions { Embedding = new() { Modes = 4, ReferenceStates = 3 } });
        Assert.Equal([64], pooled.Options.SemanticWidths!);
        Assert.Contains(pooled.named_parameters(), p => p.name.StartsWith("semantic.", StringComparison.Ordinal));
        using var frames = new QuantumKanNetwork(10, 3, Options(null, HeadInput.Auto));
        Assert.Empty(frames.Options.SemanticWidths!);
        Assert.DoesNotContain(frames.named_parameters(), p => p.name.StartsWith("semantic.", StringComparison.Ordinal));
    }
}
