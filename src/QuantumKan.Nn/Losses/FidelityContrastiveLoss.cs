using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Losses;

/// <summary>
/// Contrastive loss on Born-rule fidelities, with pairs mined inside the batch (no extra forward passes):
/// <c>mean over positive pairs of (1 − F) + mean over negative pairs of max(0, F − margin)</c>; with
/// <see cref="ContrastiveTarget.LabelOverlap"/> the positive term is the mean of |F − J|, J the pair's label-set overlap.
/// Positive pairs share at least one label, negative pairs share none (<see cref="ContrastivePairs.Mine"/>).
/// A batch without positives (or without negatives) contributes 0 for that term, keeping the graph intact.
/// Input: a (B, B) fidelity matrix (for instance <c>QuantumFieldEmbedding.PairwiseFidelity</c>) and the batch's labels,
/// multi-hot (B, C) or class indices (B). Output: a scalar on the fidelity's device.
/// </summary>
public sealed class FidelityContrastiveLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="margin">Fidelity below which negative pairs cost nothing, in [0, 1). Default 0.1.</param>
    /// <param name="target">What a positive pair is pulled to. Default <see cref="ContrastiveTarget.SharedLabel"/>: F = 1.</param>
    public FidelityContrastiveLoss(double margin = 0.1, ContrastiveTarget target = ContrastiveTarget.SharedLabel) : base(nameof(FidelityContrastiveLoss))
    {
        if (!(margin >= 0 && margin < 1))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a fidelity in [0, 1).");
        if (!Enum.IsDefined(target))
            throw new ArgumentOutOfRangeException(nameof(target), target, "Not a contrastive target.");
        Margin = margin;
        Target = target == ContrastiveTarget.Auto ? ContrastiveTarget.LabelOverlap : target;
    }

    /// <summary>Fidelity below which negative pairs cost nothing.</summary>
    public double Margin { get; }

    /// <summary>What a positive pair's fidelity is pulled to (never <see cref="ContrastiveTarget.Auto"/>).</summary>
    public ContrastiveTarget Target { get; }

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
        var positive = pairs.Positive.to_type(fidelity.dtype);
        var negative = pairs.Negative.to_type(fidelity.dtype);
        // Counts stay tensors (clamped to 1 for empty sets) so nothing waits on the device.
        var positiveTerm = Target == ContrastiveTarget.LabelOverlap && labels.dim() == 2
            ? (fidelity - LabelOverlap(labels).to_type(fidelity.dtype)).abs().mul(positive).sum() / positive.sum().ClampMin(1L)
            : (fidelity.SubtractedFrom(1L) * positive).sum() / positive.sum().ClampMin(1L);
        var negativeTerm = fidelity.Minus(Margin).relu().mul(negative).sum() / negative.sum().ClampMin(1L);
        return positiveTerm.Plus(negativeTerm).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Jaccard overlap of every pair's label sets, |A ∩ B| / |A ∪ B|, from multi-hot labels (B, C) (non-zero means
    /// "has this label") → (B, B) float64; 0 where both sets are empty.
    /// </summary>
    public static Tensor LabelOverlap(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var hot = labels.NotEqual(0L).to_type(ScalarType.Float64);              // (B, C)
        var shared = hot.matmul(hot.t());                                      // (B, B) |A ∩ B|
        var sizes = hot.sum(1);                                                // (B)
        var union = sizes.unsqueeze(1) + sizes.unsqueeze(0) - shared;          // (B, B) |A ∪ B|
        return (shared / union.ClampMin(1L)).MoveToOuterDisposeScope();
    }
}

/// <summary>What the fidelity contrastive loss pulls a positive pair (one sharing a label) towards.</summary>
public enum ContrastiveTarget
{
    /// <summary>F = 1: every pair sharing at least one label is pulled to the same state (the original design).</summary>
    SharedLabel,

    /// <summary>
    /// F = the Jaccard overlap of the two label sets, |A ∩ B| / |A ∪ B|, penalized both ways (|F − J|): clips with the same
    /// labels are pulled together, clips sharing one label of several only part of the way. For single-label data it is
    /// <see cref="SharedLabel"/>; on multi-label mixtures it keeps pairs that share one label from collapsing onto one state.
    /// </summary>
    LabelOverlap,

    /// <summary>
    /// The library's default, decided when a network is built (<c>QuantumKanNetworkOptions.ResolveEncoder</c>):
    /// <see cref="LabelOverlap"/>. Models saved before this option existed carry no value and load as
    /// <see cref="SharedLabel"/>, the loss they were trained with. A loss built with Auto uses <see cref="LabelOverlap"/>.
    /// </summary>
    Auto,
}
