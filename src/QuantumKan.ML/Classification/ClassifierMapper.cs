using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>What a classifier mapper scores with: the TorchSharp network or an exported ONNX graph.</summary>
internal interface IClipClassifier : IQuantumKanClassifier
{
    ClassifierColumns Columns { get; }
    int EmbeddingSize { get; }
}

/// <summary>Row mapping of a QuantumKan classifier (TorchSharp or ONNX): one pass per row feeds every output.</summary>
internal sealed class ClassifierMapper : BoundRowMapper
{
    private readonly IClipClassifier _parent;
    private readonly FeatureColumn _features;

    public ClassifierMapper(IClipClassifier parent, DataViewSchema schema) : base(schema)
    {
        _parent = parent;
        _features = parent.ReadsFrames
            ? FeatureColumn.ForFrames(schema, parent.Columns.Features, parent.FeatureCount)
            : FeatureColumn.ForInference(schema, parent.Columns.Features, parent.FeatureCount);
        int classes = parent.ClassNames.Count;
        var slotNames = SlotNames(parent.ClassNames);
        var outputs = new List<OutputColumn>
        {
            new(parent.Columns.Score, new VectorDataViewType(NumberDataViewType.Single, classes), slotNames),
            parent.Task == ClassificationTask.Multiclass
                ? new(parent.Columns.PredictedLabel, new KeyDataViewType(typeof(uint), classes), KeyValues(parent.ClassNames))
                : new(parent.Columns.PredictedLabel, new VectorDataViewType(BooleanDataViewType.Instance, classes), slotNames),
        };
        if (parent.Columns.Embedding is { } embedding)
            outputs.Add(new(embedding, new VectorDataViewType(NumberDataViewType.Single, parent.EmbeddingSize)));
        Outputs = outputs;
    }

    public override IReadOnlyList<OutputColumn> Outputs { get; }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive) => [_features.Column];

    public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, out Action? disposer)
    {
        disposer = null;
        Func<(float[] Scores, float[] Embedding)> predict;
        if (_features.IsFrames)
        {
            var readFrames = _features.CreateFrameReader(input);
            predict = () => _parent.Predict(readFrames.Read());
        }
        else
        {
            var read = _features.CreateReader(input);
            var row = new float[_parent.FeatureCount];
            predict = () =>
            {
                read.Read(row);
                return _parent.Predict(row);
            };
        }
        var cache = new PerRowCache<(float[] Scores, float[] Embedding)>(input, predict);
        var getters = new Delegate?[Outputs.Count];
        getters[0] = isOutputActive(0) ? Vector(() => cache.Get().Scores) : null;
        if (isOutputActive(1))
        {
            if (_parent.Task == ClassificationTask.Multiclass)
                getters[1] = (ValueGetter<uint>)((ref uint dst) => dst = (uint)ArgMax(cache.Get().Scores) + 1);
            else
            {
                float t = _parent.DecisionThreshold;
                getters[1] = (ValueGetter<VBuffer<bool>>)((ref VBuffer<bool> dst) =>
                {
                    var scores = cache.Get().Scores;
                    var editor = VBufferEditor.Create(ref dst, scores.Length);
                    for (int i = 0; i < scores.Length; i++)
                        editor.Values[i] = scores[i] >= t;
                    dst = editor.Commit();
                });
            }
        }
        if (Outputs.Count > 2 && isOutputActive(2))
            getters[2] = Vector(() => cache.Get().Embedding);
        return getters;
    }

    private static ValueGetter<VBuffer<float>> Vector(Func<float[]> values) => (ref VBuffer<float> dst) =>
    {
        var v = values();
        var editor = VBufferEditor.Create(ref dst, v.Length);
        v.CopyTo(editor.Values);
        dst = editor.Commit();
    };

    private static int ArgMax(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
            if (v[i] > v[best])
                best = i;
        return best;
    }

    internal static DataViewSchema.Annotations SlotNames(IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, names.Count), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> dst) => Text(names, ref dst)));
        return builder.ToAnnotations();
    }

    internal static DataViewSchema.Annotations KeyValues(IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, names.Count), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> dst) => Text(names, ref dst)));
        return builder.ToAnnotations();
    }

    private static void Text(IReadOnlyList<string> names, ref VBuffer<ReadOnlyMemory<char>> dst)
    {
        var editor = VBufferEditor.Create(ref dst, names.Count);
        for (int i = 0; i < names.Count; i++)
            editor.Values[i] = names[i].AsMemory();
        dst = editor.Commit();
    }
}
