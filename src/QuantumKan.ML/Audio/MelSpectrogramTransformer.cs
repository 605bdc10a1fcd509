using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML.Audio;

/// <summary>
/// Log-mel features of a column of mono samples, with <see cref="LogMelFeaturizer"/>. The output is a Single vector
/// of known size for the fixed layouts (pooled, fixed frames, a fixed patch count) and of variable size otherwise
/// (<c>frames × mels</c>, time-major). Created by <c>mlContext.Transforms.MelSpectrogram</c>.
/// </summary>
[PersistableTransformer(Kind, 1)]
public sealed class MelSpectrogramTransformer : QuantumKanTransformerBase
{
    internal const string Kind = "QuantumKan.Audio.MelSpectrogram";

    /// <summary>
    /// Name of the Int32 annotation on a frames-layout output column holding its mel bands per frame, so a frame
    /// encoder downstream knows how to read the variable-length vector.
    /// </summary>
    public const string MelBandsAnnotation = "MelBands";

    internal MelSpectrogramTransformer(IHostEnvironment env, MelSpectrogramOptions options) : base(env, nameof(MelSpectrogramTransformer))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName, nameof(options.InputColumnName));
        Options = options;
        Featurizer = new LogMelFeaturizer(options);
    }

    /// <summary>The options in effect.</summary>
    public MelSpectrogramOptions Options { get; }

    /// <summary>The featurizer (thread-safe; usable outside ML.NET with the same settings).</summary>
    public LogMelFeaturizer Featurizer { get; }

    /// <summary>The output column type: known size when <see cref="LogMelFeaturizer.FixedOutputLength"/> is set.</summary>
    public VectorDataViewType OutputType => Featurizer.FixedOutputLength is { } n
        ? new VectorDataViewType(NumberDataViewType.Single, n)
        : new VectorDataViewType(NumberDataViewType.Single);

    /// <inheritdoc />
    public override string PersistenceKind => Kind;

    /// <inheritdoc />
    public override void SaveState(ModelStateWriter writer) => writer.WriteJson("Options", Options);

    internal static MelSpectrogramTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var options = reader.ReadJson<MelSpectrogramOptions>("Options");
        try
        {
            return new MelSpectrogramTransformer(env, options);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error("Options", QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
    }

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    internal static bool IsSampleVector(DataViewType type) => type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single;

    private sealed class Mapper : SingleColumnMapper
    {
        private readonly MelSpectrogramTransformer _parent;

        public Mapper(MelSpectrogramTransformer parent, DataViewSchema schema)
            : base(schema, RequireColumn(schema, parent.Options.InputColumnName, $"a vector of Single (mono samples at {parent.Options.SampleRate} Hz)", IsSampleVector))
        {
            _parent = parent;
            var options = parent.Options;
            // LoadAudio labels its output with its rate: catch a pipeline that feeds 22.05 kHz audio to a 16 kHz front end.
            var rateAnnotation = Input.Annotations.Schema.GetColumnOrNull(LoadAudioTransformer.SampleRateAnnotation);
            if (rateAnnotation is { Type: var t } && t == NumberDataViewType.Int32)
            {
                int rate = 0;
                Input.Annotations.GetValue(LoadAudioTransformer.SampleRateAnnotation, ref rate);
                if (rate != options.SampleRate)
                    throw new ArgumentOutOfRangeException(nameof(schema),
                        $"Input column '{Input.Name}' holds audio at {rate} Hz; MelSpectrogram expects {options.SampleRate} Hz (set LoadAudio's sampleRate to match).");
            }
            DataViewSchema.Annotations? annotations = null;
            if (options.Layout == FeatureLayout.Frames)
            {
                var builder = new DataViewSchema.Annotations.Builder();
                int bands = options.MelBands;
                builder.Add(MelBandsAnnotation, NumberDataViewType.Int32, (ref int value) => value = bands);
                annotations = builder.ToAnnotations();
            }
            Outputs = [new OutputColumn(options.OutputColumnName, parent.OutputType, annotations)];
        }

        public override IReadOnlyList<OutputColumn> Outputs { get; }

        protected override Delegate CreateGetter(DataViewRow input)
        {
            var getSamples = input.GetGetter<VBuffer<float>>(Input);
            VBuffer<float> samples = default;
            var featurizer = _parent.Featurizer;
            string column = Input.Name;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
            {
                getSamples(ref samples);
                var dense = samples.IsDense ? samples.GetValues() : samples.DenseValues().ToArray();
                float[] features;
                try
                {
                    features = featurizer.Featurize(dense);
                }
                catch (ArgumentException ex)
                {
                    throw new AudioFormatException($"<column '{column}', row {input.Position}>", QuantumKan.Core.ExceptionText.ForUser(ex), ex);
                }
                Write(ref dst, features);
            };
            return getter;
        }
    }
}
