using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;

namespace QuantumKan.ML.Audio;

/// <summary>Estimator of <see cref="LoadAudioTransformer"/>; nothing is learned, Fit only checks the input schema.</summary>
public sealed class LoadAudioEstimator : IEstimator<LoadAudioTransformer>
{
    private readonly IHostEnvironment _env;

    internal LoadAudioEstimator(IHostEnvironment env, LoadAudioOptions options)
    {
        options.Validate();
        _env = env;
        Options = options;
    }

    /// <summary>The options the transformer will use.</summary>
    public LoadAudioOptions Options { get; }

    /// <inheritdoc />
    public LoadAudioTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new LoadAudioTransformer(_env, Options);
        _ = transformer.GetOutputSchema(input.Schema); // fails early, naming the column
        return transformer;
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.Require(inputSchema, Options.InputColumnName, "Text (a WAV path) or a vector of Byte (WAV file bytes)",
            c => c.Kind == SchemaShape.Column.VectorKind.Scalar ? c.ItemType is TextDataViewType : c.ItemType == NumberDataViewType.Byte);
        return SchemaShapes.Append(inputSchema, [new OutputColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single))]);
    }
}

/// <summary>Estimator of <see cref="MelSpectrogramTransformer"/>; nothing is learned, Fit only checks the input schema.</summary>
public sealed class MelSpectrogramEstimator : IEstimator<MelSpectrogramTransformer>
{
    private readonly MelSpectrogramTransformer _transformer;

    internal MelSpectrogramEstimator(IHostEnvironment env, MelSpectrogramOptions options)
    {
        // Building the transformer validates the options (naming a bad field) before any data is seen.
        _transformer = new MelSpectrogramTransformer(env, options);
    }

    /// <summary>The options the transformer will use.</summary>
    public MelSpectrogramOptions Options => _transformer.Options;

    /// <inheritdoc />
    public MelSpectrogramTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _ = _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.Require(inputSchema, Options.InputColumnName, $"a vector of Single (mono samples at {Options.SampleRate} Hz)",
            c => c.Kind != SchemaShape.Column.VectorKind.Scalar && c.ItemType == NumberDataViewType.Single);
        return SchemaShapes.Append(inputSchema, [new OutputColumn(Options.OutputColumnName, _transformer.OutputType)]);
    }
}
