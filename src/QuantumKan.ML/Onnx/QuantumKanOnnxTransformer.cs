using Microsoft.ML;
using Microsoft.ML.Runtime;
using QuantumKan.ML.Classification;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.Onnx;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// An exported QuantumKan classifier scored by OnnxRuntime inside an ML.NET pipeline, with the same columns as the
/// TorchSharp <see cref="QuantumKanClassifierTransformer"/>: <c>Score</c> (with the class names as slot names),
/// <c>PredictedLabel</c> (a Boolean vector at the decision threshold, or a key for multiclass) and <c>Embedding</c>.
/// It reads the same feature column (pooled features, or a variable-length frames column for a frame model). Saved
/// with <c>mlContext.Model.Save</c> with the ONNX graph inside the zip; loading and scoring run no torch code.
/// </summary>
[PersistableTransformer(Kind, version: 1)]
public sealed class QuantumKanOnnxTransformer : QuantumKanTransformerBase, IClipClassifier, IDisposable
{
    internal const string Kind = "QuantumKan.OnnxClassifier";

    private readonly byte[] _model;
    private readonly OnnxClassifier _scorer;

    private QuantumKanOnnxTransformer(IHostEnvironment env, byte[] model, OnnxClassifier scorer, string featureColumn)
        : base(env, nameof(QuantumKanOnnxTransformer))
    {
        _model = model;
        _scorer = scorer;
        Columns = new ClassifierColumns(featureColumn, "Score", "PredictedLabel", "Embedding", "Label", scorer.FeatureCount);
    }

    /// <summary>
    /// Wraps an exported model file. The feature column defaults to the one the model was trained on (recorded at export),
    /// else "Features".
    /// </summary>
    /// <exception cref="OnnxModelException">The file is not an exported QuantumKan model; the message names it.</exception>
    public static QuantumKanOnnxTransformer Load(IHostEnvironment env, string onnxPath, string? featureColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var full = Path.GetFullPath(onnxPath);
        var scorer = OnnxClassifier.Load(full);
        try
        {
            return new QuantumKanOnnxTransformer(env, File.ReadAllBytes(full), scorer, featureColumnName ?? DefaultFeatureColumn(scorer));
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }

    /// <summary>The OnnxRuntime scorer (metadata, front end, direct <c>Predict</c>).</summary>
    public OnnxClassifier Scorer => _scorer;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.Task"/>
    public ClassificationTask Task => _scorer.IsMultiLabel ? ClassificationTask.MultiLabel : ClassificationTask.Multiclass;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.ClassNames"/>
    public IReadOnlyList<string> ClassNames => _scorer.ClassNames;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.FeatureCount"/>
    public int FeatureCount => _scorer.FeatureCount;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.ReadsFrames"/>
    public bool ReadsFrames => _scorer.ReadsFrames;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.DecisionThreshold"/>
    public float DecisionThreshold => _scorer.DecisionThreshold;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.EmbeddingSigma"/>
    public double EmbeddingSigma => _scorer.EmbeddingSigma;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.EmbeddingColumnName"/>
    public string? EmbeddingColumnName => Columns.Embedding;

    internal ClassifierColumns Columns { get; }

    ClassifierColumns IClipClassifier.Columns => Columns;

    int IClipClassifier.EmbeddingSize => _scorer.EmbeddingSize;

    /// <inheritdoc cref="QuantumKanClassifierTransformer.Predict"/>
    public (float[] Scores, float[] Embedding) Predict(ReadOnlySpan<float> features) => _scorer.Predict(features);

    /// <inheritdoc cref="QuantumKanClassifierTransformer.Embed"/>
    public float[] Embed(ReadOnlySpan<float> features) => Predict(features).Embedding;

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new ClassifierMapper(this, inputSchema);

    /// <inheritdoc />
    public override string PersistenceKind => Kind;

    /// <inheritdoc />
    public override void SaveState(ModelStateWriter writer)
    {
        writer.WriteJson("Header", new OnnxHeader(Columns.Features));
        writer.WriteBytes("Model", _model);
    }

    internal static QuantumKanOnnxTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var header = reader.ReadJson<OnnxHeader>("Header");
        var bytes = reader.ReadBytes("Model");
        OnnxClassifier scorer;
        try
        {
            scorer = OnnxClassifier.Load(bytes, reader.EntryPath("Model"));
        }
        catch (OnnxModelException ex)
        {
            throw reader.Error("Model", ex.Problem, ex);
        }
        return new QuantumKanOnnxTransformer(env, bytes, scorer, header.FeatureColumn);
    }

    /// <inheritdoc />
    public void Dispose() => _scorer.Dispose();

    private static string DefaultFeatureColumn(OnnxClassifier scorer) =>
        scorer.Metadata.TryGetValue(OnnxModelContract.InputColumnKey, out var name) && name.Length > 0 ? name : "Features";

    internal sealed record OnnxHeader(string FeatureColumn);
}
