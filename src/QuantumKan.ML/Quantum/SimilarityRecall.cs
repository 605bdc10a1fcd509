namespace QuantumKan.ML.Quantum;

/// <summary>
/// Recall@k of similarity search on labelled data: the fraction of queries whose k nearest indexed rows (by fidelity)
/// include at least one row sharing a label with the query, the retrieval recall used in metric learning.
/// Queries with no label are skipped (they have nothing to retrieve).
/// </summary>
public static class SimilarityRecall
{
    /// <summary>Recall@k of held-out queries against an index.</summary>
    /// <param name="index">The index over the gallery.</param>
    /// <param name="galleryLabels">Each indexed row's classes, in index order.</param>
    /// <param name="queryEmbeddings">The queries' embeddings.</param>
    /// <param name="queryLabels">Each query's classes.</param>
    /// <param name="k">How many matches count, at least 1.</param>
    public static double AtK(QuantumSimilarityIndex index, IReadOnlyList<int[]> galleryLabels, IReadOnlyList<float[]> queryEmbeddings,
        IReadOnlyList<int[]> queryLabels, int k)
    {
        ArgumentNullException.ThrowIfNull(index);
        CheckCounts(index, galleryLabels);
        ArgumentNullException.ThrowIfNull(queryEmbeddings);
        ArgumentNullException.ThrowIfNull(queryLabels);
        if (queryEmbeddings.Count != queryLabels.Count)
            throw new ArgumentException($"{queryEmbeddings.Count} query embeddings but {queryLabels.Count} query label sets.", nameof(queryLabels));
        return Score(index.Search(queryEmbeddings, k), galleryLabels, queryLabels);
    }

    /// <summary>Leave-one-out recall@k within the index: each row queries all the others.</summary>
    /// <param name="index">The index.</param>
    /// <param name="labels">Each indexed row's classes, in index order.</param>
    /// <param name="k">How many matches count, at least 1.</param>
    public static double LeaveOneOutAtK(QuantumSimilarityIndex index, IReadOnlyList<int[]> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(index);
        CheckCounts(index, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Score(index.SearchEachRowExcludingItself(k), labels, labels);
    }

    /// <summary>
    /// Leave-one-out precision@k within the index: each labelled row queries all the others, and the score is the share
    /// of its k nearest rows that share a label with it, averaged over the queries.
    /// </summary>
    /// <param name="index">The index.</param>
    /// <param name="labels">Each indexed row's classes, in index order.</param>
    /// <param name="k">How many matches count, at least 1 (at most the other rows).</param>
    public static double LeaveOneOutPrecisionAtK(QuantumSimilarityIndex index, IReadOnlyList<int[]> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(index);
        CheckCounts(index, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var matches = index.SearchEachRowExcludingItself(k);
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < matches.Length; q++)
        {
            if (labels[q] is not { Length: > 0 } wanted || matches[q].Length == 0)
                continue;
            counted++;
            sum += matches[q].Count(m => labels[m.Row].Intersect(wanted).Any()) / (double)matches[q].Length;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }

    private static double Score(SimilarityMatch[][] matches, IReadOnlyList<int[]> galleryLabels, IReadOnlyList<int[]> queryLabels)
    {
        int hits = 0, counted = 0;
        for (int q = 0; q < matches.Length; q++)
        {
            if (queryLabels[q] is not { Length: > 0 } wanted)
                continue;
            counted++;
            if (matches[q].Any(m => galleryLabels[m.Row].Intersect(wanted).Any()))
                hits++;
        }
        return counted == 0 ? double.NaN : (double)hits / counted;
    }

    private static void CheckCounts(QuantumSimilarityIndex index, IReadOnlyList<int[]> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != index.Count)
            throw new ArgumentException($"The index holds {index.Count} rows but {labels.Count} label sets were given.", nameof(labels));
    }
}
