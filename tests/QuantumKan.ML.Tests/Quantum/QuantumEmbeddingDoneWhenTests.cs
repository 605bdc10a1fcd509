using Xunit.Abstractions;
using Microsoft.ML;
using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

/// <summary>The issue's acceptance test: training separates the toy clusters, and the model saves, loads and serves queries.</summary>
public class QuantumEmbeddingDoneWhenTests(TrainedToyEmbedding toy, ITestOutputHelper output) : IClassFixture<TrainedToyEmbedding>
{
    [Fact]
    public void Training_LiftsPositiveFidelityAbove08_AndPushesNegativeFidelityBelowTheMargin()
    {
        var history = toy.Model.TrainingHistory;
        Assert.Equal(25, history.Count);
        // Before training, pairs of either kind start at the same spread; training separates them.
        Assert.True(history[^1].MeanPositiveFidelity > history[0].MeanPositiveFidelity);
        foreach (var data in new[] { toy.Train, toy.HeldOut })
        {
            var (positive, negative) = TrainedToyEmbedding.MeanPairFidelities(
                TrainedToyEmbedding.Embeddings(toy.Model, data), TrainedToyEmbedding.Clusters(data), toy.Model.Sigma);
            output.WriteLine($"{(data == toy.Train ? "train" : "held-out")}: mean F positive {positive:F4}, negative {negative:F6}");
            Assert.True(positive > 0.8, $"mean positive-pair fidelity {positive}");
            Assert.True(negative < TrainedToyEmbedding.Margin, $"mean negative-pair fidelity {negative}");
        }
    }

    [Fact]
    public void SavedModel_Loads_AndServesSimilarityQueries()
    {
        using var temp = new TempFolder("qkan-quantum-");
        var path = temp.Combine("embedding.zip");
        toy.Ml.Model.Save(toy.Model, toy.Train.Schema, path);

        var ml = new MLContext(seed: 7).RegisterQuantumKan();
        var loaded = Assert.IsType<QuantumEmbeddingTransformer>(ml.Model.Load(path, out var schema));
        Assert.NotNull(schema.GetColumnOrNull("Features"));
        Assert.Equal(TrainedToyEmbedding.Embeddings(toy.Model, toy.HeldOut), TrainedToyEmbedding.Embeddings(loaded, toy.HeldOut));
        Assert.Equal(toy.Model.TrainingHistory, loaded.TrainingHistory);

        using var index = loaded.CreateSimilarityIndex(toy.Train);
        var trainClusters = TrainedToyEmbedding.Clusters(toy.Train);
        var heldOut = TrainedToyEmbedding.Embeddings(loaded, toy.HeldOut);
        var heldOutClusters = TrainedToyEmbedding.Clusters(toy.HeldOut);
        for (int q = 0; q < 8; q++)
        {
            var matches = index.Search(heldOut[q], k: 5);
            Assert.Equal(5, matches.Length);
            Assert.All(matches, m => Assert.Equal(heldOutClusters[q], trainClusters[m.Row]));
            Assert.True(matches[0].Fidelity > 0.8);
        }
        var recall = loaded.RecallAtK(toy.Train, toy.HeldOut, k: 1);
        output.WriteLine($"held-out recall@1 against the training set: {recall:F4}");
        Assert.True(recall >= 0.95);
    }
}
