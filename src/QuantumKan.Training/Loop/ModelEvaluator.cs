using System.Runtime.InteropServices;
using QuantumKan.Training.Data;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Runs a model over a WHOLE feature source in eval mode and computes the mean of every loss component and the task's
/// metrics over all of it. When the source is an <see cref="IClipPatchSource"/> with several patches per clip, metrics
/// are clip-level: each clip's logits are the mean of its patch logits (see <see cref="ClipScores"/>). A model without
/// class scores is scored by its weighted loss and its own metrics (<see cref="ModelOutput.Metrics"/>) alone.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="source"/>.</summary>
    /// <param name="model">The model; its train/eval mode is restored afterwards.</param>
    /// <param name="source">The examples; all of them are used, in order.</param>
    /// <param name="task">Multi-label or multiclass, which picks the metrics.</param>
    /// <param name="loss">The multi-task loss, for the per-component validation losses.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="device">Where the model lives.</param>
    public static Evaluation Evaluate(ITrainableModel model, IFeatureSource source, ClassificationTask task, MultiTaskLoss loss, int batchSize, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Count == 0)
            throw new ArgumentException("The evaluation set is empty.", nameof(source));
        var (logits, targets, losses, modelMetrics) = Predict(model, source, loss, batchSize, device);
        if (!model.HasClassScores)
        {
            var metrics = new Dictionary<string, double>(modelMetrics) { [MetricNames.Loss] = losses[LossComponents.Total] };
            return new Evaluation(losses, metrics, null, null, [], []);
        }
        var (clipLogits, clipTargets) = PoolClips(source, logits, targets);
        return Score(task, clipLogits, clipTargets, source.LabelSize, losses, modelMetrics);
    }

    private static (float[] Logits, float[] Targets, Dictionary<string, double> Losses, Dictionary<string, double> Metrics) Predict(
        ITrainableModel model, IFeatureSource source, MultiTaskLoss loss, int batchSize, Device device)
    {
        int classes = model.HasClassScores ? source.LabelSize : 0;
        var logits = new float[(long)source.Count * classes];
        var targets = new float[logits.Length];
        var sums = new Dictionary<string, double>();
        var metricSums = new Dictionary<string, MetricSum>();
        var parameters = model.Module.parameters().Where(p => p.requires_grad).ToList();
        var reader = new BatchReader(source, device);
        bool wasTraining = model.Module.training;
        model.Module.eval();
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var indices in ShuffledOrder.Sequential(source.Count).Chunk(batchSize))
            {
                using var scope = torch.NewDisposeScope();
                var batch = reader.Read(indices);
                var output = model.Forward(batch);
                var breakdown = loss.Compute(output, batch, parameters);
                foreach (var (name, value) in breakdown.ReadValues())
                    sums[name] = sums.GetValueOrDefault(name) + value * indices.Length;
                MetricSum.AddAll(metricSums, LossBreakdown.ReadScalars(output.Metrics), indices.Length);
                if (output.Logits is null)
                    continue;
                CopyRows(output.Logits, logits.AsSpan(indices[0] * classes, indices.Length * classes));
                CopyRows(batch.Labels, targets.AsSpan(indices[0] * classes, indices.Length * classes));
            }
        }
        finally
        {
            model.Module.train(wasTraining);
        }
        return (logits, targets, sums.ToDictionary(kv => kv.Key, kv => kv.Value / source.Count), MetricSum.Means(metricSums));
    }

    private static void CopyRows(Tensor values, Span<float> destination)
    {
        using var cpu = values.detach().to(ScalarType.Float32).cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(destination);
    }

    private static (float[] Logits, float[] Targets) PoolClips(IFeatureSource source, float[] logits, float[] targets)
    {
        if (source is not IClipPatchSource patches || patches.ClipCount == source.Count && IsIdentity(patches))
            return (logits, targets);
        int classes = source.LabelSize;
        var clipOf = Enumerable.Range(0, source.Count).Select(patches.ClipOf).ToArray();
        var pooled = ClipScores.MeanPatchLogits(logits, clipOf, classes, patches.ClipCount);
        var clipTargets = new float[pooled.Length];
        var filled = new bool[patches.ClipCount];
        for (int p = 0; p < clipOf.Length; p++)
        {
            var row = targets.AsSpan(p * classes, classes);
            var clipRow = clipTargets.AsSpan(clipOf[p] * classes, classes);
            if (!filled[clipOf[p]])
            {
                row.CopyTo(clipRow);
                filled[clipOf[p]] = true;
            }
            else if (!row.SequenceEqual(clipRow))
                throw new InvalidDataException($"Patch {p} of clip {clipOf[p]} has different labels from the clip's first patch; all patches of a clip must share its labels.");
        }
        return (pooled, clipTargets);
    }

    private static bool IsIdentity(IClipPatchSource source)
    {
        for (int i = 0; i < source.Count; i++)
            if (source.ClipOf(i) != i) return false;
        return true;
    }

    private static Evaluation Score(ClassificationTask task, float[] logits, float[] targets, int classes, Dictionary<string, double> losses,
        Dictionary<string, double> modelMetrics)
    {
        var metrics = new Dictionary<string, double>(modelMetrics) { [MetricNames.Loss] = losses[LossComponents.Total] };
        if (task == ClassificationTask.MultiLabel)
        {
            var m = MultiLabelEvaluation.Evaluate(logits, targets, classes);
            metrics[MetricNames.MeanAveragePrecision] = m.MeanAveragePrecision;
            metrics[MetricNames.DPrime] = m.DPrime;
            metrics[MetricNames.MeanAuc] = m.MeanAuc;
            metrics[MetricNames.Lwlrap] = m.Lwlrap.Overall;
            return new Evaluation(losses, metrics, m, null, logits, targets);
        }
        var c = MulticlassEvaluation.FromLogits(logits, MulticlassEvaluation.ClassIndicesFromOneHot(targets, classes), classes);
        metrics[MetricNames.Accuracy] = c.Accuracy;
        metrics[MetricNames.MacroF1] = c.MacroF1;
        metrics[MetricNames.LogLoss] = c.LogLoss;
        return new Evaluation(losses, metrics, null, c, logits, targets);
    }
}

/// <summary>The result of <see cref="ModelEvaluator.Evaluate"/>.</summary>
/// <param name="Losses">Mean unweighted loss per component (and total) over all examples.</param>
/// <param name="Metrics">Scalar metrics by <see cref="MetricNames"/> name (including <c>loss</c>).</param>
/// <param name="MultiLabel">Per-class multi-label metrics, or null.</param>
/// <param name="Multiclass">Per-class multiclass metrics, or null.</param>
/// <param name="Logits">Clip-level logits, row-major <c>[clips, classes]</c> (mean of patch logits when pooled); empty for a model without class scores.</param>
/// <param name="Targets">Clip-level targets, row-major <c>[clips, classes]</c>; empty for a model without class scores.</param>
public sealed record Evaluation(
    IReadOnlyDictionary<string, double> Losses,
    IReadOnlyDictionary<string, double> Metrics,
    MultiLabelMetrics? MultiLabel,
    MulticlassMetrics? Multiclass,
    float[] Logits,
    float[] Targets);
