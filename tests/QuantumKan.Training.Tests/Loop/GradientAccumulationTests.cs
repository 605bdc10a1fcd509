using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Loop;

public class GradientAccumulationTests
{
    [Theory]
    [InlineData(32, 8)]   // 4 equal micro-batches of 8
    [InlineData(30, 8)]   // 8 + 8 + 8 + 6: each micro-batch must weigh by its own size, not by 1/4
    public void AccumulatedGradient_EqualsTheGradientOfOneBigBatch(int examples, int microBatch)
    {
        var data = SyntheticSets.MultiLabel(examples, classes: 5, features: 12, seed: 21);
        var indices = Enumerable.Range(0, examples).ToArray();

        var big = GradientAfterStep(data, [indices]);
        var accumulated = GradientAfterStep(data, indices.Chunk(microBatch).ToArray());

        for (int p = 0; p < big.Length; p++)
            for (int i = 0; i < big[p].Length; i++)
                Assert.Equal(big[p][i], accumulated[p][i], 1e-13);
        // And the comparison is not vacuous: the gradient is far from zero.
        Assert.True(big.SelectMany(g => g).Max(Math.Abs) > 1e-3);
    }

    [Fact]
    public void TrainingWithAccumulation_MatchesTrainingWithTheEquivalentBigBatch()
    {
        var data = SyntheticSets.MultiLabel(64, classes: 4, features: 10, seed: 22);
        var options = new TrainerOptions { Epochs = 2, Shuffle = false, WarmupFraction = 0, LearningRate = 1e-2, MaxGradientNorm = 0 };
        var bigBatch = new MlpClassifier(10, 16, 4, seed: 23, dtype: ScalarType.Float64);
        var accumulated = new MlpClassifier(10, 16, 4, seed: 23, dtype: ScalarType.Float64);

        new Trainer(bigBatch, ClassificationTask.MultiLabel, options with { BatchSize = 32, AccumulationSteps = 1 }).Fit(data);
        new Trainer(accumulated, ClassificationTask.MultiLabel, options with { BatchSize = 8, AccumulationSteps = 4 }).Fit(data);

        var a = bigBatch.Snapshot();
        var b = accumulated.Snapshot();
        for (int p = 0; p < a.Length; p++)
            for (int i = 0; i < a[p].Length; i++)
                Assert.Equal(a[p][i], b[p][i], 1e-10);
    }

    private static double[][] GradientAfterStep(InMemoryFeatureSource data, int[][] microBatches)
    {
        var model = new MlpClassifier(12, 16, 5, seed: 24, dtype: ScalarType.Float64);
        // Learning rate 0: the step leaves the weights (and so the gradients we read) untouched.
        using var optimizer = AdamWFactory.Create(model, learningRate: 1e-30, weightDecay: 0);
        var step = new OptimizationStep(model, new MultiTaskLoss(ClassificationTask.MultiLabel, new LossWeights()), optimizer,
            new BatchReader(data, torch.CPU), maxGradientNorm: 0);
        var outcome = step.Run(microBatches);
        Assert.False(outcome.Skipped);
        return model.parameters().Select(p => p.grad!.data<double>().ToArray()).ToArray();
    }
}
