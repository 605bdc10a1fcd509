using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.Tests.Quantum;

/// <summary>A row with a single label as an ML.NET key. LoadFromEnumerable takes keys 0-based and stores them 1-based.</summary>
public sealed class KeyedRow
{
    [VectorType(ToyClusters.Width)]
    public float[] Features { get; set; } = [];

    [KeyType(ToyClusters.Clusters)]
    public uint Label { get; set; }
}

/// <summary>A row with multi-hot labels.</summary>
public sealed class MultiHotRow
{
    [VectorType(ToyClusters.Width)]
    public float[] Features { get; set; } = [];

    [VectorType(ToyClusters.Clusters)]
    public float[] Label { get; set; } = [];
}

/// <summary>What a transformer appends: the embedding.</summary>
public sealed class EmbeddedRow
{
    [VectorType(24)]
    public float[] Embedding { get; set; } = [];
}

/// <summary>
/// Four well-separated Gaussian clusters in 8 dimensions, offset and scaled unlike standardized data (so feature
/// standardization matters). The cluster is the label.
/// </summary>
public static class ToyClusters
{
    public const int Width = 8, Clusters = 4;

    public static (float[] Features, int Cluster)[] Generate(int rows, int seed)
    {
        var centers = new Random(12345); // the same clusters for every sample of the toy set
        var centerOf = Enumerable.Range(0, Clusters)
            .Select(_ => Enumerable.Range(0, Width).Select(_ => 40 + 6 * TestRandom.Gaussian(centers)).ToArray()).ToArray();
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i =>
        {
            int c = i % Clusters;
            return (centerOf[c].Select(v => (float)(v + 1.5 * TestRandom.Gaussian(random))).ToArray(), c);
        }).ToArray();
    }

    public static IDataView Keyed(MLContext ml, int rows, int seed) =>
        ml.Data.LoadFromEnumerable(Generate(rows, seed).Select(r => new KeyedRow { Features = r.Features, Label = (uint)r.Cluster }));

    public static IDataView MultiHot(MLContext ml, int rows, int seed) =>
        ml.Data.LoadFromEnumerable(Generate(rows, seed).Select(r => new MultiHotRow
        {
            Features = r.Features,
            Label = Enumerable.Range(0, Clusters).Select(c => c == r.Cluster ? 1f : 0f).ToArray(),
        }));
}
