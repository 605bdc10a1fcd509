using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.Audio;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML.Audio;

/// <summary>
/// Decodes WAV clips named by a path column (Text) or held in a bytes column (vector of Byte) into mono float
/// samples at <see cref="LoadAudioOptions.SampleRate"/>: a variable-length Single vector whose column carries a
/// <c>SampleRate</c> annotation. Created by <c>mlContext.Transforms.LoadAudio</c>.
/// </summary>
[PersistableTransformer(Kind, 2)] // 2: channel and decoder options in Signal (version 1 saved them flat)
public sealed class LoadAudioTransformer : QuantumKanTransformerBase
{
    internal const string Kind = "QuantumKan.Audio.LoadAudio";

    /// <summary>Name of the Int32 annotation holding the output column's sample rate in Hz.</summary>
    public const string SampleRateAnnotation = "SampleRate";

    internal LoadAudioTransformer(IHostEnvironment env, LoadAudioOptions options) : base(env, nameof(LoadAudioTransformer))
    {
        options.Validate();
        Options = options;
        Reader = new SignalReader(options.SampleRate, options.Signal);
    }

    /// <summary>The options in effect.</summary>
    public LoadAudioOptions Options { get; }

    /// <summary>The front end's first stage that decodes each clip (usable outside ML.NET with the same settings).</summary>
    public SignalReader Reader { get; }

    /// <inheritdoc />
    public override string PersistenceKind => Kind;

    /// <inheritdoc />
    public override void SaveState(ModelStateWriter writer) => writer.WriteJson("Options", Options);

    internal static LoadAudioTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var options = reader.KindVersion == 1 ? reader.ReadJson<LoadAudioOptions.Version1>("Options").Upgrade() : reader.ReadJson<LoadAudioOptions>("Options");
        try
        {
            return new LoadAudioTransformer(env, options);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error("Options", QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
    }

    /// <inheritdoc />
    public override IDataView Transform(IDataView input)
    {
        var mapped = base.Transform(input);
        if (Options.OnBadClip != BadClipPolicy.SkipRow)
            return mapped;
        var column = mapped.Schema[Options.OutputColumnName];
        return new BadClipSkippingDataView(mapped, column, Report);
    }

    private void Report(BadClip clip)
    {
        using (var ch = Host.Start(nameof(LoadAudioTransformer)))
            ch.Warning(MessageSensitivity.None, $"LoadAudio skipped row {clip.Row} ({clip.Source}): {clip.Error.Message}");
        Options.BadClipReported?.Invoke(clip);
    }

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    internal string ResolvePath(string path) =>
        Options.BaseDirectory is { } dir && !Path.IsPathRooted(path) ? Path.Combine(dir, path) : path;

    private sealed class Mapper : SingleColumnMapper
    {
        private readonly LoadAudioTransformer _parent;
        private readonly bool _isPath;

        public Mapper(LoadAudioTransformer parent, DataViewSchema schema)
            : base(schema, RequireColumn(schema, parent.Options.InputColumnName, "Text (a WAV path) or a vector of Byte (WAV file bytes)", IsAudioSource))
        {
            _parent = parent;
            _isPath = Input.Type is TextDataViewType;
            var annotations = new DataViewSchema.Annotations.Builder();
            int rate = parent.Options.SampleRate;
            annotations.Add(SampleRateAnnotation, NumberDataViewType.Int32, (ref int value) => value = rate);
            Outputs = [new OutputColumn(parent.Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single), annotations.ToAnnotations())];
        }

        internal static bool IsAudioSource(DataViewType type) =>
            type is TextDataViewType || type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Byte;

        public override IReadOnlyList<OutputColumn> Outputs { get; }

        protected override Delegate CreateGetter(DataViewRow input)
        {
            string column = Input.Name;
            Func<float[]> load;
            if (_isPath)
            {
                var getPath = input.GetGetter<ReadOnlyMemory<char>>(Input);
                ReadOnlyMemory<char> path = default;
                load = () =>
                {
                    getPath(ref path);
                    var file = _parent.ResolvePath(path.ToString());
                    return _parent.Reader.Read(file);
                };
            }
            else
            {
                var getBytes = input.GetGetter<VBuffer<byte>>(Input);
                VBuffer<byte> bytes = default;
                load = () =>
                {
                    getBytes(ref bytes);
                    var dense = bytes.IsDense ? bytes.GetValues() : bytes.DenseValues().ToArray();
                    return _parent.Reader.Read(dense, $"<bytes in column '{column}', row {input.Position}>");
                };
            }
            // Cached per row: the skipping view decodes in MoveNext and the consumer's getter then reuses the result.
            var cache = new PerRowCache<float[]>(input, load);
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
            {
                Write(ref dst, cache.Get());
            };
            return getter;
        }
    }
}
