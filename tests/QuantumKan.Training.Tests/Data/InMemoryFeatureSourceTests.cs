using QuantumKan.Training.Data;
using TorchSharp;

namespace QuantumKan.Training.Tests.Data;

public class InMemoryFeatureSourceTests
{
    [Fact]
    public void BatchReader_ReadsRowsInTheRequestedOrderAndShape()
    {
        var features = Enumerable.Range(0, 3 * 6).Select(i => (float)i).ToArray();
        var source = new InMemoryFeatureSource(features, [2, 3], [1, 0, 0, 1, 1, 1], 2);
        using var scope = torch.NewDisposeScope();
        var batch = new BatchReader(source, torch.CPU).Read([2, 0]);

        Assert.Equal([2L, 2, 3], batch.Features.shape);
        Assert.Equal(features[12..18].Concat(features[0..6]), batch.Features.data<float>().ToArray());
        Assert.Equal([1f, 1, 1, 0], batch.Labels.data<float>().ToArray());
        Assert.Equal([2, 0], batch.Indices);
    }

    [Fact]
    public void Constructor_RejectsNonFiniteValuesNamingTheRow()
    {
        var features = new float[8];
        features[5] = float.NaN;
        var error = Assert.Throws<InvalidDataException>(() => new InMemoryFeatureSource(features, [4], new float[2], 1));
        Assert.Contains("Row 1", error.Message);
        Assert.Contains("Row 0", Assert.Throws<InvalidDataException>(() => new InMemoryFeatureSource(new float[4], [4], [float.PositiveInfinity], 1)).Message);
    }

    [Fact]
    public void Constructor_RejectsInconsistentSizes()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryFeatureSource(new float[7], [4], new float[2], 1));
        Assert.Throws<ArgumentException>(() => new InMemoryFeatureSource(new float[8], [4], new float[3], 1));
        Assert.Throws<ArgumentException>(() => new InMemoryFeatureSource(new float[8], [4], new float[2], 1, clipOfExample: [0]));
        Assert.Throws<ArgumentException>(() => new InMemoryFeatureSource(new float[8], [0], new float[2], 1));
    }

    [Fact]
    public void Read_OutOfRange_ThrowsArgumentOutOfRange()
    {
        var source = new InMemoryFeatureSource(new float[8], [4], new float[2], 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadFeatures(2, new float[4]));
        Assert.Throws<ArgumentException>(() => source.ReadLabels(0, new float[2]));
    }
}

public class HoldOutSplitTests
{
    [Fact]
    public void Split_KeepsEveryPatchOfAClipOnOneSideAndIsSeeded()
    {
        // 40 clips of 3 patches each; the clip index is stored as the only feature.
        int[] clipOf = Enumerable.Range(0, 120).Select(i => i / 3).ToArray();
        var source = new InMemoryFeatureSource(clipOf.Select(c => (float)c).ToArray(), [1], new float[120], 1, clipOf);
        var (train, heldOut) = HoldOutSplit.Split(source, 0.25, seed: 3);

        Assert.Equal(10, heldOut.ClipCount);
        Assert.Equal(30, train.ClipCount);
        Assert.Equal(120, train.Count + heldOut.Count);
        var heldOutClips = Enumerable.Range(0, heldOut.Count).Select(i => clipOf[heldOut.SourceIndex(i)]).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, train.Count), i => heldOutClips.Contains(clipOf[train.SourceIndex(i)]));
        var buffer = new float[1];
        heldOut.ReadFeatures(4, buffer);
        Assert.Equal(clipOf[heldOut.SourceIndex(4)], (int)buffer[0]);
        for (int i = 0; i < heldOut.Count; i++)
            for (int j = 0; j < heldOut.Count; j++)
                Assert.Equal(clipOf[heldOut.SourceIndex(i)] == clipOf[heldOut.SourceIndex(j)], heldOut.ClipOf(i) == heldOut.ClipOf(j));

        var again = HoldOutSplit.Split(source, 0.25, seed: 3).HeldOut;
        Assert.Equal(Enumerable.Range(0, heldOut.Count).Select(heldOut.SourceIndex), Enumerable.Range(0, again.Count).Select(again.SourceIndex));
        var other = HoldOutSplit.Split(source, 0.25, seed: 4).HeldOut;
        Assert.NotEqual(Enumerable.Range(0, heldOut.Count).Select(heldOut.SourceIndex), Enumerable.Range(0, other.Count).Select(other.SourceIndex));
    }

    [Fact]
    public void Split_RejectsFractionsOutsideTheOpenInterval()
    {
        var source = new InMemoryFeatureSource(new float[4], [1], new float[4], 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldOutSplit.Split(source, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldOutSplit.Split(source, 1, 1));
    }
}
