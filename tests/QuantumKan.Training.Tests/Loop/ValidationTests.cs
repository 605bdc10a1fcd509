using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Loop;

public class ValidationTests
{
    private static readonly MultiTaskLoss Loss = new(ClassificationTask.MultiLabel, new LossWeights());

    [Fact]
    public void Evaluate_ScoresEveryExample_NotJustTheLastBatch()
    {
        // 37 examples in batches of 8: the last batch holds 5. Metrics must equal those of all 37 scored at once.
        var data = SyntheticSets.MultiLabel(37, classes: 4, features: 6, seed: 71);
        var model = new MlpClassifier(6, 8, 4, seed: 72);
        var evaluation = ModelEvaluator.Evaluate(model, data, ClassificationTask.MultiLabel, Loss, batchSize: 8, torch.CPU);

        var (logits, targets) = AllAtOnce(model, data);
        Assert.Equal(logits, evaluation.Logits);
        var expected = MultiLabelEvaluation.Evaluate(logits, targets, 4);
        Assert.Equal(expected.MeanAveragePrecision, evaluation.Metrics[MetricNames.MeanAveragePrecision], 12);
        Assert.Equal(expected.Lwlrap.Overall, evaluation.Metrics[MetricNames.Lwlrap], 12);
        Assert.Equal(expected.DPrime, evaluation.Metrics[MetricNames.DPrime], 12);
        using var bce = nn.functional.binary_cross_entropy_with_logits(torch.tensor(logits).reshape(37, 4), torch.tensor(targets).reshape(37, 4));
        Assert.Equal(bce.ToDouble(), evaluation.Losses[LossComponents.Classification], 5);
    }

    [Fact]
    public void Evaluate_OfPatches_ScoresClipsByTheMeanOfTheirPatchLogits()
    {
        var patches = SyntheticSets.MultiLabel(12, classes: 3, features: 4, seed: 73);
        // Clips of 3, 4 and 5 patches; patches of a clip share the clip's labels.
        int[] clipOf = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2];
        var features = new float[12 * 4];
        var labels = new float[12 * 3];
        for (int i = 0; i < 12; i++)
        {
            patches.ReadFeatures(i, features.AsSpan(i * 4, 4));
            patches.ReadLabels(new[] { 0, 3, 7 }[clipOf[i]], labels.AsSpan(i * 3, 3));
        }
        var source = new InMemoryFeatureSource(features, [4], labels, 3, clipOf);
        var model = new MlpClassifier(4, 8, 3, seed: 74);

        var evaluation = ModelEvaluator.Evaluate(model, source, ClassificationTask.MultiLabel, Loss, batchSize: 5, torch.CPU);

        var (patchLogits, _) = AllAtOnce(model, source);
        var expected = ClipScores.MeanPatchLogits(patchLogits, clipOf, 3, 3);
        Assert.Equal(9, evaluation.Logits.Length);
        for (int i = 0; i < 9; i++)
            Assert.Equal(expected[i], evaluation.Logits[i], 5);
        Assert.Equal(labels.AsSpan(3 * 3, 3).ToArray(), evaluation.Targets.AsSpan(3, 3).ToArray());
    }

    [Fact]
    public void Evaluate_RejectsPatchesOfOneClipWithDifferentLabels()
    {
        var source = new InMemoryFeatureSource(new float[8], [2], [1, 0, 0, 1, 1, 0, 1, 0], 2, clipOfExample: [0, 0, 1, 1]);
        var error = Assert.Throws<InvalidDataException>(() =>
            ModelEvaluator.Evaluate(new MlpClassifier(2, 4, 2, seed: 1), source, ClassificationTask.MultiLabel, Loss, 4, torch.CPU));
        Assert.Contains("Patch 1 of clip 0", error.Message);
    }

    [Fact]
    public void Evaluate_RestoresTrainModeAndLeavesNoGradients()
    {
        var data = SyntheticSets.MultiLabel(10, classes: 2, features: 3, seed: 75);
        var model = new MlpClassifier(3, 4, 2, seed: 76);
        model.train();
        ModelEvaluator.Evaluate(model, data, ClassificationTask.MultiLabel, Loss, 4, torch.CPU);
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().ToDouble() == 0));
    }

    [Fact]
    public void Evaluate_Multiclass_ReportsAccuracyMacroF1AndLogLoss()
    {
        var data = SyntheticSets.Multiclass(30, classes: 3, features: 4, seed: 77);
        var model = new MlpClassifier(4, 8, 3, seed: 78);
        var evaluation = ModelEvaluator.Evaluate(model, data, ClassificationTask.Multiclass, new MultiTaskLoss(ClassificationTask.Multiclass, new LossWeights()), 7, torch.CPU);
        var (logits, targets) = AllAtOnce(model, data);
        var expected = MulticlassEvaluation.FromLogits(logits, MulticlassEvaluation.ClassIndicesFromOneHot(targets, 3), 3);
        Assert.Equal(expected.Accuracy, evaluation.Metrics[MetricNames.Accuracy]);
        Assert.Equal(expected.MacroF1, evaluation.Metrics[MetricNames.MacroF1], 12);
        Assert.Equal(expected.LogLoss, evaluation.Metrics[MetricNames.LogLoss], 12);
        // The classification loss is the same cross-entropy, computed by torch.
        Assert.Equal(expected.LogLoss, evaluation.Losses[LossComponents.Classification], 4);
    }

    private static (float[] Logits, float[] Targets) AllAtOnce(MlpClassifier model, IFeatureSource source)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var batch = new BatchReader(source, torch.CPU).Read(Enumerable.Range(0, source.Count).ToArray());
        var logits = model.Forward(batch).Logits!.data<float>().ToArray();
        model.train();
        return (logits, batch.Labels.data<float>().ToArray());
    }
}
