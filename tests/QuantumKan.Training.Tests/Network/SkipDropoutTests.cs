using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Network;

/// <summary>
/// <see cref="QuantumKanNetworkOptions.SkipDropout"/>: in training, each example's logits are those of the full skip or of
/// the state alone, drawn from the batch's seed; validation and inference always keep the skip.
/// </summary>
public class SkipDropoutTests
{
    private static QuantumKanNetworkOptions Options(double dropout) => new()
    {
        Encoder = Nn.Encoders.FrameEncoderOptions.None,
        Embedding = new() { Modes = 4, ReferenceStates = 3 },
        SemanticWidths = [6],
        HeadInput = HeadInput.StateAndClip,
        SkipDropout = dropout,
    };

    private static bool Same(Tensor a, Tensor b) => a.equal(b).all().item<bool>();

    [Fact]
    public void Training_DropsTheSkipForSomeExamples_BySeed_AndEvaluationKeepsIt()
    {
        manual_seed(4);
        using var network = new QuantumKanNetwork(10, 3, Options(0.5));
        var model = new QuantumKanModel(network);
        using var scope = NewDisposeScope();
        var features = randn(32, 10);
        var labels = (rand(32, 3) < 0.5).to(ScalarType.Float32);
        var batch = new TrainingBatch(features, labels, [.. Enumerable.Range(0, 32)]) { RandomSeed = 11 };

        network.train();
        var logits = model.Forward(batch).Logits!;
        var again = model.Forward(batch).Logits!;
        Assert.True(Same(logits, again), "the same batch seed must drop the same examples");
        var kept = network.ForwardAll(features, skipKeep: ones(32, 1)).Logits;
        var dropped = network.ForwardAll(features, skipKeep: zeros(32, 1)).Logits;
        int keptRows = 0, droppedRows = 0;
        for (int i = 0; i < 32; i++)
        {
            if (Same(logits[i], kept[i]))
                keptRows++;
            else if (Same(logits[i], dropped[i]))
                droppedRows++;
        }
        Assert.Equal(32, keptRows + droppedRows);
        Assert.InRange(droppedRows, 6, 26); // p = 0.5 of 32: far outside this range with probability < 1e-3

        var otherSeed = model.Forward(batch with { RandomSeed = 12 }).Logits!;
        Assert.False(Same(logits, otherSeed), "another batch seed must draw another mask");

        network.eval();
        Assert.True(Same(model.Forward(batch).Logits!, kept), "evaluation must keep every skip");
    }

    [Fact]
    public void ZeroDropout_KeepsTheSkipInTraining()
    {
        manual_seed(5);
        using var network = new QuantumKanNetwork(10, 3, Options(0));
        var model = new QuantumKanModel(network);
        using var scope = NewDisposeScope();
        var features = randn(8, 10);
        var batch = new TrainingBatch(features, zeros(8, 3), [.. Enumerable.Range(0, 8)]) { RandomSeed = 3 };
        network.train();
        Assert.True(Same(model.Forward(batch).Logits!, network.ForwardAll(features).Logits));
    }
}
