using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Losses;

/// <summary>
/// Contrastive loss on Born-rule fidelities, with pairs mined inside the batch (no extra forward passes):
/// <c>mean over positive pairs of (1 − F) + mean over negative pairs of max(0, F − margin)</c>; with
/// <see cref="ContrastivePositives.LabelOverlap"/> the positive mean is weighted by each pair's label overlap.
/// Positive pairs share at least one label, negative pairs share none (<see cref="ContrastivePairs.Mine"/>).
/// A batch without positives (or without negatives) contributes 0 for that term, keeping the graph intact.
/// Input: a (B, B) fidelity matrix (for instance <c>QuantumFieldEmbedding.PairwiseFidelity</c>) and the batch's labels,
/// multi-hot (B, C) or class indices (B). Output: a scalar on the fidelity's device.
/// </summary>
public sealed class FidelityContrastiveLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="margin">Fidelity below which negative pairs cost nothing, in [0, 1). Default 0.1.</param>
    /// <param name="positives">How positive pairs are weighted. Default <see cref="ContrastivePositives.SharedLabel"/>.</param>
    public FidelityContrastiveLoss(double margin = 0.1, ContrastivePositives positives = ContrastivePositives.SharedLabel) : base(nameof(FidelityContrastiveLoss))
    {
        if (!(margin >= 0 && margin < 1))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a fidelity in [0, 1).");
        if (!Enum.IsDefined(positives))
            throw new ArgumentOutOfRangeException(nameof(positives), positives, "Not a way of weighting positive pairs.");
        Margin = margin;
        Positives = positives;
    }

    /// <summary>Fidelity below which negative pairs cost nothing.</summary>
    public double Margin { get; }

    /// <summary>How positive pairs are weighted.</summary>
    public ContrastivePositives Positives { get; }

    /// <summary>The loss for a (B, B) fidelity matrix and the batch's labels.</summary>
    public override Tensor forward(Tensor fidelity, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(fidelity);
        ArgumentNullException.ThrowIfNull(labels);
        if (fidelity.dim() != 2 || fidelity.shape[0] != fidelity.shape[1])
            throw new ArgumentException($"Expected a square (B, B) fidelity matrix, got ({string.Join(", ", fidelity.shape)}).", nameof(fidelity));
        if (labels.shape[0] != fidelity.shape[0])
            throw new ArgumentException($"Labels cover {labels.shape[0]} samples but the fidelity matrix has {fidelity.shape[0]}.", nameof(labels));
        using var scope = NewDisposeScope();
        var pairs = ContrastivePairs.Mine(labels);
        var positive = Positives == ContrastivePositives.LabelOverlap
            ? ContrastivePairs.Overlap(labels).to_type(fidelity.dtype)
            : pairs.Positive.to_type(fidelity.dtype);
        var negative = pairs.Negative.to_type(fidelity.dtype);
        // Counts stay tensors (clamped to 1 for empty sets) so nothing waits on the device.
        var positiveTerm = (fidelity.SubtractedFrom(1L) * positive).sum() / positive.sum().ClampMin(1L);
        var negativeTerm = fidelity.Minus(Margin).relu().mul(negative).sum() / negative.sum().ClampMin(1L);
        return positiveTerm.Plus(negativeTerm).MoveToOuterDisposeScope();
    }
}

/// <summary>How the fidelity contrastive loss weights its positive pairs.</summary>
public enum ContrastivePositives
{
    /// <summary>Every pair that shares a label pulls towards F = 1 with weight 1 (the original design).</summary>
    SharedLabel,

    /// <summary>
    /// Each pair pulls towards F = 1 with weight |A ∩ B| / |A ∪ B| (Jaccard overlap of the label sets): two multi-label
    /// mixtures that share one label of three are pulled together less than two clips with the same labels. For
    /// single-label data it equals <see cref="SharedLabel"/>.
    /// </summary>
    LabelOverlap,
}
