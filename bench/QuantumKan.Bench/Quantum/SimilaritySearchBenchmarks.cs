using BenchmarkDotNet.Attributes;
using QuantumKan.ML.Quantum;

namespace QuantumKan.Bench.Quantum;

/// <summary>
/// "Find sounds like this one": top-10 of Q queries over an index of R embeddings (M = 16), through the index's
/// one-GEMM fast path against a managed loop of closed-form fidelities over every (query, row) pair.
/// </summary>
// Run in-process as a short job (see bench/results/quantum.md): the out-of-process toolchain rebuilds the project
// without the libtorch backend wiring.
public class SimilaritySearchBenchmarks
{
    private const int Modes = 16;
    private QuantumSimilarityIndex _index = null!;
    private float[][] _gallery = null!;
    private float[][] _queries = null!;

    [Params(40960)]
    public int Rows { get; set; }

    [Params(1, 64)]
    public int Queries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        float[] Next() => Enumerable.Range(0, 3 * Modes).Select(j => (float)((2 * random.NextDouble() - 1) * (j < Modes ? 4.5 : 2))).ToArray();
        _gallery = Enumerable.Range(0, Rows).Select(_ => Next()).ToArray();
        _queries = Enumerable.Range(0, Queries).Select(_ => Next()).ToArray();
        _index = QuantumSimilarityIndex.Create(_gallery, 1.5);
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Baseline = true)]
    public int ManagedLoop()
    {
        // The pair-by-pair path the index avoids: one closed-form fidelity per (query, row), then a partial sort.
        int checksum = 0;
        var scores = new double[_gallery.Length];
        foreach (var query in _queries)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = QuantumSimilarity.LogFidelity(query, _gallery[i], 1.5);
            checksum += Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(10).First();
        }
        return checksum;
    }

    [Benchmark]
    public int IndexSearch() => _index.Search(_queries, 10).Sum(matches => matches[0].Row);
}
