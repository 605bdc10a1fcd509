namespace QuantumKan.Training.Metrics;

/// <summary>
/// Label-weighted label-ranking average precision (lwlrap), the DCASE 2019 Task 2 / FSDKaggle metric.
/// For each example and each of its true labels l: precision(l) = (true labels ranked at or above l) / (rank of l).
/// A class's lwlrap is the mean of those precisions over the examples where it is true; the overall lwlrap is their
/// mean over all (example, true label) pairs, which equals the class values weighted by each class's share of labels.
/// </summary>
/// <remarks>
/// Tied scores are ranked pessimistically, as scikit-learn's <c>label_ranking_average_precision_score</c> does
/// (a label's rank counts every label scoring at least as high), so the result does not depend on input order.
/// The DCASE reference breaks ties by sort order; both agree whenever scores are distinct.
/// Examples without any true label contribute nothing.
/// </remarks>
public static class LabelRankingPrecision
{
    /// <summary>Computes lwlrap over row-major scores and targets <c>[rows, classCount]</c>.</summary>
    public static LwlrapResult Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int classCount)
    {
        int rows = MultiLabelEvaluation.RowCount(scores, targets, classCount);
        var precisionSum = new double[classCount];
        var labelCount = new int[classCount];
        for (int r = 0; r < rows; r++)
        {
            var s = scores.Slice(r * classCount, classCount);
            var t = targets.Slice(r * classCount, classCount);
            for (int l = 0; l < classCount; l++)
            {
                if (!BinaryRanking.IsPositive(t[l]))
                    continue;
                int rank = 0, truesAtOrAbove = 0;
                for (int j = 0; j < classCount; j++)
                {
                    if (s[j] >= s[l])
                    {
                        rank++;
                        if (BinaryRanking.IsPositive(t[j])) truesAtOrAbove++;
                    }
                }
                precisionSum[l] += (double)truesAtOrAbove / rank;
                labelCount[l]++;
            }
        }
        long total = labelCount.Sum(c => (long)c);
        var perClass = new double[classCount];
        var weights = new double[classCount];
        for (int c = 0; c < classCount; c++)
        {
            perClass[c] = labelCount[c] == 0 ? double.NaN : precisionSum[c] / labelCount[c];
            weights[c] = total == 0 ? 0 : (double)labelCount[c] / total;
        }
        double overall = total == 0 ? double.NaN : precisionSum.Sum() / total;
        return new LwlrapResult(overall, perClass, weights);
    }
}

/// <summary>The result of <see cref="LabelRankingPrecision.Compute"/>.</summary>
/// <param name="Overall">lwlrap over all true labels, in [0, 1]; NaN when no example has a true label.</param>
/// <param name="PerClass">Per-class lwlrap; NaN for classes that are never true.</param>
/// <param name="ClassWeights">Each class's share of all true labels (sums to 1).</param>
public sealed record LwlrapResult(double Overall, IReadOnlyList<double> PerClass, IReadOnlyList<double> ClassWeights);
