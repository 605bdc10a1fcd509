using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.Core;
using QuantumKan.ML.Classification;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Trains a quantum field embedding on labelled features: Chebyshev-KAN extractors learn (α, β, γ) per mode so that
/// clips sharing a label have high Born-rule fidelity and clips sharing none fall below the margin. It trains through
/// the same <see cref="Trainer"/> as the classifier.
/// Create it with <c>mlContext.Transforms.QuantumEmbedding(...)</c>.
/// </summary>
public sealed class QuantumEmbeddingEstimator : IEstimator<QuantumEmbeddingTransformer>
{
    private readonly IHost _host;
    private readonly QuantumEmbeddingOptions _options;
    private readonly string _outputColumnName, _featureColumnName, _labelColumnName;

    internal QuantumEmbeddingEstimator(IHostEnvironment env, string outputColumnName, string featureColumnName, string labelColumnName,
        QuantumEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.WavefunctionColumnName == outputColumnName)
            throw new ArgumentException($"The wavefunction column cannot share the output column's name '{outputColumnName}'.", nameof(options));
        ModelPersistence.Register(env);
        _host = env.Register(nameof(QuantumEmbeddingEstimator));
        _outputColumnName = outputColumnName;
        _featureColumnName = featureColumnName;
        _labelColumnName = labelColumnName;
        _options = options;
    }

    /// <summary>Checks the input columns and describes the outputs: the 3·M embedding and, if configured, the wavefunction.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShapes.Require(inputSchema, _featureColumnName, FeatureColumn.Expected,
            c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single);
        SchemaShapes.Require(inputSchema, _labelColumnName, LabelColumn.Expected, LabelColumn.Accepts);
        var embedding = _options.Embedding;
        var outputs = new List<OutputColumn> { new(_outputColumnName, new VectorDataViewType(NumberDataViewType.Single, 3 * embedding.Modes)) };
        if (_options.WavefunctionColumnName is { } name)
            outputs.Add(new OutputColumn(name, new VectorDataViewType(NumberDataViewType.Single, embedding.Modes, 2, embedding.Grid.Points)));
        return SchemaShapes.Append(inputSchema, outputs);
    }

    /// <summary>
    /// Reads the features and labels (failing on the first bad row, naming column and row), then trains the extractors
    /// through the <see cref="Trainer"/> (as a <see cref="QuantumEmbeddingModel"/>, seeded from the MLContext's seed):
    /// schedule, clipping, checkpoints, resume and early stopping as <see cref="QuantumEmbeddingOptions.Training"/> says.
    /// </summary>
    public QuantumEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = Read(input, FeatureColumn.ForTraining(input.Schema, _featureColumnName), classCount: null);
        if (data.Count < 2)
            throw new ArgumentException($"Training needs at least 2 rows with labels; the data view has {data.Count}.", nameof(input));
        IFeatureSource train = data;
        IFeatureSource? validation = null;
        if (_options.ValidationData is { } validationData)
            validation = Read(validationData, FeatureColumn.ForInference(validationData.Schema, _featureColumnName, data.FeatureSize), data.LabelSize);
        else if (_options.ValidationFraction > 0)
            (train, validation) = HoldOutSplit.Split(data, _options.ValidationFraction, _host.Rand.NextInt64());

        TorchRuntime.EnsureInitialized();
        int seed = _host.Rand.Next();
        var module = TorchRuntime.Seeded(seed, () => new QuantumFieldEmbedding(data.FeatureSize, _options.Embedding));
        if (_options.StandardizeFeatures)
        {
            var (mean, std) = FeatureStatistics.MeanAndStd(train);
            module.SetInputStandardization(tensor(mean), tensor(std));
        }
        var trainer = new Trainer(new QuantumEmbeddingModel(module, _options.Margin), ClassificationTask.MultiLabel, _options.Training with { Seed = seed });
        var result = TrainingProgressRelay.Run(_host, "QuantumEmbedding training", trainer, train, validation is { Count: > 0 } ? validation : null,
            progress: null, epochCompleted: null, CancellationToken.None, _options.ResumeFromWorkspace);
        module.to(CPU);
        module.eval();
        var history = result.History.Select(e => new QuantumEmbeddingEpoch(e.Epoch + 1, e.TrainingLosses[LossComponents.Total],
            Metric(e, QuantumEmbeddingModel.PositiveFidelity), Metric(e, QuantumEmbeddingModel.NegativeFidelity))).ToList();
        var columns = new QuantumEmbeddingColumns(_outputColumnName, _featureColumnName, _labelColumnName, _options.WavefunctionColumnName, data.FeatureSize);
        return new QuantumEmbeddingTransformer(_host, module, columns, _options, history);
    }

    // Rows with label sets as multi-hot vectors; a validation view must have the training data's classes.
    private InMemoryFeatureSource Read(IDataView view, FeatureColumn features, int? classCount)
    {
        var labels = LabelColumn.Bind(view.Schema, _labelColumnName);
        if (classCount is { } expected && labels.ClassCount != expected)
            throw new ArgumentException($"The validation label column '{_labelColumnName}' has {labels.ClassCount} classes; the training data has {expected}.",
                nameof(QuantumEmbeddingOptions.ValidationData));
        var data = LabelledFeatures.Read(view, features, labels);
        return new InMemoryFeatureSource(data.Features, [data.Width], data.MultiHot(), data.ClassCount);
    }

    private static double Metric(EpochSummary epoch, string name) =>
        epoch.TrainingMetrics?.GetValueOrDefault(name, double.NaN) ?? double.NaN;
}

/// <summary>One epoch of embedding training: mean loss and mean fidelities over the pairs seen.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean weighted total loss over the epoch's rows.</param>
/// <param name="MeanPositiveFidelity">Mean F over the positive pairs (sharing a label) of the epoch's batches, weighted by batch size; NaN if none were seen.</param>
/// <param name="MeanNegativeFidelity">Mean F over the negative pairs (sharing no label) of the epoch's batches, weighted by batch size; NaN if none were seen.</param>
public sealed record QuantumEmbeddingEpoch(int Epoch, double Loss, double MeanPositiveFidelity, double MeanNegativeFidelity);
