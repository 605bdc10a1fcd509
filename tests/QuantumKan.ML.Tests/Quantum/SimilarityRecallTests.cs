using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

public class SimilarityRecallTests
{
    // One mode; only α varies, so fidelity falls with |Δα|.
    private static float[] At(float alpha) => [alpha, 0f, 0f];

    private const int A = 0, B = 1;

    [Fact]
    public void AtK_CountsQueriesWhoseTopKHoldsARowSharingALabel()
    {
        using var index = QuantumSimilarityIndex.Create([At(0), At(1), At(3)], 1.5);
        int[][] gallery = [[A], [B], [A]];
        float[][] queries = [At(0.9f), At(2.9f), At(1.1f)];
        int[][] labels = [[A], [A], [A, B]];
        // Query 0 is nearest to row 1 (B), then row 0 (A); query 1 to row 2 (A); query 2 (A or B) to row 1 (B).
        Assert.Equal(2 / 3.0, SimilarityRecall.AtK(index, gallery, queries, labels, k: 1), 12);
        Assert.Equal(1.0, SimilarityRecall.AtK(index, gallery, queries, labels, k: 2), 12);
    }

    [Fact]
    public void AtK_SkipsQueriesWithoutLabels()
    {
        using var index = QuantumSimilarityIndex.Create([At(0), At(1)], 1.5);
        Assert.Equal(0.0, SimilarityRecall.AtK(index, [[A], [B]], [At(0.1f), At(0.2f)], [[B], []], k: 1));
    }

    [Fact]
    public void LeaveOneOut_NeverCountsARowAsItsOwnMatch()
    {
        using var index = QuantumSimilarityIndex.Create([At(0), At(0.2f), At(3), At(3.3f)], 1.5);
        Assert.Equal(1.0, SimilarityRecall.LeaveOneOutAtK(index, [[A], [A], [B], [B]], k: 1));
        Assert.Equal(0.0, SimilarityRecall.LeaveOneOutAtK(index, [[A], [B], [A], [B]], k: 1));
    }

    [Fact]
    public void MismatchedLabelCounts_AreRejected()
    {
        using var index = QuantumSimilarityIndex.Create([At(0), At(1)], 1.5);
        Assert.Throws<ArgumentException>(() => SimilarityRecall.LeaveOneOutAtK(index, [[A]], k: 1));
        Assert.Throws<ArgumentException>(() => SimilarityRecall.AtK(index, [[A], [B]], [At(0)], [], k: 1));
    }
}
