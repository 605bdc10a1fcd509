using QuantumKan.Core;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Training.Loop;

/// <summary>
/// One optimizer step over a group of micro-batches: forward, multi-task loss, backward with each micro-batch's loss
/// scaled by its share of the group's examples (so the accumulated gradient equals the gradient of the whole group as
/// one batch), gradient-norm clipping, then AdamW — unless a loss or the gradient norm is NaN/∞, in which case the
/// update is skipped and reported.
/// </summary>
internal sealed class OptimizationStep(
    ITrainableModel model, MultiTaskLoss loss, OptimizerHelper optimizer, BatchReader reader, double maxGradientNorm)
{
    private readonly IReadOnlyList<Parameter> _parameters = model.Module.parameters().Where(p => p.requires_grad).ToList();

    /// <summary>Runs the step; the caller advances the learning-rate schedule afterwards.</summary>
    /// <param name="microBatches">The example indices of each micro-batch.</param>
    /// <param name="stepSeed">The step's seed (from the run's seed and global step); micro-batch m's batches get stepSeed + m.</param>
    public StepOutcome Run(int[][] microBatches, long stepSeed = 0)
    {
        // Also collects the tensor wrappers that zero_grad, clipping and AdamW create for gradients and moments.
        using var stepScope = torch.NewDisposeScope();
        optimizer.zero_grad();
        int groupSize = microBatches.Sum(m => m.Length);
        var sums = new Dictionary<string, double>();
        var metrics = new Dictionary<string, MetricSum>();
        string? skipReason = null;
        int seen = 0;
        for (int m = 0; m < microBatches.Length; m++)
        {
            var indices = microBatches[m];
            skipReason = ForwardBackward(indices, groupSize, sums, metrics, stepSeed + m);
            seen += indices.Length;
            if (skipReason is not null)
                break;
        }
        double gradientNorm = double.NaN;
        if (skipReason is null)
        {
            gradientNorm = ClipGradients();
            if (!double.IsFinite(gradientNorm))
                skipReason = $"the gradient norm is {gradientNorm}";
        }
        double learningRate = optimizer.ParamGroups.First().LearningRate;
        if (skipReason is null && optimizer is AdamW adamW)
            AdamWUpdate.Step(adamW); // TorchSharp's AdamW.step() with its Scalars held (see AdamWUpdate)
        else if (skipReason is null)
            optimizer.step();
        else
            optimizer.zero_grad();
        var means = sums.ToDictionary(kv => kv.Key, kv => kv.Value / seen);
        return new StepOutcome(means, learningRate, gradientNorm, groupSize, skipReason, metrics);
    }

    private string? ForwardBackward(int[] indices, int groupSize, Dictionary<string, double> sums, Dictionary<string, MetricSum> metrics, long seed)
    {
        using var scope = torch.NewDisposeScope();
        var batch = reader.Read(indices) with { RandomSeed = seed };
        var output = model.Forward(batch);
        MetricSum.AddAll(metrics, LossBreakdown.ReadScalars(output.Metrics), indices.Length);
        var breakdown = loss.Compute(output, batch, _parameters);
        double total = double.NaN;
        foreach (var (name, value) in breakdown.ReadValues())
        {
            Accumulate(sums, name, value * indices.Length);
            if (name == LossComponents.Total)
                total = value;
        }
        if (!double.IsFinite(total))
        {
            ThrowIfDataIsNotFinite(batch);
            return $"the loss is {total} ({Describe(breakdown)})";
        }
        // d(mean over group)/dθ = Σᵢ (nᵢ/N)·d(mean over micro-batch i)/dθ.
        breakdown.Total.Times(indices.Length / (double)groupSize).backward();
        return null;
    }

    /// <summary>A non-finite input is a data error, not a numerical accident: name the example instead of skipping steps.</summary>
    private static void ThrowIfDataIsNotFinite(TrainingBatch batch)
    {
        foreach (var (tensor, what) in new[] { (batch.Features, "features"), (batch.Labels, "labels") })
        {
            using var rowIsFinite = tensor.isfinite().flatten(1).all(1).cpu();
            var flags = rowIsFinite.data<bool>().ToArray();
            int row = Array.IndexOf(flags, false);
            if (row >= 0)
                throw new InvalidDataException($"Training example {batch.Indices[row]}: its {what} contain NaN or infinite values.");
        }
    }

    private double ClipGradients()
    {
        using var scope = torch.NewDisposeScope();
        // An infinite limit still returns the norm (for reporting and the NaN check) and scales by exactly 1.
        double limit = maxGradientNorm > 0 ? maxGradientNorm : double.PositiveInfinity;
        return nn.utils.clip_grad_norm_(_parameters, limit);
    }

    private static void Accumulate(Dictionary<string, double> sums, string name, double value) =>
        sums[name] = sums.GetValueOrDefault(name) + value;

    private static string Describe(LossBreakdown breakdown) =>
        string.Join(", ", breakdown.Components.Select(kv => $"{kv.Key} = {kv.Value.ToDouble()}"));
}

/// <summary>What one optimizer step did.</summary>
/// <param name="Losses">Mean unweighted loss per component (and total) over the examples processed.</param>
/// <param name="LearningRate">The learning rate of this step.</param>
/// <param name="GradientNorm">The gradient norm before clipping; NaN when not reached.</param>
/// <param name="Examples">The examples of the step's group.</param>
/// <param name="SkipReason">Why the update was skipped; null when applied.</param>
/// <param name="Metrics">The sums of the model's training metrics over the micro-batches processed.</param>
internal sealed record StepOutcome(
    IReadOnlyDictionary<string, double> Losses, double LearningRate, double GradientNorm, int Examples, string? SkipReason,
    IReadOnlyDictionary<string, MetricSum> Metrics)
{
    public bool Skipped => SkipReason is not null;
}
