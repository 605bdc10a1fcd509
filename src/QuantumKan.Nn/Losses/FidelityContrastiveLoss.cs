using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Losses;

/// <summary>
/// Contrastive loss on Born-rule fidelities, with pairs mined inside the batch (no extra forward passes):
/// <c>mean over positive pairs of (1 − F) + mean over negative pairs of max(0, F − margin)</c>.
/// Positive pairs share at least one label, negative pairs share none (<see cref="ContrastivePairs.Mine"/>).
/// A batch without positives (or without negatives) contributes 0 for that term, keeping the graph intact.
/// Input: a (B, B) fidelity matrix (for instance <c>QuantumFieldEmbedding.PairwiseFidelity</c>) and the batch's labels,
/// multi-hot (B, C) or class indices (B). Output: a scalar on the fidelity's device.
/// </summary>
public sealed class FidelityContrastiveLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="margin">Fidelity below which negative pairs cost nothing, in [0, 1). Default 0.1.</param>
    public FidelityContrastiveLoss(double margin = 0.1) : base(nameof(FidelityContrastiveLoss))
    {
        if (!(margin >= 0 && margin < 1))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a fidelity in [0, 1).");
        Margin = margin;
    }

    /// <summary>Fidelity below which negative pairs cost nothing.</summary>
    public double Margin { get; }

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
        var positiveTerm = (fidelity.SubtractedFrom(1L) * positive).sum() / positive.sum().ClampMin(1L);
        var negativeTerm = fidelity.Minus(Margin).relu().mul(negative).sum() / negative.sum().ClampMin(1L);
        return positiveTerm.Plus(negativeTerm).MoveToOuterDisposeScope();
    }
}
