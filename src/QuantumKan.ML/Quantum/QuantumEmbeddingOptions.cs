using System.Text.Json.Serialization;
using Microsoft.ML;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Options of <c>mlContext.Transforms.QuantumEmbedding</c>: the embedding's shape (<see cref="Embedding"/>), the run
/// that trains it (<see cref="Training"/>, the same <see cref="Trainer"/> options as the classifier's) and the few
/// settings of the embedding task itself. Serialized into saved models (all but <see cref="ValidationData"/>).
/// </summary>
/// <example>
/// <code>
/// var options = new QuantumEmbeddingOptions
/// {
///     Embedding = QuantumEmbeddingOptions.DefaultEmbedding with { Modes = 8 },
///     Training = QuantumEmbeddingOptions.DefaultTraining with { Epochs = 50, Workspace = "runs/embedding" },
///     ValidationFraction = 0.1,
/// };
/// </code>
/// </example>
public sealed record QuantumEmbeddingOptions
{
    /// <summary>
    /// The embedding's defaults: those of <see cref="QuantumFieldEmbeddingOptions"/> (16 modes, Chebyshev extractors of
    /// degree 8, the default grid and β bound) without reference states, which the standalone embedding does not train.
    /// </summary>
    public static QuantumFieldEmbeddingOptions DefaultEmbedding { get; } = new() { ReferenceStates = 0 };

    /// <summary>
    /// The training defaults: 30 epochs of 64-row batches, AdamW at learning rate 0.005 with weight decay 1e-4, the
    /// embedding's loss weights (<see cref="QuantumEmbeddingModel.DefaultLossWeights"/>), and otherwise
    /// <see cref="TrainerOptions"/>'s defaults (warmup and cosine schedule, gradient clipping, early stopping once there
    /// is validation data).
    /// </summary>
    public static TrainerOptions DefaultTraining { get; } = new()
    {
        Epochs = 30,
        BatchSize = 64,
        LearningRate = 5e-3,
        WeightDecay = 1e-4,
        LossWeights = QuantumEmbeddingModel.DefaultLossWeights,
    };

    /// <summary>
    /// The embedding: modes M (the output vector has 3·M values <c>[α | β | γ]</c>), extractors, grid and β bound.
    /// <see cref="QuantumFieldEmbeddingOptions.ReferenceStates"/> must be 0. Default <see cref="DefaultEmbedding"/>.
    /// </summary>
    public QuantumFieldEmbeddingOptions Embedding { get; init; } = DefaultEmbedding;

    /// <summary>
    /// Epochs, batch size (rows per batch, at least 2: contrastive pairs are mined within each batch), optimizer,
    /// schedule, clipping, loss weights, early stopping, checkpoints and device. Its <c>Seed</c> is ignored: the shuffle
    /// and initialization are seeded from the MLContext seed. Its <c>MonitorMetric</c> can only be <c>loss</c> (or null).
    /// The fitted transformer always runs on the CPU. Default <see cref="DefaultTraining"/>.
    /// </summary>
    public TrainerOptions Training { get; init; } = DefaultTraining;

    /// <summary>Fidelity below which negative pairs (no shared label) cost nothing. Default 0.1.</summary>
    public double Margin { get; init; } = 0.1;

    /// <summary>Whether features are standardized with the training data's mean and standard deviation (stored in the model). Default true.</summary>
    public bool StandardizeFeatures { get; init; } = true;

    /// <summary>Name of an extra output column holding the sampled wavefunction (M·2·N values: per mode Re then Im), or null for none. Default null.</summary>
    public string? WavefunctionColumnName { get; init; }

    /// <summary>
    /// Validation rows (same feature and label columns) for early stopping and best-weight selection on the validation
    /// loss; when null, <see cref="ValidationFraction"/> of the training rows are held out. Not saved with the model.
    /// </summary>
    [JsonIgnore]
    public IDataView? ValidationData { get; init; }

    /// <summary>Fraction of training rows held out for validation when <see cref="ValidationData"/> is null; 0 for none. Default 0.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Continue from <c>last.qkc</c> in <c>Training.Workspace</c> when it exists (an interrupted Fit resumes exactly).
    /// Default false.
    /// </summary>
    public bool ResumeFromWorkspace { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> (mostly <see cref="ArgumentOutOfRangeException"/>) naming the first option out of range.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Embedding, nameof(Embedding));
        Embedding.Validate();
        if (Embedding.ReferenceStates != 0)
            throw new ArgumentOutOfRangeException(nameof(Embedding.ReferenceStates), Embedding.ReferenceStates,
                "The standalone embedding trains no reference states; set Embedding.ReferenceStates to 0.");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        if (Training.BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(Training.BatchSize), Training.BatchSize, "A batch needs at least 2 rows to hold a pair.");
        if (Training.MonitorMetric is { } metric && !MetricNames.AppliesTo(metric, ClassificationTask.MultiLabel, hasClassScores: false))
            throw new ArgumentOutOfRangeException(nameof(Training.MonitorMetric), metric,
                $"The embedding is validated on its loss alone; set Training.MonitorMetric to '{MetricNames.Loss}' or null.");
        if (!(Margin >= 0 && Margin < 1))
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "The margin is a fidelity in [0, 1).");
        if (WavefunctionColumnName is { Length: 0 })
            throw new ArgumentOutOfRangeException(nameof(WavefunctionColumnName), "", "Use null, not an empty name, for no wavefunction column.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Must be in [0, 1).");
    }
}

/// <summary>
/// The flat options that models saved before the options composed records (state version 1) hold in their "Options"
/// section; read only to load those models.
/// </summary>
internal sealed class LegacyQuantumEmbeddingOptions
{
    public int Epochs = 30;
    public int BatchSize = 64;
    public double LearningRate = 5e-3;
    public double WeightDecay = 1e-4;
    public double L2Weight = 1e-5;
    public double NormalizationWeight = 0.1;
    public double Margin = 0.1;
    public bool StandardizeFeatures = true;
    public string? WavefunctionColumnName;
    public string Device = "cpu";

    /// <summary>
    /// The composed options these describe. The embedding's own settings come from the model's "Embedding" section,
    /// which holds them exactly; the run they describe had a constant learning rate and no gradient clipping.
    /// </summary>
    public QuantumEmbeddingOptions ToOptions(QuantumFieldEmbeddingOptions embedding) => new()
    {
        Embedding = embedding,
        Training = QuantumEmbeddingOptions.DefaultTraining with
        {
            Epochs = Epochs,
            BatchSize = BatchSize,
            LearningRate = LearningRate,
            WeightDecay = WeightDecay,
            Device = Device,
            WarmupFraction = 0,
            FinalLearningRateFactor = 1,
            MaxGradientNorm = 0,
            LossWeights = QuantumEmbeddingModel.DefaultLossWeights with { L2 = L2Weight, Normalization = NormalizationWeight },
        },
        Margin = Margin,
        StandardizeFeatures = StandardizeFeatures,
        WavefunctionColumnName = WavefunctionColumnName,
    };
}
