using QuantumKan.Core;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Network;

public class QuantumKanQualityTests(ITestOutputHelper output)
{
    private static float[] Scores(QuantumKanNetwork net, InMemorySource data, bool multiLabel)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        var x = tensor(data.Features, [data.Count, data.FeatureSize]);
        var logits = net.call(x);
        return (multiLabel ? logits.sigmoid() : logits.softmax(1)).data<float>().ToArray();
    }

    private sealed record InMemorySource(float[] Features, float[] Labels, int Count, int FeatureSize, int Classes);

    private static InMemorySource Materialize(QuantumKan.Training.Data.InMemoryFeatureSource s)
    {
        var f = new float[s.Count * s.FeatureSize];
        var l = new float[s.Count * s.LabelSize];
        for (int i = 0; i < s.Count; i++)
        {
            s.ReadFeatures(i, f.AsSpan(i * s.FeatureSize, s.FeatureSize));
            s.ReadLabels(i, l.AsSpan(i * s.LabelSize, s.LabelSize));
        }
        return new InMemorySource(f, l, s.Count, s.FeatureSize, s.LabelSize);
    }

    [Fact]
    public void MultiLabel_SyntheticEvents_HeldOutMapAtLeast0_9()
    {
        var train = SyntheticFeatures.Make(singleLabel: false, first: 0, count: 800);
        var test = SyntheticFeatures.Make(singleLabel: false, first: 100_000, count: 300);
        var net = TorchRuntime.Seeded(3, () => new QuantumKanNetwork(train.FeatureSize, train.LabelSize));
        var (mean, std) = Standardization(train);
        net.Embedding.SetInputStandardization(mean, std);
        var trainer = new Trainer(new QuantumKanModel(net), ClassificationTask.MultiLabel, new TrainerOptions { Epochs = 25, Seed = 3, EarlyStoppingPatience = 0 });
        var result = trainer.Fit(train, test);
        var t = Materialize(test);
        var metrics = MultiLabelEvaluation.Evaluate(Scores(net, t, true), t.Labels, t.Classes);
        output.WriteLine($"held-out mAP {metrics.MeanAveragePrecision:F4}, lwlrap {metrics.Lwlrap.Overall:F4}, epochs {result.History.Count}, " +
                         $"quantum loss first {result.History[0].TrainingLosses["quantum_fidelity"]:F4} last {result.History[^1].TrainingLosses["quantum_fidelity"]:F4}");
        Assert.True(metrics.MeanAveragePrecision >= 0.9, $"mAP {metrics.MeanAveragePrecision:F4}");
    }

    internal static (Tensor Mean, Tensor Std) Standardization(QuantumKan.Training.Data.InMemoryFeatureSource s)
    {
        var m = Materialize(s);
        var x = tensor(m.Features, [m.Count, m.FeatureSize]);
        return (x.mean([0]), x.std(0));
    }
}
