using QuantumKan.Training.Model;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Everything that defines a training run. Saved (as JSON) in every checkpoint; an exact resume requires the options
/// that shape the trajectory to be unchanged (see <see cref="Trainer"/>).
/// </summary>
/// <remarks>
/// Defaults differ from the original system's (batch 32, lr 1e-4, accumulation 4, weight decay 1e-5, L2 1e-5), which
/// leave small networks near chance level on the noisy synthetic sets of the tests (an MLP 24→64→8 on 600 clips), where
/// these defaults come close to the ceiling (<c>TrainerQualityTests</c> holds the two apart). A lower learning rate
/// needed many more epochs to catch up; a higher one was faster early but worse on the multiclass set later.
/// Accumulation is a memory knob, not a quality knob: with 4 it needed far more epochs to match none, so it defaults to 1. Under decoupled decay a weight decay of 1e-5 does nothing measurable; 1e-2 is AdamW's usual value.
/// Clipping at norm 1 and the 5 % warmup cost nothing on these sets and guard the first steps of deeper networks.
/// </remarks>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set; default 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Examples per micro-batch (one forward/backward); default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Micro-batches whose gradients are accumulated into one optimizer step; default 1 (effective batch = BatchSize × this).</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Peak (post-warmup) AdamW learning rate; default 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>AdamW decoupled weight decay on weight matrices (not biases); default 1e-2.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>AdamW β₁; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW ε; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Fraction of all optimizer steps spent in linear warmup, in [0, 1); default 0.05.</summary>
    public double WarmupFraction { get; init; } = 0.05;

    /// <summary>Learning-rate factor the cosine decays to, in [0, 1]; default 0.</summary>
    public double FinalLearningRateFactor { get; init; }

    /// <summary>Maximum global L2 norm of the gradient; larger gradients are rescaled. 0 disables clipping; default 1.0.</summary>
    public double MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Seed of the per-epoch shuffle and of torch's generator (dropout); ML.NET passes its MLContext seed; default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Shuffle the training set every epoch (seeded); default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The multi-task loss weights.</summary>
    public LossWeights LossWeights { get; init; } = new();

    /// <summary>Validate every this many epochs (at the epoch's end); 0 disables epoch validation; default 1.</summary>
    public int ValidateEveryEpochs { get; init; } = 1;

    /// <summary>Also validate every this many optimizer steps; 0 disables; default 0.</summary>
    public int ValidateEverySteps { get; init; }

    /// <summary>
    /// The validation metric that selects the best checkpoint and drives early stopping (see <see cref="MetricNames"/>);
    /// null picks mAP for multi-label tasks and accuracy for multiclass tasks.
    /// </summary>
    public string? MonitorMetric { get; init; }

    /// <summary>Validations without improvement before training stops; 0 disables early stopping; default 10.</summary>
    public int EarlyStoppingPatience { get; init; } = 10;

    /// <summary>The smallest change of the monitored metric that counts as an improvement; default 1e-4.</summary>
    public double EarlyStoppingMinDelta { get; init; } = 1e-4;

    /// <summary>At the end, load the weights of the best validation into the model; default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Write a checkpoint every this many optimizer steps (besides each epoch end); 0 disables; default 0.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>
    /// Folder for <c>last</c> and <c>best</c> checkpoints; null keeps them in memory only; default null. A run holds the
    /// folder's lock (<see cref="Checkpoints.TrainingWorkspace"/>) while it trains, and a fresh <see cref="Trainer.Fit"/>
    /// refuses a folder that already holds checkpoints unless <see cref="OverwriteWorkspace"/> is set.
    /// </summary>
    public string? Workspace { get; init; }

    /// <summary>
    /// Let a fresh <see cref="Trainer.Fit"/> replace the checkpoints an earlier run left in <see cref="Workspace"/>
    /// (otherwise it throws <see cref="Checkpoints.WorkspaceNotEmptyException"/>); default false. Not part of a checkpoint.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool OverwriteWorkspace { get; init; }

    /// <summary>Consecutive optimizer steps with a non-finite loss or gradient before training stops; default 5.</summary>
    public int MaxConsecutiveNonFiniteSteps { get; init; } = 5;

    /// <summary>Device: "cpu", "cuda", "cuda:N" or "auto"; default "cpu".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>When the requested GPU is unavailable, train on the CPU instead of failing; default false.</summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "must be ≥ 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be ≥ 1");
        Require(AccumulationSteps >= 1, nameof(AccumulationSteps), AccumulationSteps, "must be ≥ 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "must be > 0");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be ≥ 0");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
        Require(Epsilon >= 0, nameof(Epsilon), Epsilon, "must be ≥ 0");
        Require(WarmupFraction is >= 0 and < 1, nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        Require(FinalLearningRateFactor is >= 0 and <= 1, nameof(FinalLearningRateFactor), FinalLearningRateFactor, "must be in [0, 1]");
        Require(MaxGradientNorm >= 0, nameof(MaxGradientNorm), MaxGradientNorm, "must be ≥ 0");
        Require(ValidateEveryEpochs >= 0, nameof(ValidateEveryEpochs), ValidateEveryEpochs, "must be ≥ 0");
        Require(ValidateEverySteps >= 0, nameof(ValidateEverySteps), ValidateEverySteps, "must be ≥ 0");
        Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be ≥ 0");
        Require(EarlyStoppingMinDelta >= 0, nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "must be ≥ 0");
        Require(CheckpointEverySteps >= 0, nameof(CheckpointEverySteps), CheckpointEverySteps, "must be ≥ 0");
        Require(MaxConsecutiveNonFiniteSteps >= 1, nameof(MaxConsecutiveNonFiniteSteps), MaxConsecutiveNonFiniteSteps, "must be ≥ 1");
        if (MonitorMetric is not null && !MetricNames.IsKnown(MonitorMetric))
            throw new ArgumentOutOfRangeException(nameof(MonitorMetric), MonitorMetric, $"Unknown metric; use one of {string.Join(", ", MetricNames.All)}.");
        LossWeights.Validate();
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} {rule}.");
    }
}
