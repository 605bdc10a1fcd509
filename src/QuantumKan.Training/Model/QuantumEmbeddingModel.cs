using QuantumKan.Core;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Data;
using static TorchSharp.torch;

namespace QuantumKan.Training.Model;

/// <summary>
/// Plugs a standalone <see cref="QuantumFieldEmbedding"/> into the <see cref="Loop.Trainer"/>: a model without class
/// scores, trained by its own loss components alone — the Born-rule fidelity contrastive loss over the pairs of each
/// batch (<see cref="LossComponents.QuantumFidelity"/>) and the wavefunction normalization penalty
/// (<see cref="LossComponents.Normalization"/>); the trainer adds the L2 term and weights everything
/// (<see cref="DefaultLossWeights"/>). Labels are multi-hot label sets (train it as <see cref="ClassificationTask.MultiLabel"/>):
/// a pair of examples sharing a label is a positive pair.
/// </summary>
/// <remarks>
/// Besides its losses it reports two metrics per batch, <see cref="PositiveFidelity"/> and <see cref="NegativeFidelity"/>,
/// the mean fidelity over the batch's positive and negative pairs (NaN for a batch without such pairs).
/// </remarks>
public sealed class QuantumEmbeddingModel : ITrainableModel
{
    /// <summary>The metric name of the mean fidelity over the positive pairs (sharing a label) of a batch.</summary>
    public const string PositiveFidelity = "positive_fidelity";

    /// <summary>The metric name of the mean fidelity over the negative pairs (sharing no label) of a batch.</summary>
    public const string NegativeFidelity = "negative_fidelity";

    private readonly FidelityContrastiveLoss _contrastive;
    private readonly NormalizationPenalty _normalization;

    /// <summary>Wraps an embedding.</summary>
    /// <param name="embedding">The embedding; its extractors (and reference states, if any) are the trained parameters.</param>
    /// <param name="margin">Fidelity below which negative pairs cost nothing, in [0, 1). Default 0.1.</param>
    public QuantumEmbeddingModel(QuantumFieldEmbedding embedding, double margin = 0.1)
    {
        Embedding = embedding ?? throw new ArgumentNullException(nameof(embedding));
        _contrastive = new FidelityContrastiveLoss(margin);
        _normalization = new NormalizationPenalty(embedding.Grid.Spacing);
    }

    /// <summary>
    /// The standalone embedding's default weights: quantum fidelity 1, normalization 0.1, L2 1e-5 (Σθ² over the trainable
    /// parameters, as the embedding was always trained), and no classification loss, which this model does not have.
    /// </summary>
    public static LossWeights DefaultLossWeights { get; } = new() { QuantumFidelity = 1.0, Normalization = 0.1, L2 = 1e-5 };

    /// <summary>The wrapped embedding.</summary>
    public QuantumFieldEmbedding Embedding { get; }

    /// <inheritdoc />
    public TorchSharp.torch.nn.Module Module => Embedding;

    /// <inheritdoc />
    public bool HasClassScores => false;

    /// <inheritdoc />
    public ModelOutput Forward(TrainingBatch batch)
    {
        var features = batch.Features.dim() == 2 ? batch.Features : batch.Features.reshape(batch.Size, -1); // (B, D)
        var state = Embedding.Encode(features);                 // (B, M) each
        var fidelity = Embedding.PairwiseFidelity(state);       // (B, B)
        var losses = new Dictionary<string, Tensor>
        {
            [LossComponents.QuantumFidelity] = _contrastive.call(fidelity, batch.Labels),
            // |ψ|² of the closed-form packets comes straight from α, without sampling the phase.
            [LossComponents.Normalization] = _normalization.FromDensity(Wavefunction.Density(state.Alpha, Embedding.Grid)), // (B, M, N)
        };
        // Means over the masks as tensors: 0/0 gives NaN for a batch without such pairs, which the averages leave out.
        var pairs = ContrastivePairs.Mine(batch.Labels);
        var f = fidelity.detach();
        var metrics = new Dictionary<string, Tensor>
        {
            [PositiveFidelity] = MaskedMean(f, pairs.Positive),
            [NegativeFidelity] = MaskedMean(f, pairs.Negative),
        };
        return new ModelOutput(null, losses, metrics: metrics);
    }

    private static Tensor MaskedMean(Tensor values, Tensor mask)
    {
        var weights = mask.to_type(ScalarType.Float64);
        return values.to_type(ScalarType.Float64).mul(weights).sum().div(weights.sum());
    }
}
