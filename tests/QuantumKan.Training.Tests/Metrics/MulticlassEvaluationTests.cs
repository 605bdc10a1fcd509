using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class MulticlassEvaluationTests
{
    [Fact]
    public void FromLogits_MatchesHandComputedAccuracyF1AndLogLoss()
    {
        // Truth (0, 2, 2, 1); arg-max predictions (0, 1, 2, 0).
        float[] logits = [2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 0, 0];
        int[] labels = [0, 2, 2, 1];
        var m = MulticlassEvaluation.FromLogits(logits, labels, 3);
        Assert.Equal(0.5, m.Accuracy, 12);
        // F1 = 2TP/(2TP+FP+FN): class 0: 2/(2+1+0); class 1: 0; class 2: 2/(2+0+1).
        Assert.Equal(2.0 / 3, m.ClassF1[0], 12);
        Assert.Equal(0.0, m.ClassF1[1], 12);
        Assert.Equal(2.0 / 3, m.ClassF1[2], 12);
        Assert.Equal((2.0 / 3 + 0 + 2.0 / 3) / 3, m.MacroF1, 12);
        double expectedLogLoss = (
            Math.Log(Math.Exp(2) + 2) - 2 +
            Math.Log(Math.E + 2) +
            Math.Log(Math.Exp(3) + 2) - 3 +
            Math.Log(Math.E + 2)) / 4;
        Assert.Equal(expectedLogLoss, m.LogLoss, 6);
        Assert.Equal(1, m.Confusion[2, 1]);
        Assert.Equal([1L, 1L, 2L], m.Support);
    }

    [Fact]
    public void FromLogits_MacroF1IgnoresClassesNeitherTrueNorPredicted()
    {
        var m = MulticlassEvaluation.FromLogits([5, 0, 0, 0, 5, 0], [0, 1], 3);
        Assert.Equal(1.0, m.MacroF1, 12);
        Assert.True(double.IsNaN(m.ClassF1[2]));
    }

    [Fact]
    public void FromLogits_LogLossStaysFiniteForHugeLogits()
    {
        var m = MulticlassEvaluation.FromLogits([1000, 0, 0, 1000], [0, 0], 2);
        Assert.Equal(500.0, m.LogLoss, 6);
    }

    [Fact]
    public void FromLogits_RejectsOutOfRangeLabelNamingTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => MulticlassEvaluation.FromLogits([1, 0, 0, 1], [0, 2], 2));
        Assert.Contains("Row 1", error.Message);
    }

    [Fact]
    public void ClassIndicesFromOneHot_RejectsRowsWithoutExactlyOneClass()
    {
        Assert.Equal([1, 0], MulticlassEvaluation.ClassIndicesFromOneHot([0, 1, 1, 0], 2));
        Assert.Contains("Row 1", Assert.Throws<InvalidDataException>(() => MulticlassEvaluation.ClassIndicesFromOneHot([0, 1, 1, 1], 2)).Message);
        Assert.Contains("Row 0", Assert.Throws<InvalidDataException>(() => MulticlassEvaluation.ClassIndicesFromOneHot([0, 0], 2)).Message);
    }
}
