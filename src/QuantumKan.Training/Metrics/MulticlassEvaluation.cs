namespace QuantumKan.Training.Metrics;

/// <summary>
/// Metrics of a single-label (multiclass) classifier over a whole evaluation set: accuracy, macro-F1 and log-loss,
/// computed from logits <c>[rows, classCount]</c> and true class indices.
/// <para>
/// Kept rather than ML.NET's <c>MulticlassClassification.Evaluate</c>: the training loop scores tensors with no
/// IDataView (QuantumKan.Training does not reference ML.NET), and ML.NET reports no macro-F1; on the same scores, accuracy,
/// log-loss and the confusion counts equal ML.NET's (MulticlassMetricsAgreementTests).
/// </para>
/// </summary>
public static class MulticlassEvaluation
{
    /// <summary>Computes accuracy, macro-F1 and log-loss from logits.</summary>
    /// <param name="logits">Row-major unnormalized scores, <c>rows × classCount</c>; the prediction is the arg-max (lowest index on ties).</param>
    /// <param name="labels">True class index per row, each in [0, classCount).</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">Sizes disagree, a logit is NaN, or a label is out of range (the message names the row).</exception>
    public static MulticlassMetrics FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (logits.Length != labels.Length * classCount)
            throw new ArgumentException($"{logits.Length} logits do not match {labels.Length} rows of {classCount} classes.", nameof(logits));
        int rows = labels.Length;
        if (rows == 0)
            throw new ArgumentException("Cannot evaluate an empty set.", nameof(labels));
        var confusion = new long[classCount, classCount];
        double logLoss = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classCount, classCount);
            int truth = labels[r];
            if ((uint)truth >= (uint)classCount)
                throw new ArgumentException($"Row {r}: label {truth} is outside [0, {classCount}).", nameof(labels));
            int predicted = ArgMax(row, r);
            confusion[truth, predicted]++;
            logLoss += LogSumExp(row) - row[truth];
        }
        return Summarize(confusion, logLoss / rows);
    }

    /// <summary>The true class index of each one-hot label row (row-major <c>[rows, classCount]</c>).</summary>
    /// <exception cref="InvalidDataException">A row does not hold exactly one value ≥ 0.5 (the message names the row).</exception>
    public static int[] ClassIndicesFromOneHot(ReadOnlySpan<float> oneHot, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (oneHot.Length % classCount != 0)
            throw new ArgumentException($"{oneHot.Length} label values are not a whole number of rows of {classCount}.", nameof(oneHot));
        var result = new int[oneHot.Length / classCount];
        for (int r = 0; r < result.Length; r++)
        {
            int found = -1;
            for (int c = 0; c < classCount; c++)
            {
                if (!BinaryRanking.IsPositive(oneHot[r * classCount + c])) continue;
                if (found >= 0)
                    throw new InvalidDataException($"Row {r}: classes {found} and {c} are both set; a multiclass label needs exactly one.");
                found = c;
            }
            result[r] = found >= 0 ? found : throw new InvalidDataException($"Row {r}: no class is set; a multiclass label needs exactly one.");
        }
        return result;
    }

    private static MulticlassMetrics Summarize(long[,] confusion, double logLoss)
    {
        int k = confusion.GetLength(0);
        long correct = 0, total = 0;
        var f1 = new double[k];
        var support = new long[k];
        var present = new List<double>();
        for (int c = 0; c < k; c++)
        {
            long tp = confusion[c, c], truePositives = 0, predictedPositives = 0;
            for (int j = 0; j < k; j++)
            {
                truePositives += confusion[c, j];
                predictedPositives += confusion[j, c];
                total += confusion[c, j];
            }
            correct += tp;
            support[c] = truePositives;
            // F1 = 2·TP / (2·TP + FP + FN); 0 when the class has neither support nor predictions is excluded below.
            long denominator = truePositives + predictedPositives;
            f1[c] = denominator == 0 ? double.NaN : 2.0 * tp / denominator;
            if (denominator > 0) present.Add(f1[c]);
        }
        // Macro average over classes that occur in the truth or the predictions (scikit-learn's default label set).
        return new MulticlassMetrics((double)correct / total, present.Average(), logLoss, f1, support, confusion);
    }

    private static int ArgMax(ReadOnlySpan<float> row, int rowIndex)
    {
        int best = 0;
        for (int c = 0; c < row.Length; c++)
        {
            if (float.IsNaN(row[c]))
                throw new ArgumentException($"Row {rowIndex}: logit {c} is NaN.", "logits");
            if (row[c] > row[best]) best = c;
        }
        return best;
    }

    private static double LogSumExp(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        double sum = 0;
        foreach (var v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}

/// <summary>Multiclass metrics over a whole evaluation set (see <see cref="MulticlassEvaluation"/>).</summary>
/// <param name="Accuracy">The fraction of rows whose arg-max is the true class.</param>
/// <param name="MacroF1">The unweighted mean F1 over classes present in the truth or the predictions.</param>
/// <param name="LogLoss">The mean of −log softmax(logits)[truth], in nats (computed stably from the logits).</param>
/// <param name="ClassF1">Per-class F1; NaN for classes neither true nor predicted.</param>
/// <param name="Support">The number of rows of each true class.</param>
/// <param name="Confusion">Counts [truth, predicted].</param>
public sealed record MulticlassMetrics(
    double Accuracy,
    double MacroF1,
    double LogLoss,
    IReadOnlyList<double> ClassF1,
    IReadOnlyList<long> Support,
    long[,] Confusion);
