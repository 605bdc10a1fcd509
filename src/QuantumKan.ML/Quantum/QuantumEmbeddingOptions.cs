using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Quantum;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Options of <c>mlContext.Transforms.QuantumEmbedding</c>: the embedding's shape and the contrastive training that
/// fits its extractors. Flat, documented fields; serialized into saved models.
/// </summary>
public sealed class QuantumEmbeddingOptions
{
    /// <summary>Number of modes M; the output vector has 3·M values <c>[α | β | γ]</c>. Default 16.</summary>
    public int Modes = 16;

    /// <summary>The KAN layers that extract (α, β, γ) from the features. Default Chebyshev of degree 8 on tanh-squashed inputs.</summary>
    public KanLayerOptions Extractor = new ChebyshevKanOptions { Degree = 8 };

    /// <summary>Hidden widths of each extractor between the features and the M outputs. Default none (one KAN layer).</summary>
    public int[] HiddenWidths = [];

    /// <summary>Packet width σ, in grid position units. Default 1.5.</summary>
    public double Sigma = 1.5;

    /// <summary>Grid points N on which wavefunctions are sampled. Default 1024.</summary>
    public int GridPoints = 1024;

    /// <summary>Grid half-width L: wavefunctions are sampled on [−L, L). Default 12.</summary>
    public double GridHalfWidth = 12.0;

    /// <summary>Bound on the wavenumbers β, in radians per position unit; far below the grid's Nyquist limit π/Δx. Default 2.</summary>
    public double BetaMax = 2.0;

    /// <summary>Passes over the training data. Default 30.</summary>
    public int Epochs = 30;

    /// <summary>Rows per mini-batch; contrastive pairs are mined within each batch. Default 64.</summary>
    public int BatchSize = 64;

    /// <summary>AdamW learning rate. Default 0.005.</summary>
    public double LearningRate = 5e-3;

    /// <summary>AdamW decoupled weight decay. Default 1e-4.</summary>
    public double WeightDecay = 1e-4;

    /// <summary>Weight of the L2 penalty Σθ² over all trainable parameters, added to the loss. Default 1e-5.</summary>
    public double L2Weight = 1e-5;

    /// <summary>Weight of the wavefunction normalization penalty (Δx·Σ|ψ|² − 1)². Default 0.1.</summary>
    public double NormalizationWeight = 0.1;

    /// <summary>Fidelity below which negative pairs (no shared label) cost nothing. Default 0.1.</summary>
    public double Margin = 0.1;

    /// <summary>Whether features are standardized with the training data's mean and standard deviation (stored in the model). Default true.</summary>
    public bool StandardizeFeatures = true;

    /// <summary>Name of an extra output column holding the sampled wavefunction (M·2·N values: per mode Re then Im), or null for none. Default null.</summary>
    public string? WavefunctionColumnName;

    /// <summary>Training device: "cpu", "cuda", "cuda:N" or "auto". The fitted transformer always runs on the CPU. Default "cpu".</summary>
    public string Device = "cpu";

    /// <summary>The embedding module's options these settings describe.</summary>
    internal QuantumFieldEmbeddingOptions ToEmbeddingOptions() => new()
    {
        Modes = Modes,
        ReferenceStates = 0,
        Grid = new WavefunctionGrid { Points = GridPoints, HalfWidth = GridHalfWidth, Sigma = Sigma },
        BetaMax = BetaMax,
        Extractor = Extractor,
        HiddenWidths = HiddenWidths,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    internal void Validate()
    {
        ToEmbeddingOptions().Validate();
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "At least one epoch is needed.");
        if (BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch needs at least 2 rows to hold a pair.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        RequireNonNegative(WeightDecay, nameof(WeightDecay));
        RequireNonNegative(L2Weight, nameof(L2Weight));
        RequireNonNegative(NormalizationWeight, nameof(NormalizationWeight));
        if (!(Margin >= 0 && Margin < 1))
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "The margin is a fidelity in [0, 1).");
        if (WavefunctionColumnName is { Length: 0 })
            throw new ArgumentOutOfRangeException(nameof(WavefunctionColumnName), "", "Use null, not an empty name, for no wavefunction column.");
    }

    private static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, "Must be non-negative and finite.");
    }
}
