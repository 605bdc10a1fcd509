using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Trains a quantum field embedding on labelled features: Chebyshev-KAN extractors learn (α, β, γ) per mode so that
/// clips sharing a label have high Born-rule fidelity and clips sharing none fall below the margin.
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
        var outputs = new List<OutputColumn> { new(_outputColumnName, new VectorDataViewType(NumberDataViewType.Single, 3 * _options.Modes)) };
        if (_options.WavefunctionColumnName is { } name)
            outputs.Add(new OutputColumn(name, new VectorDataViewType(NumberDataViewType.Single, _options.Modes, 2, _options.GridPoints)));
        return SchemaShapes.Append(inputSchema, outputs);
    }

    /// <summary>
    /// Reads the features and labels (failing on the first bad row, naming column and row), then trains the extractors
    /// with AdamW on shuffled mini-batches seeded from the MLContext's seed.
    /// </summary>
    public QuantumEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = FeatureColumn.ForTraining(input.Schema, _featureColumnName);
        var labels = LabelColumn.Bind(input.Schema, _labelColumnName);
        var data = LabelledFeatures.Read(input, features, labels);
        if (data.Rows < 2)
            throw new ArgumentException($"Training needs at least 2 rows with labels; the data view has {data.Rows}.", nameof(input));
        var (module, history) = QuantumEmbeddingTraining.Train(_host, data, _options);
        var columns = new QuantumEmbeddingColumns(_outputColumnName, _featureColumnName, _labelColumnName, _options.WavefunctionColumnName, data.Width);
        return new QuantumEmbeddingTransformer(_host, module, columns, _options, history);
    }
}
