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
