using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Loop;

public class MultiTaskLossTests
{
    private static TrainingBatch Batch(float[] labels, int classes) =>
        new(torch.zeros(labels.Length / classes, 1), torch.tensor(labels).reshape(labels.Length / classes, classes), Enumerable.Range(0, labels.Length / classes).ToArray());

    [Fact]
    public void Compute_WeighsEachComponentAndReportsThemUnweighted()
    {
        using var scope = torch.NewDisposeScope();
        var weights = new LossWeights { Classification = 2, AudioReconstruction = 0.5, QuantumFidelity = 3, Normalization = 0.1, L2 = 0.01 };
        var loss = new MultiTaskLoss(ClassificationTask.MultiLabel, weights);
        var logits = torch.tensor(new float[] { 0, 0 }).reshape(1, 2);
        var aux = new Dictionary<string, Tensor>
        {
            [LossComponents.AudioReconstruction] = torch.tensor(4f),
            [LossComponents.QuantumFidelity] = torch.tensor(1f),
            [LossComponents.Normalization] = torch.tensor(10f),
        };
        Tensor[] parameters = [torch.tensor(new float[] { 1, 2 }), torch.tensor(new float[] { 3 })];
        var breakdown = loss.Compute(new ModelOutput(logits, aux), Batch([1, 0], 2), parameters);

        // BCE of logit 0 is ln 2 whatever the label; Σθ² = 1 + 4 + 9 = 14.
        Assert.Equal(Math.Log(2), breakdown.Components[LossComponents.Classification].ToDouble(), 6);
        Assert.Equal(14, breakdown.Components[LossComponents.L2].ToDouble(), 6);
        Assert.Equal(2 * Math.Log(2) + 0.5 * 4 + 3 * 1 + 0.1 * 10 + 0.01 * 14, breakdown.Total.ToDouble(), 5);
    }

    [Fact]
    public void Compute_MulticlassUsesSoftmaxCrossEntropy()
    {
        using var scope = torch.NewDisposeScope();
        var loss = new MultiTaskLoss(ClassificationTask.Multiclass, new LossWeights());
        var logits = torch.tensor(new float[] { 2, 0, 0, 0, 1, 0 }).reshape(2, 3);
        var breakdown = loss.Compute(new ModelOutput(logits), Batch([1, 0, 0, 0, 0, 1], 3), []);
        double expected = ((Math.Log(Math.Exp(2) + 2) - 2) + Math.Log(Math.E + 2)) / 2;
        Assert.Equal(expected, breakdown.Total.ToDouble(), 5);
        Assert.False(breakdown.Components.ContainsKey(LossComponents.L2));
    }

    [Fact]
    public void Compute_RejectsUnknownComponentsAndWrongLogitShapes()
    {
        using var scope = torch.NewDisposeScope();
        var loss = new MultiTaskLoss(ClassificationTask.MultiLabel, new LossWeights());
        var batch = Batch([1, 0], 2);
        var unknown = new ModelOutput(torch.zeros(1, 2), new Dictionary<string, Tensor> { ["mystery"] = torch.tensor(1f) });
        Assert.Contains("mystery", Assert.Throws<KeyNotFoundException>(() => loss.Compute(unknown, batch, [])).Message);
        Assert.Contains("[1, 3]", Assert.Throws<InvalidOperationException>(() => loss.Compute(new ModelOutput(torch.zeros(1, 3)), batch, [])).Message);
        Assert.Throws<ArgumentException>(() => new ModelOutput(torch.zeros(1, 2), new Dictionary<string, Tensor> { [LossComponents.Classification] = torch.tensor(1f) }));
        Assert.Throws<ArgumentException>(() => new ModelOutput(torch.zeros(1, 2), new Dictionary<string, Tensor> { [LossComponents.Normalization] = torch.ones(2) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskLoss(ClassificationTask.MultiLabel, new LossWeights { QuantumFidelity = -1 }));
    }

    [Fact]
    public void Compute_UsesExtraWeightsForModelSpecificComponents()
    {
        using var scope = torch.NewDisposeScope();
        var loss = new MultiTaskLoss(ClassificationTask.MultiLabel, new LossWeights { Classification = 0, Extra = new Dictionary<string, double> { ["sparsity"] = 0.25 } });
        var output = new ModelOutput(torch.zeros(1, 2), new Dictionary<string, Tensor> { ["sparsity"] = torch.tensor(8f) });
        // Classification is weighted 0 (left out), so the total is 0.25 · 8.
        Assert.Equal(2.0, loss.Compute(output, Batch([1, 0], 2), []).Total.ToDouble(), 6);
    }
}
