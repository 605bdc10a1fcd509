using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.DataView;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Binds a <see cref="QuantumEmbeddingTransformer"/> to an input schema: validates the feature column and computes
/// the embedding (and the wavefunction, when configured and requested) once per row.
/// </summary>
internal sealed class QuantumEmbeddingMapper : BoundRowMapper
{
    private readonly QuantumEmbeddingTransformer _parent;
    private readonly FeatureColumn _features;

    public QuantumEmbeddingMapper(QuantumEmbeddingTransformer parent, DataViewSchema schema) : base(schema)
    {
        _parent = parent;
        _features = FeatureColumn.ForInference(schema, parent.FeatureColumnName, parent.FeatureCount);
        var outputs = new List<OutputColumn>
        {
            new(parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, parent.EmbeddingSize), EmbeddingSlotNames(parent.Modes)),
        };
        if (parent.Columns.Wavefunction is { } name)
            outputs.Add(new OutputColumn(name, new VectorDataViewType(NumberDataViewType.Single, parent.Modes, 2, parent.Grid.Points)));
        Outputs = outputs;
    }

    public override IReadOnlyList<OutputColumn> Outputs { get; }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive) =>
        Enumerable.Range(0, Outputs.Count).Any(isOutputActive) ? [_features.Column] : [];

    public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, out Action? disposer)
    {
        disposer = null;
        var getters = new Delegate?[Outputs.Count];
        if (!Enumerable.Range(0, Outputs.Count).Any(isOutputActive))
            return getters;
        var reader = _features.CreateReader(input);
        var features = new float[_features.Size];
        bool withWavefunction = Outputs.Count > 1 && isOutputActive(1);
        var cache = new PerRowCache<(float[] Embedding, float[]? Wavefunction)>(input, () =>
        {
            reader.Read(features);
            return _parent.Compute(features, withWavefunction);
        });
        if (isOutputActive(0))
            getters[0] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) => Copy(cache.Get().Embedding, ref dst));
        if (withWavefunction)
            getters[1] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) => Copy(cache.Get().Wavefunction!, ref dst));
        return getters;
    }

    private static void Copy(float[] values, ref VBuffer<float> dst)
    {
        var editor = VBufferEditor.Create(ref dst, values.Length);
        values.CopyTo(editor.Values);
        dst = editor.Commit();
    }

    // Slot names Alpha0..Alpha{M-1}, Beta0.., Gamma0.. say which parameter each value is.
    private static DataViewSchema.Annotations EmbeddingSlotNames(int modes)
    {
        var names = new[] { "Alpha", "Beta", "Gamma" }
            .SelectMany(p => Enumerable.Range(0, modes).Select(m => (p + m).AsMemory())).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
            dst = new VBuffer<ReadOnlyMemory<char>>(names.Length, names);
        builder.Add("SlotNames", // ML.NET's AnnotationUtils.Kinds.SlotNames, which is internal
             new VectorDataViewType(TextDataViewType.Instance, names.Length), getter);
        return builder.ToAnnotations();
    }
}
