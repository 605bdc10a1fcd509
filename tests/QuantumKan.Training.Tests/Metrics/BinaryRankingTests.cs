using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class BinaryRankingTests
{
    [Fact]
    public void AveragePrecision_MatchesHandComputedScikitLearnExample()
    {
        // scikit-learn's documented example: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
        // Thresholds 0.8 (P=1, R=.5), 0.4 (P=.5, R=.5), 0.35 (P=2/3, R=1): .5·1 + 0 + .5·2/3.
        double ap = BinaryRanking.AveragePrecision([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, ap, 12);
    }

    [Fact]
    public void AveragePrecision_TiedScoresEnterTogether()
    {
        // Tie group {0.5: one positive, one negative} gives P=.5 at R=.5; then 0.2 gives P=2/3 at R=1.
        double ap = BinaryRanking.AveragePrecision([0.5f, 0.5f, 0.2f], [1, 0, 1]);
        Assert.Equal(0.25 + 0.5 * 2.0 / 3.0, ap, 12);
    }

    [Fact]
    public void AveragePrecision_IsNaNWithoutPositives_AndOneForPerfectRanking()
    {
        Assert.True(double.IsNaN(BinaryRanking.AveragePrecision([0.3f, 0.2f], [0, 0])));
        Assert.Equal(1.0, BinaryRanking.AveragePrecision([0.9f, 0.8f, 0.1f], [1, 1, 0]), 12);
    }

    [Fact]
    public void RocAuc_MatchesHandComputedPairCounts()
    {
        // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered correctly.
        Assert.Equal(0.75, BinaryRanking.RocAuc([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]), 12);
        // A tie between a positive and a negative counts one half: (0.5 + 0) / 2.
        Assert.Equal(0.25, BinaryRanking.RocAuc([0.5f, 0.5f, 0.2f], [1, 0, 1]), 12);
        Assert.True(double.IsNaN(BinaryRanking.RocAuc([0.5f, 0.2f], [1, 1])));
    }

    [Fact]
    public void RankingMetrics_AgreeWithTheirDefinitionsOnRandomTiedData()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(1, 25);
            // Few distinct score values so that ties are common.
            var scores = Enumerable.Range(0, n).Select(_ => random.Next(0, 6) / 5f).ToArray();
            var targets = Enumerable.Range(0, n).Select(_ => random.Next(0, 3) == 0 ? 1f : 0f).ToArray();
            AssertSameOrBothNaN(ApByDefinition(scores, targets), BinaryRanking.AveragePrecision(scores, targets));
            AssertSameOrBothNaN(AucByPairCounting(scores, targets), BinaryRanking.RocAuc(scores, targets));
        }
    }

    [Fact]
    public void RankingMetrics_RejectNaNScoresNamingTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryRanking.AveragePrecision([0.1f, float.NaN], [0, 1]));
        Assert.Contains("row 1", error.Message);
        Assert.Throws<ArgumentException>(() => BinaryRanking.RocAuc([0.1f], [0, 1]));
    }

    internal static void AssertSameOrBothNaN(double expected, double actual)
    {
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"expected NaN, got {actual}");
        else Assert.Equal(expected, actual, 10);
    }

    // O(n²) statement of the definition: for each distinct threshold t (descending), precision and recall of "score ≥ t".
    private static double ApByDefinition(float[] scores, float[] targets)
    {
        int positives = targets.Count(t => t == 1);
        if (positives == 0) return double.NaN;
        double ap = 0, previousRecall = 0;
        foreach (var t in scores.Distinct().OrderByDescending(s => s))
        {
            int selected = scores.Count(s => s >= t);
            int hits = scores.Where((s, i) => s >= t && targets[i] == 1).Count();
            double recall = (double)hits / positives;
            ap += (recall - previousRecall) * hits / selected;
            previousRecall = recall;
        }
        return ap;
    }

    private static double AucByPairCounting(float[] scores, float[] targets)
    {
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < scores.Length; i++)
            for (int j = 0; j < scores.Length; j++)
            {
                if (targets[i] != 1 || targets[j] != 0) continue;
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        return pairs == 0 ? double.NaN : wins / pairs;
    }
}
