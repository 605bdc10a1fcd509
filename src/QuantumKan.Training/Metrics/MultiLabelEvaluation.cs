namespace QuantumKan.Training.Metrics;

/// <summary>
/// Clip-level metrics of a multi-label classifier over a whole evaluation set: mAP, per-class AP, ROC AUC, d′ and lwlrap.
/// Scores and targets are row-major <c>[rows, classCount]</c>; scores may be probabilities or logits (all these metrics
/// depend only on the ranking), a target ≥ 0.5 is a positive.
/// </summary>
public static class MultiLabelEvaluation
{
    /// <summary>Computes every multi-label metric.</summary>
    /// <param name="scores">Row-major scores, <c>rows × classCount</c>; NaN is rejected.</param>
    /// <param name="targets">Row-major multi-hot targets of the same size.</param>
    /// <param name="classCount">The number of classes (columns).</param>
    /// <exception cref="ArgumentException">Sizes disagree or a score is NaN (the message names the row).</exception>
    public static MultiLabelMetrics Evaluate(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int classCount)
    {
        int rows = RowCount(scores, targets, classCount);
        var ap = new double[classCount];
        var auc = new double[classCount];
        var columnScores = new float[rows];
        var columnTargets = new float[rows];
        for (int c = 0; c < classCount; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                columnScores[r] = scores[r * classCount + c];
                columnTargets[r] = targets[r * classCount + c];
            }
            (ap[c], auc[c]) = BinaryRanking.AveragePrecisionAndRocAuc(columnScores, columnTargets);
        }
        var dPrime = auc.Select(DPrime.FromAuc).ToArray();
        var withoutPositives = Enumerable.Range(0, classCount).Where(c => double.IsNaN(ap[c])).ToArray();
        double meanAuc = MeanOfDefined(auc);
        return new MultiLabelMetrics(
            MeanAveragePrecision: MeanOfDefined(ap),
            MeanAuc: meanAuc,
            DPrime: DPrime.FromAuc(meanAuc),
            Lwlrap: LabelRankingPrecision.Compute(scores, targets, classCount),
            AveragePrecision: ap,
            Auc: auc,
            ClassDPrime: dPrime,
            ClassesWithoutPositives: withoutPositives);
    }

    /// <summary>The mean of the values that are not NaN; NaN when none is.</summary>
    internal static double MeanOfDefined(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    internal static int RowCount(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (scores.Length != targets.Length)
            throw new ArgumentException($"{scores.Length} scores but {targets.Length} targets.", nameof(targets));
        if (scores.Length % classCount != 0)
            throw new ArgumentException($"{scores.Length} scores are not a whole number of rows of {classCount} classes.", nameof(scores));
        return scores.Length / classCount;
    }
}

/// <summary>Multi-label metrics over a whole evaluation set (see <see cref="MultiLabelEvaluation"/>).</summary>
/// <param name="MeanAveragePrecision">mAP: the mean per-class AP over classes that have at least one positive.</param>
/// <param name="MeanAuc">The mean per-class ROC AUC over classes with both positives and negatives.</param>
/// <param name="DPrime">d′ = √2·Φ⁻¹(mean AUC), the AudioSet/FSD50K convention; +∞ when the mean AUC is 1.</param>
/// <param name="Lwlrap">Label-weighted label-ranking average precision, overall and per class.</param>
/// <param name="AveragePrecision">Per-class AP; NaN for classes without positives (excluded from mAP).</param>
/// <param name="Auc">Per-class ROC AUC; NaN for classes without positives or without negatives.</param>
/// <param name="ClassDPrime">Per-class d′ = √2·Φ⁻¹(AUC).</param>
/// <param name="ClassesWithoutPositives">The classes excluded from mAP because no example has them.</param>
public sealed record MultiLabelMetrics(
    double MeanAveragePrecision,
    double MeanAuc,
    double DPrime,
    LwlrapResult Lwlrap,
    IReadOnlyList<double> AveragePrecision,
    IReadOnlyList<double> Auc,
    IReadOnlyList<double> ClassDPrime,
    IReadOnlyList<int> ClassesWithoutPositives)
{
    /// <summary>The mean of the per-class d′ values that are finite (a readable companion to <see cref="DPrime"/>).</summary>
    public double MeanClassDPrime => MultiLabelEvaluation.MeanOfDefined(ClassDPrime.Where(double.IsFinite));
}
