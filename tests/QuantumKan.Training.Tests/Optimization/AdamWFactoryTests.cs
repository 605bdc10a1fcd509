using QuantumKan.Training.Optimization;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Optimization;

public class AdamWFactoryTests
{
    [Fact]
    public void Create_DecaysMatricesButNotBiases()
    {
        // With a zero gradient, AdamW's only effect is decoupled decay: w ← w·(1 − lr·λ); biases must not move.
        var model = new MlpClassifier(3, 4, 2, seed: 2);
        var before = model.Snapshot();
        using var optimizer = AdamWFactory.Create(model, learningRate: 0.1, weightDecay: 0.5);
        foreach (var p in model.parameters())
            p.grad = torch.zeros_like(p);
        optimizer.step();
        var after = model.Snapshot();
        var names = model.named_parameters().Select(p => p.name).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            double factor = names[i].EndsWith("weight") ? 1 - 0.1 * 0.5 : 1;
            for (int j = 0; j < before[i].Length; j++)
                Assert.Equal(before[i][j] * factor, after[i][j], 6);
        }
    }

    [Fact]
    public void Create_TakesTheFirstStepOfSizeLearningRate_BiasCorrected()
    {
        // Bias-corrected Adam's first step is lr·g/(|g| + ε) = lr·sign(g), whatever β₁, β₂.
        var model = new MlpClassifier(3, 4, 2, seed: 3);
        var before = model.Snapshot();
        using var optimizer = AdamWFactory.Create(model, learningRate: 0.01, weightDecay: 0, beta1: 0.8, beta2: 0.99);
        foreach (var p in model.parameters())
            p.grad = torch.full_like(p, 0.3);
        optimizer.step();
        var after = model.Snapshot();
        for (int i = 0; i < before.Length; i++)
            for (int j = 0; j < before[i].Length; j++)
                Assert.Equal(before[i][j] - 0.01, after[i][j], 5);
    }
}
