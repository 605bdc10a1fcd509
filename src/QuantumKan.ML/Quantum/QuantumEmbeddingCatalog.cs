using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;

// ML.NET's convention: catalog extensions live in Microsoft.ML, so `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>Catalog extensions that add the quantum field embedding to <c>mlContext.Transforms</c>.</summary>
public static class QuantumEmbeddingCatalog
{
    /// <summary>
    /// Learns a quantum field embedding of <paramref name="featureColumnName"/>: a vector of 3·M Single, the (α, β, γ)
    /// of M coherent-state modes, trained so that rows sharing a label have high Born-rule fidelity.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the embedding column to create. Default "Embedding".</param>
    /// <param name="featureColumnName">Name of the feature column, a known-size vector of Single. Default "Features".</param>
    /// <param name="labelColumnName">Name of the label column: a key, a vector of keys, or a multi-hot vector. Default "Label".</param>
    /// <param name="modes">Number of modes M. Default 16.</param>
    /// <param name="epochs">Passes over the training data. Default 30.</param>
    /// <param name="batchSize">Rows per mini-batch. Default 64.</param>
    /// <param name="learningRate">Peak AdamW learning rate. Default 0.005.</param>
    /// <param name="margin">Fidelity below which negative pairs cost nothing. Default 0.1.</param>
    public static QuantumEmbeddingEstimator QuantumEmbedding(this TransformsCatalog catalog,
        string outputColumnName = "Embedding", string featureColumnName = "Features", string labelColumnName = "Label",
        int modes = 16, int epochs = 30, int batchSize = 64, double learningRate = 5e-3, double margin = 0.1) =>
        catalog.QuantumEmbedding(outputColumnName, featureColumnName, labelColumnName, new QuantumEmbeddingOptions
        {
            Embedding = QuantumEmbeddingOptions.DefaultEmbedding with { Modes = modes },
            Training = QuantumEmbeddingOptions.DefaultTraining with { Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate },
            Margin = margin,
        });

    /// <summary>Learns a quantum field embedding with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the embedding column to create.</param>
    /// <param name="featureColumnName">Name of the feature column, a known-size vector of Single.</param>
    /// <param name="labelColumnName">Name of the label column: a key, a vector of keys, or a multi-hot vector.</param>
    /// <param name="options">Embedding and training settings.</param>
    public static QuantumEmbeddingEstimator QuantumEmbedding(this TransformsCatalog catalog,
        string outputColumnName, string featureColumnName, string labelColumnName, QuantumEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var env = MlNetInternals.Environment(catalog);
        ModelPersistence.Register(env);
        return new QuantumEmbeddingEstimator(env, outputColumnName, featureColumnName, labelColumnName, options);
    }
}
