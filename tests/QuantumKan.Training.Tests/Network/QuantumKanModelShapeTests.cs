using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Network;

/// <summary>Feature sources with a shaped layout (the on-disk cache's pooled [segments, statistics, mels]) train the network.</summary>
public class QuantumKanModelShapeTests
{
    [Fact]
    public void Forward_OnShapedFeatures_EqualsForwardOnTheFlattenedRows()
    {
        manual_seed(7);
        using var network = new QuantumKanNetwork(24, 3);
        var model = new QuantumKanModel(network);
        using var scope = NewDisposeScope();
        var shaped = randn(5, 2, 3, 4);
        var labels = (rand(5, 3) < 0.5).to(ScalarType.Float32);
        var fromShaped = model.Forward(new TrainingBatch(shaped, labels, [0, 1, 2, 3, 4]));
        var fromFlat = model.Forward(new TrainingBatch(shaped.reshape(5, 24), labels, [0, 1, 2, 3, 4]));
        Assert.True(fromShaped.Logits!.equal(fromFlat.Logits!).all().item<bool>());
        foreach (var (name, value) in fromFlat.AuxiliaryLosses)
            Assert.Equal(value.item<float>(), fromShaped.AuxiliaryLosses[name].item<float>());
    }

    [Fact]
    public void Trainer_FitsFromASourceWithAShapedLayout()
    {
        manual_seed(8);
        var random = new Random(8);
        var features = Enumerable.Range(0, 40 * 24).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, 40 * 3).Select(i => i % 4 == 0 ? 1f : 0f).ToArray();
        var source = new InMemoryFeatureSource(features, [2, 3, 4], labels, 3);
        using var network = new QuantumKanNetwork(source.FeatureSize, 3);
        var result = new QuantumKan.Training.Loop.Trainer(new QuantumKanModel(network), ClassificationTask.MultiLabel,
            new QuantumKan.Training.Loop.TrainerOptions { Epochs = 1, BatchSize = 8 }).Fit(source, source);
        Assert.Equal(5, result.State.GlobalStep);
    }
}
