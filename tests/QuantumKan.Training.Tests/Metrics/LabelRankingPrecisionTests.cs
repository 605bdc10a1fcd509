using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class LabelRankingPrecisionTests
{
    [Fact]
    public void Compute_MatchesHandComputedExample()
    {
        // Row 0: scores (.9, .5, .1), truth {0, 2}: class 0 at rank 1 → 1/1; class 2 at rank 3 with 2 trues at/above → 2/3.
        // Row 1: scores (.2, .8, .3), truth {1}: rank 1 → 1.
        float[] scores = [0.9f, 0.5f, 0.1f, 0.2f, 0.8f, 0.3f];
        float[] targets = [1, 0, 1, 0, 1, 0];
        var result = LabelRankingPrecision.Compute(scores, targets, 3);
        Assert.Equal((1 + 2.0 / 3 + 1) / 3, result.Overall, 12);
        Assert.Equal(1.0, result.PerClass[0], 12);
        Assert.Equal(1.0, result.PerClass[1], 12);
        Assert.Equal(2.0 / 3, result.PerClass[2], 12);
        Assert.All(result.ClassWeights, w => Assert.Equal(1.0 / 3, w, 12));
    }

    [Fact]
    public void Compute_RanksTiesPessimistically_AndSkipsClassesNeverTrue()
    {
        // The true class ties with a false one: its rank counts both → precision 1/2.
        var result = LabelRankingPrecision.Compute([0.5f, 0.5f, 0.1f], [0, 1, 0], 3);
        Assert.Equal(0.5, result.Overall, 12);
        Assert.True(double.IsNaN(result.PerClass[0]));
        Assert.Equal(0.0, result.ClassWeights[0]);
    }

    [Fact]
    public void Compute_EqualsLabelCountWeightedMeanOfPerRowLrap()
    {
        // The DCASE 2019 reference shows lwlrap = scikit-learn LRAP with each row weighted by its number of true labels.
        var random = new Random(11);
        for (int trial = 0; trial < 100; trial++)
        {
            int rows = random.Next(1, 12), classes = random.Next(1, 7);
            var scores = Enumerable.Range(0, rows * classes).Select(_ => random.Next(0, 4) / 3f).ToArray();
            var targets = Enumerable.Range(0, rows * classes).Select(_ => random.Next(0, 3) == 0 ? 1f : 0f).ToArray();
            BinaryRankingTests.AssertSameOrBothNaN(
                WeightedLrap(scores, targets, classes), LabelRankingPrecision.Compute(scores, targets, classes).Overall);
        }
    }

    private static double WeightedLrap(float[] scores, float[] targets, int classes)
    {
        double weighted = 0, weights = 0;
        for (int r = 0; r < scores.Length / classes; r++)
        {
            var s = scores.AsSpan(r * classes, classes).ToArray();
            var t = targets.AsSpan(r * classes, classes).ToArray();
            var truths = Enumerable.Range(0, classes).Where(c => t[c] == 1).ToArray();
            if (truths.Length == 0) continue;
            double lrap = truths.Average(l =>
                (double)truths.Count(j => s[j] >= s[l]) / Enumerable.Range(0, classes).Count(j => s[j] >= s[l]));
            weighted += truths.Length * lrap;
            weights += truths.Length;
        }
        return weights == 0 ? double.NaN : weighted / weights;
    }
}
