using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Training.Metrics;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>
/// The hand-written multiclass metrics (kept for the training loop, which has no IDataView, and for macro-F1, which
/// ML.NET does not report) agree with ML.NET's own MulticlassClassification.Evaluate on the same scores.
/// </summary>
public class MulticlassMetricsAgreementTests
{
    private const int Classes = 3;

    public sealed class ScoredRow
    {
        [KeyType(Classes)]
        public uint Label { get; set; }

        [VectorType(Classes)]
        public float[] Score { get; set; } = [];

        [KeyType(Classes)]
        public uint PredictedLabel { get; set; }
    }

    // Softmax probabilities of a fixed, tie-free example: 8 rows, every class true and predicted at least once, 3 errors.
    private static readonly float[][] Probabilities =
    [
        [0.70f, 0.20f, 0.10f], [0.15f, 0.80f, 0.05f], [0.10f, 0.30f, 0.60f], [0.40f, 0.35f, 0.25f],
        [0.05f, 0.55f, 0.40f], [0.30f, 0.20f, 0.50f], [0.25f, 0.45f, 0.30f], [0.60f, 0.10f, 0.30f],
    ];
    private static readonly int[] Truth = [0, 1, 2, 1, 1, 0, 2, 0];

    private static int ArgMax(float[] p) => Array.IndexOf(p, p.Max());

    [Fact]
    public void OwnMetrics_EqualMlNetEvaluate_OnAFixedExample()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(Probabilities.Select((p, r) => new ScoredRow
        {
            Label = (uint)Truth[r],                           // a [KeyType] member holds the 0-based class index
            Score = p,
            PredictedLabel = (uint)ArgMax(p),
        }));
        var expected = ml.MulticlassClassification.Evaluate(view, "Label", "Score", "PredictedLabel");

        // As the evaluate command does: the logs of softmax probabilities are logits of the same distribution.
        var logits = Probabilities.SelectMany(p => p.Select(v => MathF.Log(v))).ToArray();
        var own = MulticlassEvaluation.FromLogits(logits, Truth, Classes);

        Assert.Equal(expected.MicroAccuracy, own.Accuracy, 12);
        Assert.Equal(expected.LogLoss, own.LogLoss, 6);
        for (int t = 0; t < Classes; t++)
        for (int p = 0; p < Classes; p++)
            Assert.Equal((long)expected.ConfusionMatrix.Counts[t][p], own.Confusion[t, p]);
        for (int c = 0; c < Classes; c++)
        {
            double precision = expected.ConfusionMatrix.PerClassPrecision[c], recall = expected.ConfusionMatrix.PerClassRecall[c];
            Assert.Equal(2 * precision * recall / (precision + recall), own.ClassF1[c], 12);
        }
        Assert.Equal(own.ClassF1.Average(), own.MacroF1, 12);
    }
}
