using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Core;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.ML.Quantum;

/// <summary>One search result: a row of the index and its fidelity to the query.</summary>
/// <param name="Row">0-based position of the matched embedding in the index.</param>
/// <param name="Fidelity">Born-rule fidelity to the query, in [0, 1].</param>
/// <param name="LogFidelity">Its logarithm (≤ 0), which keeps ranking information where the fidelity underflows.</param>
public readonly record struct SimilarityMatch(int Row, double Fidelity, double LogFidelity);

/// <summary>
/// An index over embedded clips answering "find sounds like this one": the top-k rows of highest Born-rule fidelity.
/// The fast path is one matrix product: embeddings are stored as scaled coordinates <c>z = (α/(2σ), σβ)</c>, where
/// <c>log F = −‖z_q − z_r‖² = −(‖z_q‖² + ‖z_r‖² − 2 z_q·z_r)</c>, so a batch of Q queries against R rows costs one
/// (Q × 2M)·(2M × R) GEMM and a top-k, with no managed loop over pairs.
/// </summary>
public sealed class QuantumSimilarityIndex : IDisposable
{
    // Bounds the (Q, R) score block of one search step to about 64 MB of float32.
    private const long MaxScoresPerStep = 16L << 20;

    private readonly Tensor _coordinates;  // (R, 2M) float32
    private readonly Tensor _squaredNorms; // (R): ‖z_r‖², computed once rather than per search

    private QuantumSimilarityIndex(Tensor coordinates, int modes, double sigma)
    {
        _coordinates = coordinates;
        _squaredNorms = coordinates.Squared().sum(-1).DetachFromDisposeScope();
        Modes = modes;
        Sigma = sigma;
    }

    /// <summary>Number of indexed embeddings R.</summary>
    public int Count => (int)_coordinates.shape[0];

    /// <summary>Number of modes M of every embedding.</summary>
    public int Modes { get; }

    /// <summary>Packet width σ the embeddings were made with.</summary>
    public double Sigma { get; }

    /// <summary>Indexes embeddings of 3·M values each (γ is dropped: it does not affect fidelity).</summary>
    /// <param name="embeddings">The embeddings, all of the same length 3·M.</param>
    /// <param name="sigma">Packet width σ the embeddings were made with.</param>
    public static QuantumSimilarityIndex Create(IReadOnlyList<float[]> embeddings, double sigma)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count == 0)
            throw new ArgumentException("The index needs at least one embedding.", nameof(embeddings));
        int size = embeddings[0]?.Length ?? 0;
        int modes = QuantumSimilarity.ModesOf(size, nameof(embeddings));
        var flat = Flatten(embeddings, size, "Embedding", "embedding 0 has", nameof(embeddings));
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive and finite.");
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var coordinates = ToCoordinates(tensor(flat, [embeddings.Count, size]), sigma);
        return new QuantumSimilarityIndex(coordinates.DetachFromDisposeScope(), modes, sigma);
    }

    /// <summary>Indexes the embedding column of a data view, in row order.</summary>
    /// <param name="embedded">Data holding the embeddings, for instance the output of a <see cref="QuantumEmbeddingTransformer"/>.</param>
    /// <param name="embeddingColumnName">The column holding 3·M-value embeddings.</param>
    /// <param name="sigma">Packet width σ the embeddings were made with.</param>
    public static QuantumSimilarityIndex Create(IDataView embedded, string embeddingColumnName, double sigma)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        var col = embedded.Schema.GetColumnOrNull(embeddingColumnName)
                  ?? throw new ArgumentOutOfRangeException(nameof(embeddingColumnName), $"Input column '{embeddingColumnName}' was not found; expected a vector of 3·M Single.");
        if (col.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size == 0 || size % 3 != 0)
            throw new ArgumentOutOfRangeException(nameof(embeddingColumnName), $"Input column '{embeddingColumnName}' has type {col.Type}; expected a vector of 3·M Single.");
        return Create(ReadEmbeddings(embedded, embeddingColumnName, size), sigma);
    }

    /// <summary>The k rows most similar to one embedding, by descending fidelity (fewer if the index is smaller).</summary>
    public SimilarityMatch[] Search(ReadOnlySpan<float> embedding, int k) => Search([embedding.ToArray()], k)[0];

    /// <summary>The k rows most similar to each of several embeddings: one matrix product per block of queries.</summary>
    public SimilarityMatch[][] Search(IReadOnlyList<float[]> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int size = 3 * Modes;
        var flat = Flatten(queries, size, "Query", "this index holds embeddings of", nameof(queries));
        using var scope = NewDisposeScope();
        return SearchCoordinates(ToCoordinates(tensor(flat, [queries.Count, size]), Sigma), k, excludeRows: null);
    }

    /// <summary>The k rows most similar to row <paramref name="row"/> of the index itself, excluding that row.</summary>
    public SimilarityMatch[] SearchSimilarTo(int row, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        using var scope = NewDisposeScope();
        return SearchCoordinates(_coordinates[row].unsqueeze(0), k, [row])[0];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _coordinates.Dispose();
        _squaredNorms.Dispose();
    }

    /// <summary>Every row's k most similar other rows, in row order: the batched form of <see cref="SearchSimilarTo"/>.</summary>
    internal SimilarityMatch[][] SearchEachRowExcludingItself(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        using var scope = NewDisposeScope();
        return SearchCoordinates(_coordinates, k, Enumerable.Range(0, Count).ToArray());
    }

    // queries: (Q, 2M) coordinates. excludeRows[i], when given, is a row removed from query i's results.
    private SimilarityMatch[][] SearchCoordinates(Tensor queries, int k, int[]? excludeRows)
    {
        int kept = Math.Min(k, Count - (excludeRows is null ? 0 : 1));
        var results = new SimilarityMatch[queries.shape[0]][];
        if (kept <= 0)
        {
            Array.Fill(results, []);
            return results;
        }
        long step = Math.Max(1, MaxScoresPerStep / Count);
        using var noGrad = no_grad();
        for (long start = 0; start < queries.shape[0]; start += step)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(start + step, queries.shape[0]);
            var scores = BornFidelity.LogClosedFormCross(queries.narrow(0, start, end - start), _coordinates, _squaredNorms); // (q, R)
            if (excludeRows is not null)
            {
                var rows = tensor(excludeRows[(int)start..(int)end].Select(r => (long)r).ToArray()).unsqueeze(1);
                scores = scores.scatter(1, rows, ScalarArithmetic.Full(rows.shape, float.NegativeInfinity));
            }
            var (values, indices) = scores.topk(kept, dim: 1, largest: true, sorted: true);
            var v = values.data<float>().ToArray();
            var ix = indices.data<long>().ToArray();
            for (long q = start; q < end; q++)
            {
                var row = new SimilarityMatch[kept];
                for (int j = 0; j < kept; j++)
                {
                    long at = (q - start) * kept + j;
                    row[j] = new SimilarityMatch((int)ix[at], Math.Exp(v[at]), v[at]);
                }
                results[q] = row;
            }
        }
        return results;
    }

    // Row-major copy of equal-length, finite vectors; errors name the vector's position.
    private static float[] Flatten(IReadOnlyList<float[]> vectors, int size, string what, string expectation, string paramName)
    {
        var flat = new float[(long)vectors.Count * size];
        for (int i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i] ?? throw new ArgumentException($"{what} {i} is null.", paramName);
            if (v.Length != size)
                throw new ArgumentException($"{what} {i} has {v.Length} values; {expectation} {size}.", paramName);
            if (!v.All(float.IsFinite))
                throw new ArgumentException($"{what} {i} has a non-finite value.", paramName);
            v.CopyTo(flat, (long)i * size);
        }
        return flat;
    }

    // (n, 3M) embeddings → (n, 2M) coordinates z = (α/(2σ), σβ).
    private static Tensor ToCoordinates(Tensor embeddings, double sigma)
    {
        var state = CoherentStateParameters.Unpack(embeddings);
        return BornFidelity.Coordinates(state.Alpha, state.Beta, sigma).contiguous();
    }

    internal static List<float[]> ReadEmbeddings(IDataView data, string column, int size)
    {
        var col = data.Schema[column];
        var list = new List<float[]>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != size)
                throw new InvalidRowException(column, cursor.Position, $"expected an embedding of {size} values, found {buffer.Length}.");
            list.Add(buffer.DenseValues().ToArray());
        }
        return list;
    }
}
