using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Network;

/// <summary><see cref="HeadInput.StateAndClip"/>: the semantic KAN layers read the state's representation and the clip vector.</summary>
public class HeadInputTests
{
    private static QuantumKanNetworkOptions Options(HeadInput input, bool frames) => new()
    {
        Encoder = frames ? new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [8, 8], Kernel = 3 } : FrameEncoderOptions.None,
        Embedding = new() { Modes = 4, ReferenceStates = 3 },
        SemanticWidths = [6],
        HeadInput = input,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SemanticLayers_ReadTheClipVector_OnlyWithStateAndClip(bool frames)
    {
        const int width = 10;
        using var state = new QuantumKanNetwork(width, 3, Options(HeadInput.State, frames));
        using var skip = new QuantumKanNetwork(width, 3, Options(HeadInput.StateAndClip, frames));
        int clipWidth = frames ? skip.Encoder!.OutputSize : width;
        Assert.Equal(state.RepresentationSize, state.HeadInputSize);
        Assert.Equal(skip.RepresentationSize + clipWidth, skip.HeadInputSize);
        Assert.Equal(4 * 4 + 3, skip.RepresentationSize);
    }

    [Fact]
    public void Auto_IsStateAndClipWithAnEncoder_AndStateWithout()
    {
        var frames = new QuantumKanNetworkOptions { Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [8], Kernel = 3 } };
        Assert.Equal(HeadInput.Auto, frames.HeadInput);
        using var withEncoder = new QuantumKanNetwork(10, 3, frames);
        Assert.Equal(HeadInput.StateAndClip, withEncoder.Options.HeadInput);
        Assert.Equal(withEncoder.RepresentationSize + withEncoder.Encoder!.OutputSize, withEncoder.HeadInputSize);
        using var pooled = new QuantumKanNetwork(10, 3, new QuantumKanNetworkOptions { Encoder = FrameEncoderOptions.None });
        Assert.Equal(HeadInput.State, pooled.Options.HeadInput);
        Assert.Equal(pooled.RepresentationSize, pooled.HeadInputSize);
        // Encoder Auto on frames resolves to Temporal, and then the head input to StateAndClip; an explicit choice stays.
        Assert.Equal(HeadInput.StateAndClip, new QuantumKanNetworkOptions().ResolveEncoder(inputIsFrames: true).HeadInput);
        Assert.Equal(HeadInput.State, new QuantumKanNetworkOptions().ResolveEncoder(inputIsFrames: false).HeadInput);
        Assert.Equal(HeadInput.State, (frames with { HeadInput = HeadInput.State }).ResolveEncoder(inputIsFrames: true).HeadInput);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithAConstantState_OnlyTheSkipLetsTheInputReachTheLogits(bool frames)
    {
        using var scope = NewDisposeScope();
        const int width = 10;
        Tensor Input(int seed)
        {
            manual_seed(seed);
            return frames ? randn(2, 30, width) : randn(2, width);
        }
        var (a, b) = (Input(1), Input(2));
        foreach (var input in new[] { HeadInput.State, HeadInput.StateAndClip })
        {
            manual_seed(3);
            using var network = new QuantumKanNetwork(width, 3, Options(input, frames));
            network.eval();
            using (no_grad())
            {
                // Zero extractors: every clip maps to the same quantum state (α = β = γ = 0).
                foreach (var (name, parameter) in network.named_parameters())
                    if (name.StartsWith("embedding.", StringComparison.Ordinal))
                        parameter.zero_();
            }
            using var _ = no_grad();
            var difference = (network.forward(a) - network.forward(b)).abs().max().item<float>();
            if (input == HeadInput.State)
                Assert.Equal(0f, difference);
            else
                Assert.True(difference > 1e-4f, $"the clip vector did not reach the logits (max difference {difference})");
        }
    }
}
