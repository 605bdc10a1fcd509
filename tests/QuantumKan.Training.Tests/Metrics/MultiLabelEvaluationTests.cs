using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class MultiLabelEvaluationTests
{
    [Fact]
    public void Evaluate_AveragesOnlyClassesWithPositives_AndReportsTheOthers()
    {
        // 4 rows × 3 classes. Class 0 = the scikit-learn example (AP 5/6, AUC .75); class 1 perfectly ranked (AP 1, AUC 1);
        // class 2 has no positive → excluded from mAP and listed.
        float[] scores = [0.1f, 0.9f, 0.3f, 0.4f, 0.2f, 0.1f, 0.35f, 0.8f, 0.2f, 0.8f, 0.1f, 0.9f];
        float[] targets = [0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0];
        var m = MultiLabelEvaluation.Evaluate(scores, targets, 3);
        Assert.Equal(5.0 / 6, m.AveragePrecision[0], 12);
        Assert.Equal(1.0, m.AveragePrecision[1], 12);
        Assert.True(double.IsNaN(m.AveragePrecision[2]));
        Assert.Equal((5.0 / 6 + 1) / 2, m.MeanAveragePrecision, 12);
        Assert.Equal([2], m.ClassesWithoutPositives);
        Assert.Equal((0.75 + 1) / 2, m.MeanAuc, 12);
        Assert.Equal(DPrime.FromAuc(0.875), m.DPrime, 12);
        Assert.Equal(DPrime.FromAuc(0.75), m.ClassDPrime[0], 12);
        Assert.Equal(double.PositiveInfinity, m.ClassDPrime[1]);
        Assert.Equal(DPrime.FromAuc(0.75), m.MeanClassDPrime, 12);
    }

    [Fact]
    public void Evaluate_IsInvariantToRowOrder()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 40).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, 40).Select(_ => random.Next(2) * 1f).ToArray();
        var reversedScores = Enumerable.Range(0, 10).Reverse().SelectMany(r => scores.Skip(r * 4).Take(4)).ToArray();
        var reversedTargets = Enumerable.Range(0, 10).Reverse().SelectMany(r => targets.Skip(r * 4).Take(4)).ToArray();
        var a = MultiLabelEvaluation.Evaluate(scores, targets, 4);
        var b = MultiLabelEvaluation.Evaluate(reversedScores, reversedTargets, 4);
        Assert.Equal(a.MeanAveragePrecision, b.MeanAveragePrecision, 12);
        Assert.Equal(a.Lwlrap.Overall, b.Lwlrap.Overall, 12);
        Assert.Equal(a.MeanAuc, b.MeanAuc, 12);
    }

    [Fact]
    public void Evaluate_RejectsMismatchedSizes()
    {
        Assert.Throws<ArgumentException>(() => MultiLabelEvaluation.Evaluate(new float[6], new float[4], 2));
        Assert.Throws<ArgumentException>(() => MultiLabelEvaluation.Evaluate(new float[5], new float[5], 2));
    }
}
