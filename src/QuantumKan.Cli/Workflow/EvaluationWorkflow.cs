using QuantumKan.ML;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Cli.Presentation;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Training.Metrics;

using QuantumKan.ML.Quantum;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Workflow;

/// <summary>The scores of a model on a labeled set and the metrics over the whole set.</summary>
/// <param name="Set">The clips, in score row order.</param>
/// <param name="ClassNames">The model's classes, in score column order.</param>
/// <param name="Scores">Row-major probabilities, <c>[clips, classes]</c>.</param>
/// <param name="Targets">Row-major multi-hot labels, <c>[clips, classes]</c>.</param>
/// <param name="MultiLabel">mAP, per-class AP, d′ and lwlrap (for a multiclass model: one-vs-rest, from the softmax scores).</param>
/// <param name="Multiclass">Accuracy, macro-F1 and log-loss for a multiclass model; null for multi-label.</param>
internal sealed record EvaluationResult(
    LabeledAudioSet Set,
    IReadOnlyList<string> ClassNames,
    float[] Scores,
    float[] Targets,
    MultiLabelMetrics MultiLabel,
    MulticlassMetrics? Multiclass)
{
    /// <summary>
    /// Leave-one-out precision@5 of similarity search over the evaluated clips (what <c>qkan similar</c> does): the share
    /// of each clip's 5 highest-fidelity other clips that share a label with it; null when the model has no embedding.
    /// </summary>
    public double? SimilarityPrecisionAt5 { get; init; }

    public int ClassCount => ClassNames.Count;

    /// <summary>How many clips carry each class.</summary>
    public int[] Positives()
    {
        var counts = new int[ClassCount];
        for (int i = 0; i < Targets.Length; i++)
            if (Targets[i] >= 0.5f)
                counts[i % ClassCount]++;
        return counts;
    }
}

/// <summary>
/// The <c>evaluate</c> recipe: score every clip of the set with the saved model (its own front end, streamed, then
/// its scorer: the scores the pipeline's PredictionEngine gives), then compute the metrics over the whole set at once.
/// </summary>
internal static class EvaluationWorkflow
{
    /// <summary>Scores every clip of <paramref name="set"/> with progress and computes the metrics.</summary>
    /// <param name="model">The model.</param>
    /// <param name="set">The clips, labeled in the model's class order.</param>
    /// <param name="listing">The listing file, named in errors about a clip's labels.</param>
    /// <param name="console">Where progress goes.</param>
    public static EvaluationResult Run(AudioClassifier model, LabeledAudioSet set, string listing, CliConsole console)
    {
        if (set.Clips.Count == 0)
            throw new InvalidDataException($"{listing}: there are no clips to evaluate.");
        int classes = model.ClassNames.Count;
        var scores = new float[set.Clips.Count * classes];
        var targets = new float[scores.Length];
        for (int i = 0; i < set.Clips.Count; i++)
            set.MultiHot(i).CopyTo(targets, i * classes);

        var embeddings = new List<float[]>();
        new ProgressDisplay(console).Run($"Scoring {set.Clips.Count} clips with the saved model", set.Clips.Count, step =>
        {
            // The model's own front end, streamed, then its scorer (AudioClassifier.Predict): the pipeline's scores bit
            // for bit, without a whole clip in memory.
            bool keepEmbeddings = model.Scorer.EmbeddingColumnName is not null;
            for (int row = 0; row < set.Clips.Count; row++)
            {
                console.Cancellation.ThrowIfCancellationRequested();
                var (clipScores, embedding) = model.Predict(set.Clips[row].Path);
                clipScores.CopyTo(scores, row * classes);
                if (keepEmbeddings)
                    embeddings.Add(embedding);
                step.SetDone(row + 1);
            }
            return set.Clips.Count;
        });

        var multiLabel = MultiLabelEvaluation.Evaluate(scores, targets, classes);
        MulticlassMetrics? multiclass = null;
        if (model.Scorer.Task == ClassificationTask.Multiclass)
        {
            var truth = SingleLabels(set, listing);
            // Softmax probabilities; their logs are logits of the same distribution (softmax(ln p) = p).
            var logits = scores.Select(p => MathF.Log(Math.Max(p, float.Epsilon))).ToArray();
            multiclass = MulticlassEvaluation.FromLogits(logits, truth, classes);
        }
        double? precision = null;
        if (embeddings.Count == set.Clips.Count && embeddings.Count > 5)
        {
            using var index = QuantumSimilarityIndex.Create(embeddings, model.Scorer.EmbeddingSigma);
            precision = SimilarityRecall.LeaveOneOutPrecisionAtK(index, set.Clips.Select(c => c.LabelIndices.ToArray()).ToArray(), 5);
        }
        return new EvaluationResult(set, model.ClassNames, scores, targets, multiLabel, multiclass) { SimilarityPrecisionAt5 = precision };
    }

    private static int[] SingleLabels(LabeledAudioSet set, string listing) => set.Clips.Select(c => c.LabelIndices.Count == 1
        ? c.LabelIndices[0]
        : throw new AudioDatasetException(listing, c.LineNumber, $"clip '{c.Fname}' has {c.LabelIndices.Count} labels; a multiclass model is evaluated on clips with exactly one.")).ToArray();
}
