using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Network;

/// <summary><see cref="QuantumKanNetworkOptions.ContrastiveTarget"/> reaches the model's fidelity contrastive loss.</summary>
public class ContrastiveTargetTests
{
    private static double QuantumLoss(ContrastiveTarget target, Tensor features, Tensor labels)
    {
        manual_seed(9);
        using var network = new QuantumKanNetwork(10, 4, new QuantumKanNetworkOptions
        {
            Encoder = Nn.Encoders.FrameEncoderOptions.None,
            Embedding = new() { Modes = 4, ReferenceStates = 3 },
            SemanticWidths = [6],
            ContrastiveTarget = target,
        });
        var model = new QuantumKanModel(network);
        network.eval();
        using var _ = no_grad();
        var batch = new TrainingBatch(features, labels, [.. Enumerable.Range(0, (int)features.shape[0])]) { RandomSeed = 3 };
        return model.Forward(batch).AuxiliaryLosses[LossComponents.QuantumFidelity].item<float>();
    }

    [Fact]
    public void LabelOverlap_ChangesTheLossOnMultiLabelBatches_AndNotOnSingleLabelOnes()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var features = randn(8, 10);
        // Rows with two labels of four: many pairs share one label but not both.
        var multi = tensor(new float[,] { { 1, 1, 0, 0 }, { 1, 0, 1, 0 }, { 0, 1, 1, 0 }, { 1, 0, 0, 1 }, { 0, 0, 1, 1 }, { 1, 1, 0, 0 }, { 0, 1, 0, 1 }, { 1, 0, 1, 0 } });
        Assert.NotEqual(QuantumLoss(ContrastiveTarget.SharedLabel, features, multi), QuantumLoss(ContrastiveTarget.LabelOverlap, features, multi), 6);
        var single = tensor(new float[,] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 1, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 1, 0, 0, 0 } });
        Assert.Equal(QuantumLoss(ContrastiveTarget.SharedLabel, features, single), QuantumLoss(ContrastiveTarget.LabelOverlap, features, single), 12);
        // The default (Auto) is LabelOverlap, decided when the network is built.
        Assert.Equal(QuantumLoss(ContrastiveTarget.LabelOverlap, features, multi), QuantumLoss(ContrastiveTarget.Auto, features, multi), 12);
        Assert.Equal(ContrastiveTarget.Auto, new QuantumKanNetworkOptions().ContrastiveTarget);
        Assert.Equal(ContrastiveTarget.LabelOverlap, new QuantumKanNetworkOptions().ResolveEncoder(inputIsFrames: true).ContrastiveTarget);
        Assert.Equal(ContrastiveTarget.SharedLabel, new QuantumKanNetworkOptions { ContrastiveTarget = ContrastiveTarget.SharedLabel }.ResolveEncoder(false).ContrastiveTarget);
    }
}
