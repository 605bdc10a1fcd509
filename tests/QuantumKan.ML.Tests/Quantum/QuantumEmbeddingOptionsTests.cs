using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Tests.Quantum;

/// <summary>The embedding's options compose the embedding and trainer records, and reach the shared Trainer.</summary>
public class QuantumEmbeddingOptionsTests
{
    private static QuantumEmbeddingOptions Quick(int epochs = 2) => new()
    {
        Embedding = QuantumEmbeddingOptions.DefaultEmbedding with { Modes = 4, Grid = new() { Points = 256 } },
        Training = QuantumEmbeddingOptions.DefaultTraining with { Epochs = epochs, BatchSize = 16 },
    };

    private static List<float[]> Embed(ITransformer model, IDataView data)
    {
        var embedded = model.Transform(data);
        return embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).ToList();
    }

    [Fact]
    public void Defaults_ComposeTheEmbeddingAndTrainerRecords()
    {
        var options = new QuantumEmbeddingOptions();
        Assert.Same(QuantumEmbeddingOptions.DefaultEmbedding, options.Embedding);
        Assert.Same(QuantumEmbeddingOptions.DefaultTraining, options.Training);
        Assert.Equal((16, 0, 1024), (options.Embedding.Modes, options.Embedding.ReferenceStates, options.Embedding.Grid.Points));
        Assert.Equal((30, 64, 5e-3, 1e-4), (options.Training.Epochs, options.Training.BatchSize, options.Training.LearningRate, options.Training.WeightDecay));
        Assert.Same(QuantumEmbeddingModel.DefaultLossWeights, options.Training.LossWeights);
        Assert.Equal((1.0, 0.1, 1e-5), (options.Training.LossWeights.QuantumFidelity, options.Training.LossWeights.Normalization, options.Training.LossWeights.L2));
    }

    [Fact]
    public void PlainOverload_FillsTheRecords()
    {
        var ml = new MLContext(seed: 2);
        var model = ml.Transforms.QuantumEmbedding(modes: 3, epochs: 1, batchSize: 8, learningRate: 0.01, margin: 0.2).Fit(ToyClusters.Keyed(ml, 16, seed: 1));
        Assert.Equal(3, model.Options.Embedding.Modes);
        Assert.Equal((1, 8, 0.01), (model.Options.Training.Epochs, model.Options.Training.BatchSize, model.Options.Training.LearningRate));
        Assert.Equal(0.2, model.Options.Margin);
    }

    [Theory]
    [InlineData("ReferenceStates")]
    [InlineData("MonitorMetric")]
    [InlineData("ValidationFraction")]
    public void SettingsTheEmbeddingCannotUse_AreRefusedNamingThem(string name)
    {
        var quick = Quick();
        var options = name switch
        {
            "ReferenceStates" => quick with { Embedding = quick.Embedding with { ReferenceStates = 2 } },
            "MonitorMetric" => quick with { Training = quick.Training with { MonitorMetric = "mAP" } },
            _ => quick with { ValidationFraction = 1 },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.QuantumEmbedding("Embedding", "Features", "Label", options));
        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void ValidationFraction_EnablesEarlyStopping()
    {
        var ml = new MLContext(seed: 4);
        // Only the first validation can count as an improvement (by 10), so the second one ends the run.
        var options = Quick(epochs: 10) with
        {
            ValidationFraction = 0.25,
            Training = Quick().Training with { Epochs = 10, EarlyStoppingPatience = 1, EarlyStoppingMinDelta = 10 },
        };
        var model = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).Fit(ToyClusters.Keyed(ml, 64, seed: 3));
        Assert.Equal(2, model.TrainingHistory.Count);
    }

    [Fact]
    public void Workspace_HoldsTheRunsCheckpoint_AndAFinishedRunResumesToTheSameModel()
    {
        using var temp = new TempFolder("qkan-embedding-");
        var workspace = temp.Path;
        var data = ToyClusters.Keyed(new MLContext(), 48, seed: 5);
        var options = Quick() with { Training = Quick().Training with { Workspace = workspace }, ResumeFromWorkspace = true };
        var first = new MLContext(seed: 6).Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).Fit(data);

        var checkpoint = TrainingCheckpoint.Load(Path.Combine(workspace, CheckpointStore.LastFileName));
        Assert.Equal(2, checkpoint.State.Epoch);
        Assert.Equal(2, checkpoint.State.History.Count);

        // The same MLContext seed (it is the trainer's seed, which an exact resume must keep); nothing is left to train.
        var resumed = new MLContext(seed: 6).Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).Fit(data);
        Assert.Equal(Embed(first, data), Embed(resumed, data));
        Assert.Equal(first.TrainingHistory, resumed.TrainingHistory);
    }

    [Fact]
    public void SavedModel_KeepsTheComposedOptions()
    {
        var ml = new MLContext(seed: 1);
        var options = Quick() with { Margin = 0.15, WavefunctionColumnName = "Psi", Training = Quick().Training with { MaxGradientNorm = 0.5 } };
        var model = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).Fit(ToyClusters.Keyed(ml, 24, seed: 2));
        using var temp = new TempFolder("qkan-quantum-");
        var path = temp.Combine("embedding.zip");
        ml.Model.Save(model, ToyClusters.Keyed(ml, 1, seed: 2).Schema, path);

        var loaded = Assert.IsType<QuantumEmbeddingTransformer>(new MLContext().RegisterQuantumKan().Model.Load(path, out _));
        Assert.Equal((4, 256), (loaded.Options.Embedding.Modes, loaded.Options.Embedding.Grid.Points));
        Assert.Equal((2, 16, 0.5), (loaded.Options.Training.Epochs, loaded.Options.Training.BatchSize, loaded.Options.Training.MaxGradientNorm));
        Assert.Equal((0.15, "Psi"), (loaded.Options.Margin, loaded.Options.WavefunctionColumnName));
    }

    /// <summary>Models saved before the options composed records (state version 1) hold 17 flat option fields.</summary>
    [Fact]
    public void StateOfVersion1_WithFlatOptions_StillLoads()
    {
        var ml = new MLContext(seed: 1);
        var data = ToyClusters.Keyed(ml, 24, seed: 2);
        var model = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).Fit(data);
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var sections = writer.Sections.ToDictionary(s => s.Name, s => s.Payload);
        // The "Options" section exactly as version 1 wrote it (QuantumEmbeddingOptions' public fields).
        sections["Options"] = Encoding.UTF8.GetBytes(
            "{\"Modes\":4,\"Extractor\":{\"Basis\":\"Chebyshev\",\"Degree\":8},\"HiddenWidths\":[],\"Sigma\":1.5,\"GridPoints\":256," +
            "\"GridHalfWidth\":12,\"BetaMax\":2,\"Epochs\":2,\"BatchSize\":16,\"LearningRate\":0.005,\"WeightDecay\":0.0001," +
            "\"L2Weight\":2E-05,\"NormalizationWeight\":0.3,\"Margin\":0.25,\"StandardizeFeatures\":true," +
            "\"WavefunctionColumnName\":\"Psi\",\"Device\":\"cpu\"}");

        var loaded = QuantumEmbeddingTransformer.Load(ml, new ModelStateReader("QuantumEmbedding", QuantumEmbeddingTransformer.Kind, 1, sections));

        Assert.Equal(Embed(model, data), Embed(loaded, data));
        Assert.Equal(model.TrainingHistory, loaded.TrainingHistory);
        var o = loaded.Options;
        Assert.Equal((4, 0, 256), (o.Embedding.Modes, o.Embedding.ReferenceStates, o.Embedding.Grid.Points));
        Assert.Equal((2, 16, 0.005, 0.0001, "cpu"), (o.Training.Epochs, o.Training.BatchSize, o.Training.LearningRate, o.Training.WeightDecay, o.Training.Device));
        Assert.Equal((2e-5, 0.3), (o.Training.LossWeights.L2, o.Training.LossWeights.Normalization));
        // What that run did: a constant learning rate without clipping.
        Assert.Equal((0.0, 1.0, 0.0), (o.Training.WarmupFraction, o.Training.FinalLearningRateFactor, o.Training.MaxGradientNorm));
        Assert.Equal((0.25, true, "Psi"), (o.Margin, o.StandardizeFeatures, o.WavefunctionColumnName));
        Assert.Equal(QuantumEmbeddingTransformer.Kind, loaded.PersistenceKind);
    }
}
