using Microsoft.ML;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Everything a QuantumKan classifier trainer needs: columns, architecture, optimization, validation and hooks.
/// </summary>
public sealed record QuantumKanClassifierOptions
{
    /// <summary>Input column: a known-size vector of Single (e.g. pooled log-mel from <c>MelSpectrogram</c>). Default "Features".</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>
    /// Label column. Multiclass: a key. Multi-label: a multi-hot vector (Single, Double or Boolean), a vector of keys,
    /// or text holding delimited label names (then <see cref="Vocabulary"/> is required). Default "Label".
    /// </summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>Output column of per-class probabilities (softmax for multiclass, sigmoid for multi-label). Default "Score".</summary>
    public string ScoreColumnName { get; init; } = "Score";

    /// <summary>
    /// Output column of predictions: a key for multiclass (works with <c>MulticlassClassification.Evaluate</c>), a Boolean
    /// vector for multi-label (scores ≥ <see cref="DecisionThreshold"/>). Default "PredictedLabel".
    /// </summary>
    public string PredictedLabelColumnName { get; init; } = "PredictedLabel";

    /// <summary>Output column of the quantum embedding parameters [α | β | γ] (3·M floats); null to omit. Default "Embedding".</summary>
    public string? EmbeddingColumnName { get; init; } = "Embedding";

    /// <summary>Class names for text labels (and for naming classes of multi-hot labels without slot names).</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>Separator between label names in a text label column. Default ','.</summary>
    public char LabelSeparator { get; init; } = ',';

    /// <summary>Multi-label decision threshold on the sigmoid probability. Default 0.5.</summary>
    public float DecisionThreshold { get; init; } = 0.5f;

    /// <summary>The network architecture. Default <see cref="QuantumKanNetworkOptions"/>.</summary>
    public QuantumKanNetworkOptions Network { get; init; } = new();

    /// <summary>
    /// Optimization, schedule, loss weights, early stopping, checkpoints and device (see <see cref="TrainerOptions"/>).
    /// Its <c>Seed</c> is ignored: the shuffle and initialization are seeded from the MLContext seed.
    /// Default: <see cref="TrainerOptions"/>'s defaults (loss weights: <see cref="LossWeights"/>'s defaults).
    /// </summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Validation rows; when null, <see cref="ValidationFraction"/> of the training rows are held out.</summary>
    public IDataView? ValidationData { get; init; }

    /// <summary>Fraction of training rows held out for validation when <see cref="ValidationData"/> is null; 0 for none. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Receives step, validation, epoch and checkpoint reports (besides the ML.NET log). Default null.</summary>
    public IProgress<TrainingReport>? Progress { get; init; }

    /// <summary>Called after each epoch with its summary (losses per component and validation metrics). Default null.</summary>
    public Action<EpochSummary>? EpochCompleted { get; init; }

    /// <summary>
    /// Cancels training between steps, leaving a valid checkpoint (Fit then throws <see cref="OperationCanceledException"/>).
    /// ML.NET's own cancellation of the MLContext (internal <c>CancelExecution</c>, used by hosts such as AutoML) is honoured too.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Continue from <c>last.qkc</c> in <c>Training.Workspace</c> when it exists (an interrupted Fit resumes exactly).
    /// Default false.
    /// </summary>
    public bool ResumeFromWorkspace { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(ScoreColumnName, nameof(ScoreColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        if (!(DecisionThreshold > 0 && DecisionThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(DecisionThreshold), DecisionThreshold, "Must be in (0, 1).");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Must be in [0, 1).");
        if (Vocabulary is not null && Vocabulary.Distinct().Count() != Vocabulary.Count)
            throw new ArgumentException("Vocabulary entries must be unique.", nameof(Vocabulary));
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
    }
}
