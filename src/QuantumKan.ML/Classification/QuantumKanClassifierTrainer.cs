using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Trains a QuantumKan classifier: quantum field embedding → state representation → KAN layers, with the multi-task
/// loss (classification + reconstruction + fidelity contrastive + L2 + normalization) and AdamW with warmup and cosine.
/// Created by <c>mlContext.MulticlassClassification.Trainers.QuantumKan(...)</c> or
/// <c>mlContext.MultiLabelClassification().Trainers.QuantumKan(...)</c>. Like ML.NET's own trainers it is an
/// <see cref="ITrainerEstimator{TTransformer, TModel}"/>: its <see cref="Info"/> describes it, and the fitted
/// transformer is an <see cref="ISingleFeaturePredictionTransformer{TModel}"/> whose model is the classifier itself.
/// </summary>
public sealed class QuantumKanClassifierTrainer : ITrainerEstimator<QuantumKanClassifierTransformer, IQuantumKanClassifier>
{
    private readonly IHost _host;

    internal QuantumKanClassifierTrainer(IHostEnvironment env, ClassificationTask task, QuantumKanClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ModelPersistence.Register(env);
        _host = env.Register(nameof(QuantumKanClassifierTrainer));
        Task = task;
        Options = options;
    }

    /// <summary>Multi-label or multiclass.</summary>
    public ClassificationTask Task { get; }

    /// <summary>
    /// What ML.NET's tooling reads about this trainer: it needs no normalizer (the network standardizes its input with
    /// the training set's mean and deviation), wants no caching (Fit reads the data once into its own store), validates
    /// (on the given validation rows, or a held-out <see cref="QuantumKanClassifierOptions.ValidationFraction"/>), and continues
    /// training a fitted model (<see cref="Fit(IDataView, QuantumKanClassifierTransformer?)"/>).
    /// </summary>
    public TrainerInfo Info { get; } = MlNetInternals.NewTrainerInfo(normalization: false, caching: false, supportValidation: true, supportIncrementalTraining: true);

    /// <summary>The options (shared, not copied: changes before Fit take effect).</summary>
    public QuantumKanClassifierOptions Options { get; }

    /// <summary>Trains from scratch (or resumes from the workspace when <see cref="QuantumKanClassifierOptions.ResumeFromWorkspace"/>).</summary>
    public QuantumKanClassifierTransformer Fit(IDataView input) => Fit(input, continueFrom: null);

    /// <summary>
    /// Continues training <paramref name="continueFrom"/> (for instance a model loaded from a zip) from its saved
    /// checkpoint: weights, AdamW moments, schedule position and counters. <c>Training.Epochs</c> is the new total.
    /// </summary>
    public QuantumKanClassifierTransformer Fit(IDataView input, QuantumKanClassifierTransformer? continueFrom)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (continueFrom is not null && continueFrom.Task != Task)
            throw new ArgumentException($"Cannot continue a {continueFrom.Task} model with a {Task} trainer.", nameof(continueFrom));
        return ClassifierTraining.Train(_host, Task, Options, input, continueFrom);
    }

    /// <summary>Trains directly from feature sources (e.g. the on-disk feature cache), bypassing IDataView.</summary>
    public QuantumKanClassifierTransformer Fit(QuantumKan.Training.Data.IFeatureSource train, QuantumKan.Training.Data.IFeatureSource? validation,
        IReadOnlyList<string> classNames, QuantumKanClassifierTransformer? continueFrom = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != train.LabelSize)
            throw new ArgumentException($"{classNames.Count} class names for {train.LabelSize} label values.", nameof(classNames));
        return ClassifierTraining.TrainOnSources(_host, Task, Options, train, validation, classNames, continueFrom);
    }

    /// <summary>
    /// Trains a frame-encoder classifier directly from labelled frames (e.g. the on-disk feature cache built with the
    /// frame-by-frame layout): random crops for training, patch-averaged clip scores for validation.
    /// </summary>
    public QuantumKanClassifierTransformer Fit(QuantumKan.Training.Data.Frames.FrameClips train, QuantumKan.Training.Data.Frames.FrameClips? validation,
        IReadOnlyList<string> classNames, QuantumKanClassifierTransformer? continueFrom = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != train.LabelSize)
            throw new ArgumentException($"{classNames.Count} class names for {train.LabelSize} label values.", nameof(classNames));
        return ClassifierTraining.TrainOnFrames(_host, Task, Options, train, validation, classNames, continueFrom);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShapes.Require(inputSchema, Options.FeatureColumnName, FeatureColumn.Expected,
            c => c.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector && c.ItemType == NumberDataViewType.Single);
        SchemaShapes.Require(inputSchema, Options.LabelColumnName, ClassifierLabels.Expected(Task), c => ClassifierLabels.Accepts(c, Task));
        // Sizes and class names are unknown until Fit sees the data; the shape carries kinds, item types and which
        // annotations the fitted columns have (class names as SlotNames, and as KeyValues on a multiclass PredictedLabel).
        string[] unknownClasses = [""];
        var slotNames = ClassifierMapper.SlotNames(unknownClasses);
        var outputs = new List<OutputColumn>
        {
            new(Options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, 1), slotNames),
            Task == ClassificationTask.Multiclass
                ? new(Options.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), 1), ClassifierMapper.KeyValues(unknownClasses))
                : new(Options.PredictedLabelColumnName, new VectorDataViewType(BooleanDataViewType.Instance, 1), slotNames),
        };
        if (Options.EmbeddingColumnName is { } embedding)
            outputs.Add(new(embedding, new VectorDataViewType(NumberDataViewType.Single, 1)));
        return SchemaShapes.Append(inputSchema, outputs);
    }
}
