using Microsoft.ML;
using Microsoft.ML.Runtime;
using QuantumKan.Core;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.ML.Classification;

/// <summary>The steps of a classifier Fit: read rows, split, build or reuse the network, train, wrap the result.</summary>
internal static class ClassifierTraining
{
    public static QuantumKanClassifierTransformer Train(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        IDataView data, QuantumKanClassifierTransformer? continueFrom)
    {
        TorchRuntime.EnsureInitialized();
        var features = continueFrom is null
            ? FeatureColumn.ForTraining(data.Schema, options.FeatureColumnName)
            : FeatureColumn.ForInference(data.Schema, options.FeatureColumnName, continueFrom.FeatureCount);
        var labels = ClassifierLabels.Bind(data.Schema, options, task);
        if (continueFrom is not null && labels.ClassCount != continueFrom.ClassNames.Count)
            throw new ArgumentException($"Label column '{labels.Column.Name}' has {labels.ClassCount} classes; the model being continued has {continueFrom.ClassNames.Count}.");

        var all = Read(data, features, labels);
        if (all.Count == 0)
            throw new ArgumentException("The training data has no rows.");
        IFeatureSource train = all;
        IFeatureSource? validation = null;
        if (options.ValidationData is not null)
        {
            var validationFeatures = FeatureColumn.ForInference(options.ValidationData.Schema, options.FeatureColumnName, features.Size);
            validation = Read(options.ValidationData, validationFeatures, ClassifierLabels.Bind(options.ValidationData.Schema, options, task));
        }
        else
        {
            // A seeded hold-out: the same MLContext seed and data give the same split.
            if (options.ValidationFraction > 0 && all.Count > 1)
                (train, validation) = HoldOutSplit.Split(all, options.ValidationFraction, host.Rand.NextInt64());
        }

        return TrainOnSources(host, task, options, train, validation is { Count: > 0 } ? validation : null, labels.ClassNames, continueFrom);
    }

    /// <summary>Trains from feature sources directly (the CLI's streaming path over the on-disk feature cache).</summary>
    public static QuantumKanClassifierTransformer TrainOnSources(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        IFeatureSource train, IFeatureSource? validation, IReadOnlyList<string> classNames, QuantumKanClassifierTransformer? continueFrom)
    {
        TorchRuntime.EnsureInitialized();
        int seed = host.Rand.Next();
        QuantumKanNetwork network;
        if (continueFrom is null)
        {
            network = TorchRuntime.Seeded(seed, () => new QuantumKanNetwork(train.FeatureSize, classNames.Count, options.Network));
            var (mean, std) = FeatureStatistics.MeanAndStd(train);
            network.Embedding.SetInputStandardization(tensor(mean), tensor(std));
        }
        else
        {
            network = continueFrom.NewNetworkOfSameArchitecture();
        }

        var trainerOptions = options.Training with { Seed = seed };
        var trainer = new Trainer(new QuantumKanModel(network), ToTaskKind(task), trainerOptions);
        using var channel = host.Start("QuantumKan training");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var progress = new TrainingProgressRelay(host, channel, options, cancellation);
        TrainingResult result;
        if (continueFrom is not null)
            result = trainer.Resume(continueFrom.Checkpoint, train, validation, progress, cancellation.Token, allowOptionChanges: true);
        else if (options.ResumeFromWorkspace)
            result = trainer.FitOrResumeFromWorkspace(train, validation, progress, cancellation.Token);
        else
            result = trainer.Fit(train, validation, progress, cancellation.Token);

        network.to(CPU);
        network.eval();
        var columns = new ClassifierColumns(options.FeatureColumnName, options.ScoreColumnName, options.PredictedLabelColumnName,
            options.EmbeddingColumnName, options.LabelColumnName, train.FeatureSize);
        return new QuantumKanClassifierTransformer(host, task, network, classNames.ToArray(), columns, options.DecisionThreshold,
            result.Checkpoint, result.History);
    }

    internal static TaskKind ToTaskKind(ClassificationTask task) =>
        task == ClassificationTask.Multiclass ? TaskKind.Multiclass : TaskKind.MultiLabel;


    private static InMemoryFeatureSource Read(IDataView data, FeatureColumn features, ClassifierLabels labels)
    {
        var values = LabelledFeatures.ReadRows(data, features, labels.Column, labels.CreateReader, out var hot);
        return new InMemoryFeatureSource(values, [features.Size], hot.SelectMany(h => h).ToArray(), labels.ClassCount);
    }
}

/// <summary>Column names and widths of a fitted classifier, persisted with it.</summary>
internal sealed record ClassifierColumns(string Features, string Score, string PredictedLabel, string? Embedding, string Label, int FeatureCount);
