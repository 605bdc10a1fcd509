using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Losses;

/// <summary>
/// The in-batch pairs of a contrastive loss, as (B, B) boolean masks with the diagonal excluded: a positive pair shares
/// at least one label, a negative pair shares none. Both masks are symmetric and disjoint.
/// </summary>
/// <param name="Positive">(B, B) bool: i ≠ j and the label sets of i and j intersect.</param>
/// <param name="Negative">(B, B) bool: i ≠ j and the label sets of i and j are disjoint.</param>
public readonly record struct ContrastivePairs(Tensor Positive, Tensor Negative)
{
    /// <summary>
    /// Mines the pairs of a batch from its labels, on the labels' device:
    /// <list type="bullet">
    /// <item>multi-hot labels (B, C) of any numeric or bool type, non-zero meaning "has this label";</item>
    /// <item>single-label class indices (B) of an integer type, the special case where pairs sharing the index are positive.</item>
    /// </list>
    /// A sample with an empty label set shares no label with anything, so it is a negative of every other sample.
    /// </summary>
    public static ContrastivePairs Mine(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        Tensor shares; // (B, B) bool
        if (labels.dim() == 2)
        {
            // Counting shared labels with one matrix product; float64 keeps the count exact for any C.
            var hot = labels.NotEqual(0L).to_type(ScalarType.Float64);           // (B, C)
            shares = hot.matmul(hot.t()).GreaterThan(0L);
        }
        else if (labels.dim() == 1 && !labels.is_floating_point() && labels.dtype != ScalarType.Bool)
        {
            shares = labels.unsqueeze(0).eq(labels.unsqueeze(1));
        }
        else
        {
            throw new ArgumentException(
                $"Labels must be multi-hot (B, C) or integer class indices (B); got {labels.dtype} of shape ({string.Join(", ", labels.shape)}).",
                nameof(labels));
        }
        var batch = labels.shape[0];
        var offDiagonal = eye(batch, dtype: ScalarType.Bool, device: labels.device).logical_not();
        var positive = shares.logical_and(offDiagonal);
        var negative = shares.logical_not().logical_and(offDiagonal);
        return new ContrastivePairs(positive.MoveToOuterDisposeScope(), negative.MoveToOuterDisposeScope());
    }
}

/// <summary>Mean fidelities over the positive and negative pairs of a batch, for monitoring and tests.</summary>
/// <param name="MeanPositive">Mean F over positive pairs; NaN when there are none.</param>
/// <param name="MeanNegative">Mean F over negative pairs; NaN when there are none.</param>
/// <param name="PositivePairs">Number of ordered positive pairs (i, j), i ≠ j.</param>
/// <param name="NegativePairs">Number of ordered negative pairs (i, j), i ≠ j.</param>
public readonly record struct FidelityPairStatistics(double MeanPositive, double MeanNegative, long PositivePairs, long NegativePairs)
{
    /// <summary>Summarizes a (B, B) fidelity matrix against the batch's labels (see <see cref="ContrastivePairs.Mine"/>).</summary>
    public static FidelityPairStatistics Compute(Tensor fidelity, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pairs = ContrastivePairs.Mine(labels);
        var f = fidelity.detach().to_type(ScalarType.Float64);
        long positives = pairs.Positive.sum().item<long>();
        long negatives = pairs.Negative.sum().item<long>();
        double meanPositive = positives == 0 ? double.NaN : f.masked_select(pairs.Positive).mean().item<double>();
        double meanNegative = negatives == 0 ? double.NaN : f.masked_select(pairs.Negative).mean().item<double>();
        return new FidelityPairStatistics(meanPositive, meanNegative, positives, negatives);
    }
}
