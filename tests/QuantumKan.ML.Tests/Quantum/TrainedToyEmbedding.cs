using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

/// <summary>One embedding trained on the 4-cluster toy set, shared by the tests that only read it.</summary>
public sealed class TrainedToyEmbedding
{
    public const double Margin = 0.1;

    public TrainedToyEmbedding()
    {
        Ml = new MLContext(seed: 1);
        Train = ToyClusters.Keyed(Ml, 160, seed: 1);
        HeldOut = ToyClusters.Keyed(Ml, 80, seed: 2);
        Model = Ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Options()).Fit(Train);
    }

    public MLContext Ml { get; }
    public IDataView Train { get; }
    public IDataView HeldOut { get; }
    public QuantumEmbeddingTransformer Model { get; }

    public static QuantumEmbeddingOptions Options() => new()
    {
        Embedding = QuantumEmbeddingOptions.DefaultEmbedding with { Modes = 8 },
        Training = QuantumEmbeddingOptions.DefaultTraining with { Epochs = 25, BatchSize = 32 },
        Margin = Margin,
        WavefunctionColumnName = "Psi",
    };

    public static List<float[]> Embeddings(ITransformer model, IDataView data)
    {
        var embedded = model.Transform(data);
        return embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).ToList();
    }

    public static int[] Clusters(IDataView data) => data.GetColumn<uint>(data.Schema["Label"]).Select(k => (int)k - 1).ToArray();

    /// <summary>Mean fidelity over pairs in the same cluster and over pairs in different clusters (i ≠ j).</summary>
    public static (double Positive, double Negative) MeanPairFidelities(IReadOnlyList<float[]> embeddings, int[] clusters, double sigma)
    {
        double pos = 0, neg = 0;
        int np = 0, nn = 0;
        for (int i = 0; i < embeddings.Count; i++)
        for (int j = 0; j < embeddings.Count; j++)
        {
            if (i == j)
                continue;
            var f = QuantumSimilarity.Fidelity(embeddings[i], embeddings[j], sigma);
            if (clusters[i] == clusters[j]) { pos += f; np++; }
            else { neg += f; nn++; }
        }
        return (pos / np, neg / nn);
    }
}
