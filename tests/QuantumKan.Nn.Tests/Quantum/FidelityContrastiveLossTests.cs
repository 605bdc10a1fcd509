using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

public class FidelityContrastiveLossTests
{
    private static Tensor Fidelity(double f01, double f02, double f12) => tensor(new double[,]
    {
        { 1, f01, f02 },
        { f01, 1, f12 },
        { f02, f12, 1 },
    });

    // Sample 0 has {0}, sample 1 has {0, 1}, sample 2 has {2}: one positive pair (0,1), two negative pairs.
    private static Tensor MultiHot() => tensor(new float[,] { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 0, 1 } });

    [Fact]
    public void Loss_IsMeanPositiveGapPlusMeanNegativeHinge()
    {
        using var scope = NewDisposeScope();
        var loss = new FidelityContrastiveLoss(margin: 0.1).call(Fidelity(0.7, 0.4, 0.05), MultiHot()).item<double>();
        // (1 − 0.7) + mean(max(0, 0.4 − 0.1), max(0, 0.05 − 0.1)) = 0.3 + 0.15
        Assert.Equal(0.45, loss, 12);
    }

    [Fact]
    public void LabelOverlap_PullsAPartlySharedPairToItsJaccardOverlap_NotToOne()
    {
        using var scope = NewDisposeScope();
        // Pair (0, 1): {0} and {0, 1}, Jaccard 1/2. At F = 0.5 the positive term vanishes; SharedLabel still wants F = 1.
        var overlap = new FidelityContrastiveLoss(0.1, ContrastiveTarget.LabelOverlap);
        var shared = new FidelityContrastiveLoss(0.1, ContrastiveTarget.SharedLabel);
        Assert.Equal(0.15, overlap.call(Fidelity(0.5, 0.4, 0.05), MultiHot()).item<double>(), 12);
        Assert.Equal(0.5 + 0.15, shared.call(Fidelity(0.5, 0.4, 0.05), MultiHot()).item<double>(), 12);
        // Both ways: above the overlap costs as much as below it.
        Assert.Equal(0.2 + 0.15, overlap.call(Fidelity(0.7, 0.4, 0.05), MultiHot()).item<double>(), 12);
        Assert.Equal(0.2 + 0.15, overlap.call(Fidelity(0.3, 0.4, 0.05), MultiHot()).item<double>(), 12);
    }

    [Fact]
    public void LabelOverlap_IsSharedLabel_ForSingleLabelData()
    {
        using var scope = NewDisposeScope();
        var f = Fidelity(0.9, 0.3, 0.6);
        var overlap = new FidelityContrastiveLoss(0.2, ContrastiveTarget.LabelOverlap);
        var shared = new FidelityContrastiveLoss(0.2, ContrastiveTarget.SharedLabel);
        var oneHot = tensor(new float[,] { { 1, 0 }, { 1, 0 }, { 0, 1 } });
        Assert.Equal(shared.call(f, oneHot).item<double>(), overlap.call(f, oneHot).item<double>(), 14);
        var indices = tensor(new long[] { 4, 4, 1 });
        Assert.Equal(shared.call(f, indices).item<double>(), overlap.call(f, indices).item<double>(), 14);
    }

    [Fact]
    public void LabelOverlap_IsTheJaccardIndexOfTheLabelSets()
    {
        using var scope = NewDisposeScope();
        // {0}, {0, 1}, {2}, {} (soft mixup targets count as members where non-zero).
        var labels = tensor(new float[,] { { 1, 0, 0 }, { 0.6f, 0.4f, 0 }, { 0, 0, 1 }, { 0, 0, 0 } });
        var j = FidelityContrastiveLoss.LabelOverlap(labels);
        Assert.Equal(new[]
        {
            1, 0.5, 0, 0,
            0.5, 1, 0, 0,
            0, 0, 1, 0,
            0, 0, 0, 0,
        }, j.flatten().data<double>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FidelityContrastiveLoss(0.1, (ContrastiveTarget)7));
    }

    [Fact]
    public void Pairs_SharingAnyLabelArePositive_SharingNoneAreNegative_DiagonalIsNeither()
    {
        using var scope = NewDisposeScope();
        var pairs = ContrastivePairs.Mine(MultiHot());
        Assert.Equal(new[] { false, true, false, true, false, false, false, false, false }, pairs.Positive.flatten().data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true, false, false, true, true, true, false }, pairs.Negative.flatten().data<bool>().ToArray());
    }

    [Fact]
    public void ClassIndices_BehaveAsOneHotLabels()
    {
        using var scope = NewDisposeScope();
        var f = Fidelity(0.9, 0.3, 0.6);
        var loss = new FidelityContrastiveLoss(0.2);
        var fromIndices = loss.call(f, tensor(new long[] { 4, 4, 1 })).item<double>();
        var fromOneHot = loss.call(f, tensor(new bool[,] { { true, false }, { true, false }, { false, true } })).item<double>();
        Assert.Equal(fromOneHot, fromIndices, 14);
        Assert.Equal(0.1 + (0.1 + 0.4) / 2, fromIndices, 12);
    }

    [Fact]
    public void BatchWithoutNegatives_HasOnlyThePositiveTerm_AndFiniteGradients()
    {
        using var scope = NewDisposeScope();
        var f = Fidelity(0.7, 0.5, 0.9).requires_grad_(true);
        var loss = new FidelityContrastiveLoss(0.1).call(f, tensor(new float[,] { { 1 }, { 1 }, { 1 } }));
        Assert.Equal((0.3 + 0.5 + 0.1) / 3, loss.item<double>(), 12);
        loss.backward();
        Assert.True(f.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void BatchWithoutPositives_HasOnlyTheNegativeTerm()
    {
        using var scope = NewDisposeScope();
        var loss = new FidelityContrastiveLoss(0.1).call(Fidelity(0.7, 0.5, 0.05), tensor(new long[] { 0, 1, 2 }));
        Assert.Equal((0.6 + 0.4 + 0) / 3, loss.item<double>(), 12);
    }

    [Fact]
    public void SingleSampleBatch_CostsNothing()
    {
        using var scope = NewDisposeScope();
        var loss = new FidelityContrastiveLoss().call(ones(1, 1), tensor(new long[] { 3 }));
        Assert.Equal(0.0, loss.item<float>());
    }

    [Fact]
    public void Gradient_ThroughClosedFormFidelity_MatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var alpha = randn(6, 3, dtype: ScalarType.Float64) * 0.6;
        var beta = randn(6, 3, dtype: ScalarType.Float64) * 0.2;
        var labels = tensor(new float[,] { { 1, 0, 0 }, { 1, 0, 1 }, { 0, 1, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } });
        var loss = new FidelityContrastiveLoss(margin: 0.3);
        var f0 = BornFidelity.ClosedFormPairwise(alpha, beta, 1.5);
        // The hinge must be active for some negatives and away from its kink for all, or the check proves little.
        var negatives = f0.masked_select(ContrastivePairs.Mine(labels).Negative);
        Assert.True(negatives.gt(0.3).any().item<bool>());
        Assert.True((negatives - 0.3).abs().min().item<double>() > 1e-4);
        FiniteDifferences.AssertGradientsMatch(
            p => loss.call(BornFidelity.ClosedFormPairwise(p[0], p[1], 1.5), labels), [alpha, beta]);
    }

    [Fact]
    public void Loss_RejectsMismatchedShapes()
    {
        using var scope = NewDisposeScope();
        var loss = new FidelityContrastiveLoss();
        Assert.Equal("fidelity", Assert.Throws<ArgumentException>(() => loss.call(ones(3, 2), MultiHot())).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => loss.call(ones(2, 2), MultiHot())).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => loss.call(ones(3, 3), ones(3))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FidelityContrastiveLoss(1.0));
    }

    [Fact]
    public void Statistics_AverageEachPairKind()
    {
        using var scope = NewDisposeScope();
        var stats = FidelityPairStatistics.Compute(Fidelity(0.7, 0.4, 0.05), MultiHot());
        Assert.Equal(0.7, stats.MeanPositive, 12);
        Assert.Equal(0.225, stats.MeanNegative, 12);
        Assert.Equal(2, stats.PositivePairs);
        Assert.Equal(4, stats.NegativePairs);
    }
}
