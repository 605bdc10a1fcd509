namespace QuantumKan.Training.Metrics;

/// <summary>
/// Ranking metrics of one binary problem (one class): average precision and ROC AUC. Scores are any monotone
/// confidence (probabilities or logits); a target ≥ 0.5 counts as positive. Ties are handled as scikit-learn does.
/// </summary>
public static class BinaryRanking
{
    /// <summary>
    /// Average precision with scikit-learn's <c>average_precision_score</c> semantics:
    /// AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first (no interpolation; tied scores enter together).
    /// </summary>
    /// <returns>AP in [0, 1], or NaN when there is no positive example (AP is undefined then).</returns>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets) =>
        AveragePrecision(scores, targets, SortedDescending(scores, targets), CountPositives(targets));

    /// <summary>
    /// <see cref="AveragePrecision(ReadOnlySpan{float}, ReadOnlySpan{float})"/> and
    /// <see cref="RocAuc(ReadOnlySpan{float}, ReadOnlySpan{float})"/> of one column from a single sort.
    /// </summary>
    internal static (double AveragePrecision, double RocAuc) AveragePrecisionAndRocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        var order = SortedDescending(scores, targets);
        int positives = CountPositives(targets);
        return (AveragePrecision(scores, targets, order, positives), RocAuc(scores, targets, order, positives));
    }

    private static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int[] order, int positives)
    {
        if (positives == 0)
            return double.NaN;
        double ap = 0, previousRecall = 0;
        int tp = 0, fp = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = EndOfTieGroup(order, scores, start);
            for (int k = start; k < end; k++)
            {
                if (IsPositive(targets[order[k]])) tp++;
                else fp++;
            }
            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * ((double)tp / (tp + fp));
            previousRecall = recall;
            start = end;
        }
        return ap;
    }

    /// <summary>
    /// Area under the ROC curve, computed as the Mann–Whitney statistic: the probability that a random positive scores
    /// above a random negative, ties counting one half.
    /// </summary>
    /// <returns>AUC in [0, 1], or NaN when all examples are positive or all are negative.</returns>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets) =>
        RocAuc(scores, targets, SortedDescending(scores, targets), CountPositives(targets));

    private static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int[] order, int positives)
    {
        int negatives = targets.Length - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        // Walk from the highest score down: each negative is beaten by every positive seen before its tie group,
        // and ties with the positives inside its group count one half.
        double wins = 0;
        long positivesAbove = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = EndOfTieGroup(order, scores, start);
            int groupPositives = 0, groupNegatives = 0;
            for (int k = start; k < end; k++)
            {
                if (IsPositive(targets[order[k]])) groupPositives++;
                else groupNegatives++;
            }
            wins += groupNegatives * (positivesAbove + 0.5 * groupPositives);
            positivesAbove += groupPositives;
            start = end;
        }
        return wins / ((double)positives * negatives);
    }

    internal static bool IsPositive(float target) => target >= 0.5f;

    private static int CountPositives(ReadOnlySpan<float> targets)
    {
        int n = 0;
        foreach (var t in targets)
            if (IsPositive(t)) n++;
        return n;
    }

    private static int[] SortedDescending(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        if (scores.Length != targets.Length)
            throw new ArgumentException($"{scores.Length} scores but {targets.Length} targets.", nameof(targets));
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
                throw new ArgumentException($"Score of row {i} is NaN; ranking metrics need comparable scores.", nameof(scores));
            if (!float.IsFinite(targets[i]))
                throw new ArgumentException($"Target of row {i} is {targets[i]}.", nameof(targets));
        }
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        // Sort ascending by −score: a stable, total order whatever the tie layout (ties are grouped afterwards).
        for (int i = 0; i < keys.Length; i++) keys[i] = -keys[i];
        Array.Sort(keys, order);
        return order;
    }

    private static int EndOfTieGroup(int[] order, ReadOnlySpan<float> scores, int start)
    {
        int end = start + 1;
        while (end < order.Length && scores[order[end]] == scores[order[start]])
            end++;
        return end;
    }
}
