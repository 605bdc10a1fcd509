namespace QuantumKan.Training.Loop;

/// <summary>
/// The counters and bookkeeping of a run that a checkpoint must carry for an exact resume. Serialized as JSON.
/// </summary>
public sealed class TrainingState
{
    /// <summary>The epoch being trained, 0-based (equals the number of completed epochs).</summary>
    public int Epoch { get; set; }

    /// <summary>Optimizer steps (accumulation groups) already done in <see cref="Epoch"/>.</summary>
    public int StepInEpoch { get; set; }

    /// <summary>Optimizer steps done in the whole run, skipped ones included (the schedule's position).</summary>
    public long GlobalStep { get; set; }

    /// <summary>Steps whose update was applied.</summary>
    public long AppliedSteps { get; set; }

    /// <summary>Steps skipped because the loss or the gradient was NaN or infinite.</summary>
    public long SkippedSteps { get; set; }

    /// <summary>Skipped steps in a row, up to now.</summary>
    public int ConsecutiveSkippedSteps { get; set; }

    /// <summary>Training examples processed.</summary>
    public long ExamplesSeen { get; set; }

    /// <summary>The number of training examples the run was planned for (a resume on other data is refused).</summary>
    public int TrainingSetSize { get; set; }

    /// <summary>The best value of the monitored metric so far; null before the first validation.</summary>
    public double? BestMetric { get; set; }

    /// <summary>The global step at which <see cref="BestMetric"/> was reached.</summary>
    public long? BestGlobalStep { get; set; }

    /// <summary>Validations since the last improvement (early-stopping counter).</summary>
    public int ValidationsWithoutImprovement { get; set; }

    /// <summary>The global step of the latest validation; −1 before the first.</summary>
    public long LastValidatedStep { get; set; } = -1;

    /// <summary>The number of validations run.</summary>
    public int Validations { get; set; }

    /// <summary>Why the run stopped before its last epoch (e.g. early stopping); null while it may continue.</summary>
    public string? StoppedEarlyReason { get; set; }

    /// <summary>Per-component sums of the training losses of the current epoch, each weighted by batch size.</summary>
    public Dictionary<string, double> EpochLossSums { get; set; } = new();

    /// <summary>Examples behind <see cref="EpochLossSums"/>.</summary>
    public long EpochExamples { get; set; }

    /// <summary>Per-name sums of the model's training metrics (<see cref="Model.ModelOutput.Metrics"/>) in the current epoch.</summary>
    public Dictionary<string, MetricSum> EpochMetricSums { get; set; } = new();

    /// <summary>Steps skipped in the current epoch.</summary>
    public long EpochSkippedSteps { get; set; }

    /// <summary>The learning rate used by the latest step.</summary>
    public double LastLearningRate { get; set; }

    /// <summary>One summary per completed epoch (training and validation losses, metrics), for curves and reports.</summary>
    public List<EpochSummary> History { get; set; } = new();

    /// <summary>
    /// The epoch whose end (or whose mid-epoch validation) reached <see cref="BestMetric"/>: the first summary at or after
    /// <see cref="BestGlobalStep"/>. These are the weights a run keeps as its best; null before the first validation.
    /// </summary>
    public EpochSummary? BestEpoch() =>
        BestGlobalStep is long step ? History.FirstOrDefault(e => e.GlobalStep >= step) : null;

    /// <summary>Whether nothing remains to train for a run of <paramref name="epochs"/> epochs.</summary>
    public bool IsFinished(int epochs) => StoppedEarlyReason is not null || Epoch >= epochs;
}

/// <summary>The record of one completed epoch.</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Optimizer steps done at its end.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="TrainingLosses">Mean unweighted training loss per component (and <c>total</c>), over the epoch's examples.</param>
/// <param name="ValidationLosses">Mean validation loss per component at the epoch's end; null when not validated.</param>
/// <param name="ValidationMetrics">Validation metrics by <see cref="MetricNames"/> name; null when not validated.</param>
/// <param name="SkippedSteps">Steps skipped in this epoch for non-finite values.</param>
/// <param name="TrainingMetrics">
/// Mean of each of the model's training metrics (<see cref="Model.ModelOutput.Metrics"/>) over the epoch's examples;
/// null when the model reports none.
/// </param>
public sealed record EpochSummary(
    int Epoch,
    long GlobalStep,
    double LearningRate,
    IReadOnlyDictionary<string, double> TrainingLosses,
    IReadOnlyDictionary<string, double>? ValidationLosses,
    IReadOnlyDictionary<string, double>? ValidationMetrics,
    long SkippedSteps,
    IReadOnlyDictionary<string, double>? TrainingMetrics = null);

/// <summary>
/// A running sum of one metric over examples: each batch adds its mean times its size, and a batch whose value is
/// NaN or infinite (undefined for that batch) adds nothing.
/// </summary>
/// <param name="Sum">Σ batch mean × batch size over the batches counted.</param>
/// <param name="Examples">The examples of the batches counted.</param>
public readonly record struct MetricSum(double Sum, long Examples)
{
    /// <summary>This sum with one more batch.</summary>
    public MetricSum Add(double batchMean, long examples) =>
        double.IsFinite(batchMean) ? new MetricSum(Sum + batchMean * examples, Examples + examples) : this;

    /// <summary>The mean over the examples counted; NaN when none were.</summary>
    public double Mean() => Examples == 0 ? double.NaN : Sum / Examples;

    /// <summary>Adds <paramref name="examples"/> of each named batch mean into <paramref name="sums"/>.</summary>
    internal static void AddAll(Dictionary<string, MetricSum> sums, IEnumerable<(string Name, double Value)> batchMeans, long examples)
    {
        foreach (var (name, value) in batchMeans)
            sums[name] = sums.GetValueOrDefault(name).Add(value, examples);
    }

    /// <summary>The mean of each sum.</summary>
    internal static Dictionary<string, double> Means(IReadOnlyDictionary<string, MetricSum> sums) =>
        sums.ToDictionary(kv => kv.Key, kv => kv.Value.Mean());
}
