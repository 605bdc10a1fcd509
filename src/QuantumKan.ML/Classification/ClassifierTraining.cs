using Microsoft.ML;
using Microsoft.ML.Runtime;
using QuantumKan.Core;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Encoders;
using QuantumKan.Training.Data;
using QuantumKan.Training.Data.Frames;
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
        if (FrameBands(data.Schema, options, continueFrom) is { } bands)
            return TrainOnFrameRows(host, task, options, data, bands, continueFrom);
        var features = continueFrom is null
            ? FeatureColumn.ForTraining(data.Schema, options.FeatureColumnName)
            : FeatureColumn.ForInference(data.Schema, options.FeatureColumnName, continueFrom.FeatureCount);
        var labels = ClassifierLabels.Bind(data.Schema, options, task);
        if (continueFrom is not null && labels.ClassCount != continueFrom.ClassNames.Count)
            throw new ArgumentException($"Label column '{labels.Column.Name}' has {labels.ClassCount} classes; the model being continued has {continueFrom.ClassNames.Count}.");

        var all = Read(data, features, labels, CancellationCheck(host, options));
        if (all.Count == 0)
            throw new ArgumentException("The training data has no rows.");
        IFeatureSource train = all;
        IFeatureSource? validation = null;
        if (options.ValidationData is not null)
        {
            var validationFeatures = FeatureColumn.ForInference(options.ValidationData.Schema, options.FeatureColumnName, features.Size);
            validation = Read(options.ValidationData, validationFeatures, ClassifierLabels.Bind(options.ValidationData.Schema, options, task),
                CancellationCheck(host, options));
        }
        else
        {
            // A seeded hold-out: the same MLContext seed and data give the same split.
            if (options.ValidationFraction > 0 && all.Count > 1)
            {
                (train, validation) = HoldOutSplit.Split(all, options.ValidationFraction, host.Rand.NextInt64());
                LogHoldOut(host, options, validation.Count, all.Count);
            }
        }

        return TrainOnSources(host, task, options, train, validation is { Count: > 0 } ? validation : null, labels.ClassNames, continueFrom);
    }

    /// <summary>Trains from feature sources directly (the CLI's streaming path over the on-disk feature cache).</summary>
    public static QuantumKanClassifierTransformer TrainOnSources(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        IFeatureSource train, IFeatureSource? validation, IReadOnlyList<string> classNames, QuantumKanClassifierTransformer? continueFrom)
    {
        TorchRuntime.EnsureInitialized();
        var network = continueFrom?.NetworkOptions ?? options.Network.ResolveEncoder(inputIsFrames: false);
        if (network.Encoder.IsEnabled)
            throw new ArgumentException(
                $"The network options select a {network.Encoder.Kind} frame encoder, but the training data are flat feature vectors. " +
                "Train on frames (FeatureLayout.Frames, or FrameClips), or set Network.Encoder = FrameEncoderOptions.None for pooled features.");
        int seed = host.Rand.Next();
        return Train(host, task, options, network, train, validation, classNames, continueFrom, seed, train.FeatureSize,
            () => FeatureStatistics.MeanAndStd(train));
    }

    /// <summary>
    /// Trains a frame-encoder classifier: a random crop of each training clip per epoch, validation on every clip's
    /// overlapping patches (clip score = mean of patch logits), band statistics from every training frame.
    /// </summary>
    public static QuantumKanClassifierTransformer TrainOnFrames(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        FrameClips train, FrameClips? validation, IReadOnlyList<string> classNames, QuantumKanClassifierTransformer? continueFrom)
    {
        TorchRuntime.EnsureInitialized();
        var network = continueFrom?.NetworkOptions ?? options.Network.ResolveEncoder(inputIsFrames: true);
        if (!network.Encoder.IsEnabled)
            throw new ArgumentException(
                "The training data are log-mel frames, but the network options select no frame encoder (Encoder.Kind = None). " +
                "Pick an encoder (Temporal, Conv2d, KanTemporal or Auto), or train on pooled features.");
        if (network.Encoder.MelBands is { } bands && bands != train.Bands)
            throw new ArgumentException($"The frames have {train.Bands} mel bands; Network.Encoder.MelBands is {bands}.");
        if (continueFrom is not null && continueFrom.FeatureCount != train.Bands)
            throw new ArgumentException($"The frames have {train.Bands} mel bands; the model being continued reads {continueFrom.FeatureCount}.");
        if (validation is not null && validation.Bands != train.Bands)
            throw new ArgumentException($"The validation frames have {validation.Bands} mel bands; the training frames have {train.Bands}.");
        var encoder = network.Encoder;
        int seed = host.Rand.Next();
        var trainSource = new FrameCropSource(train, encoder.CropFrames, seed);
        var validationSource = validation is { Count: > 0 } ? new FramePatchSource(validation, encoder.CropFrames, encoder.PatchHop) : null;
        return Train(host, task, options, network, trainSource, validationSource, classNames, continueFrom, seed, train.Bands,
            train.BandStatistics);
    }

    private static QuantumKanClassifierTransformer Train(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        QuantumKanNetworkOptions architecture, IFeatureSource train, IFeatureSource? validation, IReadOnlyList<string> classNames,
        QuantumKanClassifierTransformer? continueFrom, int seed, int inputWidth, Func<(float[] Mean, float[] Std)> statistics)
    {
        QuantumKanNetwork network;
        if (continueFrom is null)
        {
            network = TorchRuntime.Seeded(seed, () => new QuantumKanNetwork(inputWidth, classNames.Count, architecture));
            var (mean, std) = statistics();
            network.SetInputStandardization(tensor(mean), tensor(std));
        }
        else
        {
            network = continueFrom.NewNetworkOfSameArchitecture();
        }

        var trainerOptions = options.Training with { Seed = seed };
        var trainer = new Trainer(new QuantumKanModel(network, task), task, trainerOptions);
        var result = TrainingProgressRelay.Run(host, "QuantumKan training", trainer, train, validation, options.Progress, options.EpochCompleted,
            options.CancellationToken, options.ResumeFromWorkspace, continueFrom?.Checkpoint);

        network.to(CPU);
        network.eval();
        var columns = new ClassifierColumns(options.FeatureColumnName, options.ScoreColumnName, options.PredictedLabelColumnName,
            options.EmbeddingColumnName, options.LabelColumnName, inputWidth);
        return new QuantumKanClassifierTransformer(host, task, network, classNames.ToArray(), columns, options.DecisionThreshold,
            result.Checkpoint, result.History);
    }


    // Frames when the column is a variable-length Single vector (or a continued model has an encoder): the bands come
    // from the continued model, the options, or the MelSpectrogram column's annotation. Null for flat features.
    private static int? FrameBands(DataViewSchema schema, QuantumKanClassifierOptions options, QuantumKanClassifierTransformer? continueFrom)
    {
        if (continueFrom is not null)
            return continueFrom.Network.HasEncoder ? continueFrom.FeatureCount : null;
        var column = schema.GetColumnOrNull(options.FeatureColumnName);
        if (column is not { Type: Microsoft.ML.Data.VectorDataViewType { IsKnownSize: false } vector } || vector.ItemType != Microsoft.ML.Data.NumberDataViewType.Single)
            return null;
        if (options.Network.Encoder.MelBands is { } bands)
            return bands;
        var annotation = column.Value.Annotations.Schema.GetColumnOrNull(Audio.MelSpectrogramTransformer.MelBandsAnnotation);
        if (annotation is { Type: var t } && t == Microsoft.ML.Data.NumberDataViewType.Int32)
        {
            int value = 0;
            column.Value.Annotations.GetValue(Audio.MelSpectrogramTransformer.MelBandsAnnotation, ref value);
            return value;
        }
        throw new ArgumentException(
            $"Column '{options.FeatureColumnName}' holds variable-length vectors (frames), but their mel band count is unknown: " +
            "produce it with MelSpectrogram (FeatureLayout.Frames), or set Network.Encoder.MelBands.");
    }

    private static QuantumKanClassifierTransformer TrainOnFrameRows(IHost host, ClassificationTask task, QuantumKanClassifierOptions options,
        IDataView data, int bands, QuantumKanClassifierTransformer? continueFrom)
    {
        var labels = ClassifierLabels.Bind(data.Schema, options, task);
        var all = ReadFrames(data, FeatureColumn.ForFrames(data.Schema, options.FeatureColumnName, bands), labels, CancellationCheck(host, options));
        if (all.Count == 0)
            throw new ArgumentException("The training data has no rows.");
        if (continueFrom is not null && labels.ClassCount != continueFrom.ClassNames.Count)
            throw new ArgumentException($"Label column '{labels.Column.Name}' has {labels.ClassCount} classes; the model being continued has {continueFrom.ClassNames.Count}.");
        FrameClips train = all;
        FrameClips? validation = null;
        if (options.ValidationData is not null)
            validation = ReadFrames(options.ValidationData, FeatureColumn.ForFrames(options.ValidationData.Schema, options.FeatureColumnName, bands),
                ClassifierLabels.Bind(options.ValidationData.Schema, options, task), CancellationCheck(host, options));
        else if (options.ValidationFraction > 0 && all.Count > 1)
        {
            (train, validation) = all.HoldOut(options.ValidationFraction, host.Rand.NextInt64());
            LogHoldOut(host, options, validation.Count, all.Count);
        }
        return TrainOnFrames(host, task, options, train, validation, labels.ClassNames, continueFrom);
    }

    /// <summary>
    /// Says on ML.NET's log that part of the training rows became the validation set, and how to change that: the
    /// hold-out is <see cref="QuantumKanClassifierOptions.ValidationFraction"/>, applied only without ValidationData.
    /// </summary>
    private static void LogHoldOut(IHost host, QuantumKanClassifierOptions options, int heldOut, int rows)
    {
        using var channel = host.Start("QuantumKan validation");
        channel.Info(MessageSensitivity.None, $"No ValidationData given: {heldOut} of {rows} training rows (ValidationFraction = {options.ValidationFraction}) " +
                     "are held out for validation and early stopping. Set ValidationData, or ValidationFraction = 0 to train on every row.");
    }

    /// <summary>
    /// Throws when <see cref="QuantumKanClassifierOptions.CancellationToken"/> or ML.NET's cancel
    /// (MLContext.CancelExecution) asks to stop; run before each row is featurized, so neither waits for a whole pass.
    /// </summary>
    private static Action CancellationCheck(IHost host, QuantumKanClassifierOptions options) => () =>
    {
        options.CancellationToken.ThrowIfCancellationRequested();
        if (MlNetInternals.IsCanceled(host))
            throw new OperationCanceledException("MLContext.CancelExecution() was called.");
    };

    private static FrameClips ReadFrames(IDataView data, FeatureColumn features, ClassifierLabels labels, Action checkCancelled)
    {
        var clips = new List<float[]>();
        var hot = new List<float>();
        using var cursor = data.GetRowCursor([features.Column, labels.Column]);
        var readFrames = features.CreateFrameReader(cursor);
        var readLabel = labels.CreateReader(cursor);
        while (true)
        {
            checkCancelled();
            if (!cursor.MoveNext())
                break;
            clips.Add(readFrames.Read());
            hot.AddRange(readLabel());
        }
        return new FrameClips(new InMemoryFrameStore(clips, features.Size), hot.ToArray(), labels.ClassCount);
    }

    private static InMemoryFeatureSource Read(IDataView data, FeatureColumn features, ClassifierLabels labels, Action checkCancelled)
    {
        var values = LabelledFeatures.ReadRows(data, features, labels.Column, labels.CreateReader, out var hot, checkCancelled);
        return new InMemoryFeatureSource(values, [features.Size], hot.SelectMany(h => h).ToArray(), labels.ClassCount);
    }
}

/// <summary>Column names and widths of a fitted classifier, persisted with it.</summary>
internal sealed record ClassifierColumns(string Features, string Score, string PredictedLabel, string? Embedding, string Label, int FeatureCount);
