using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

public class QuantumSimilarityIndexTests
{
    private const double Sigma = 1.5;

    private static float[][] RandomEmbeddings(int count, int modes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
            Enumerable.Range(0, 3 * modes).Select(j => (float)(j < modes ? 4.5 * (2 * random.NextDouble() - 1)
                : j < 2 * modes ? 2 * (2 * random.NextDouble() - 1) : Math.PI * (2 * random.NextDouble() - 1))).ToArray()).ToArray();
    }

    [Fact]
    public void Search_FindsTheSameTopKAsBruteForceFidelity()
    {
        var gallery = RandomEmbeddings(300, 5, seed: 1);
        var queries = RandomEmbeddings(10, 5, seed: 2);
        using var index = QuantumSimilarityIndex.Create(gallery, Sigma);
        var results = index.Search(queries, k: 10);
        for (int q = 0; q < queries.Length; q++)
        {
            var exact = gallery.Select(g => QuantumSimilarity.LogFidelity(queries[q], g, Sigma)).ToArray();
            var best = exact.OrderDescending().Take(10).ToArray();
            Assert.Equal(10, results[q].Length);
            for (int j = 0; j < 10; j++)
            {
                // float32 and the ‖q‖² + ‖r‖² − 2q·r expansion allow ~1e-4 absolute error in log F; ranks agree up to it.
                Assert.Equal(best[j], exact[results[q][j].Row], 3);
                Assert.Equal(exact[results[q][j].Row], results[q][j].LogFidelity, 3);
                Assert.Equal(Math.Exp(results[q][j].LogFidelity), results[q][j].Fidelity, 12);
            }
        }
    }

    [Fact]
    public void Search_IgnoresGamma()
    {
        var gallery = RandomEmbeddings(50, 3, seed: 4);
        var query = gallery[17].ToArray();
        for (int m = 6; m < 9; m++)
            query[m] += 1.0f;
        using var index = QuantumSimilarityIndex.Create(gallery, Sigma);
        var top = index.Search(query, k: 1)[0];
        Assert.Equal(17, top.Row);
        Assert.Equal(1.0, top.Fidelity, 5);
    }

    [Fact]
    public void SearchSimilarTo_ExcludesOnlyTheRowItself()
    {
        var gallery = RandomEmbeddings(40, 4, seed: 5);
        gallery[31] = gallery[12].ToArray(); // an exact duplicate of row 12
        using var index = QuantumSimilarityIndex.Create(gallery, Sigma);
        var matches = index.SearchSimilarTo(12, k: 3);
        Assert.DoesNotContain(matches, m => m.Row == 12);
        Assert.Equal(31, matches[0].Row);
        Assert.Equal(1.0, matches[0].Fidelity, 5);
    }

    [Fact]
    public void Search_ManyQueries_AreAnsweredInBlocks_LikeSingleQueries()
    {
        // 1000 queries × 20000 rows exceeds one block of scores, so the search runs in two blocks.
        var gallery = RandomEmbeddings(20000, 2, seed: 6);
        var queries = RandomEmbeddings(1000, 2, seed: 7);
        using var index = QuantumSimilarityIndex.Create(gallery, Sigma);
        var all = index.Search(queries, k: 4);
        foreach (var q in new[] { 0, 500, 999 })
            Assert.Equal(index.Search(queries[q], k: 4).Select(m => m.Row), all[q].Select(m => m.Row));
    }

    [Fact]
    public void Search_WithKBeyondTheIndex_ReturnsEveryRow()
    {
        using var index = QuantumSimilarityIndex.Create(RandomEmbeddings(3, 2, seed: 8), Sigma);
        Assert.Equal(3, index.Search(new float[6], k: 10).Length);
        Assert.Equal(2, index.SearchSimilarTo(0, k: 10).Length);
    }

    [Fact]
    public void BadEmbeddings_AreRejectedWithTheirPosition()
    {
        var gallery = RandomEmbeddings(5, 2, seed: 9);
        gallery[3][1] = float.NaN;
        Assert.Contains("Embedding 3", Assert.Throws<ArgumentException>(() => QuantumSimilarityIndex.Create(gallery, Sigma)).Message);
        using var index = QuantumSimilarityIndex.Create(RandomEmbeddings(5, 2, seed: 9), Sigma);
        Assert.Contains("Query 0 has 5 values", Assert.Throws<ArgumentException>(() => index.Search(new float[5], 1)).Message);
        Assert.Throws<ArgumentException>(() => QuantumSimilarityIndex.Create([new float[4]], Sigma));
    }

    [Fact]
    public void PairFidelity_MatchesTheClosedForm()
    {
        float[] a = [1f, -2f, 0.5f, 0.25f, 3f, -3f];
        float[] b = [0f, -2f, 0f, 0.25f, -1f, 1f];
        // Δα = (1, 0), Δβ = (0.5, 0): exp(−1/(4σ²) − σ²·0.25)
        Assert.Equal(Math.Exp(-1 / 9.0 - 2.25 * 0.25), QuantumSimilarity.Fidelity(a, b, Sigma), 12);
        Assert.Throws<ArgumentException>(() => QuantumSimilarity.Fidelity(a, b[..3], Sigma));
    }
}
