using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QuantumKan.Onnx;

/// <summary>
/// An exported QuantumKan classifier on OnnxRuntime: no TorchSharp, no libtorch. Scores one clip's features (a pooled
/// feature vector, or for a frame model the clip's log-mel frames, any number ≥ 1 of them, row-major frames × bands)
/// into per-class probabilities and the quantum embedding [α | β | γ], as the TorchSharp transformer does.
/// Thread-safe: OnnxRuntime sessions may run concurrently.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;

    private OnnxClassifier(string path, InferenceSession session, string input, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = path;
        _session = session;
        _input = input;
        Metadata = metadata;
        var labels = Required(metadata, OnnxModelContract.LabelsKey);
        try
        {
            ClassNames = JsonSerializer.Deserialize<string[]>(labels) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new OnnxModelException(path, $"has unreadable class labels in its '{OnnxModelContract.LabelsKey}' metadata ({ex.Message}).", ex);
        }
        IsMultiLabel = Required(metadata, OnnxModelContract.TaskKey) != OnnxModelContract.Multiclass;
        FeatureCount = int.Parse(Required(metadata, OnnxModelContract.FeatureCountKey), CultureInfo.InvariantCulture);
        DecisionThreshold = metadata.TryGetValue(OnnxModelContract.ThresholdKey, out var t) ? float.Parse(t, CultureInfo.InvariantCulture) : 0.5f;
        EmbeddingSigma = metadata.TryGetValue(OnnxModelContract.EmbeddingSigmaKey, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 1.5;
        FrontEndJson = metadata.GetValueOrDefault(OnnxModelContract.FrontEndKey);
        var outputs = session.OutputMetadata;
        EmbeddingSize = (int)outputs[OnnxModelContract.EmbeddingOutput].Dimensions[^1];
        if (outputs[OnnxModelContract.ScoresOutput].Dimensions[^1] != ClassNames.Count)
            throw new OnnxModelException(path, $"has {outputs[OnnxModelContract.ScoresOutput].Dimensions[^1]} scores per clip but {ClassNames.Count} class labels.");
    }

    /// <summary>The model file.</summary>
    public string FilePath { get; }

    /// <summary>Class names, in score order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether the model reads a clip's log-mel frames (any number of them) rather than one pooled feature vector.</summary>
    public bool ReadsFrames => _input == OnnxModelContract.FramesInput;

    /// <summary>Features per clip; for a frame model, mel bands per frame.</summary>
    public int FeatureCount { get; }

    /// <summary>Multi-label (sigmoid scores, <see cref="DecisionThreshold"/>) or multiclass (softmax).</summary>
    public bool IsMultiLabel { get; }

    /// <summary>Multi-label decision threshold on a probability.</summary>
    public float DecisionThreshold { get; }

    /// <summary>Values in the embedding, 3·M.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Packet width σ of the embedding's states (for Born-rule fidelities between embeddings).</summary>
    public double EmbeddingSigma { get; }

    /// <summary>The audio front end the model was trained on, as JSON, or null when it was exported without one.</summary>
    public string? FrontEndJson { get; }

    /// <summary>Every metadata property of the model.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Opens an exported model and checks that it is one: an ONNX file whose graph has the
    /// <see cref="OnnxModelContract"/>'s input and outputs and QuantumKan's metadata.
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="options">OnnxRuntime session options (execution provider, threads); null for the CPU defaults.</param>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="OnnxModelException">The file is not ONNX, or not a QuantumKan export; the message names it and the problem.</exception>
    public static OnnxClassifier Load(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        if (Directory.Exists(path))
            throw new OnnxModelException(path, "is a directory, not an ONNX model file.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist.", path);
        return Open(path, () => new InferenceSession(path, options ?? DefaultOptions()));
    }

    /// <summary>Opens an exported model held in memory (e.g. inside an ML.NET zip); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="OnnxModelException">The bytes are not ONNX, or not a QuantumKan export.</exception>
    public static OnnxClassifier Load(byte[] model, string source, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return Open(source, () => new InferenceSession(model, options ?? DefaultOptions()));
    }

    /// <summary>
    /// The session options used when none are given: intra-op threads from <c>QKAN_NUM_THREADS</c> when set (the
    /// variable that sets torch's threads), else OnnxRuntime's default, and no spin-waiting between operators.
    /// </summary>
    public static SessionOptions DefaultOptions()
    {
        var options = new SessionOptions();
        if (int.TryParse(Environment.GetEnvironmentVariable("QKAN_NUM_THREADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads) && threads > 0)
            options.IntraOpNumThreads = threads;
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static OnnxClassifier Open(string source, Func<InferenceSession> create)
    {
        InferenceSession session;
        try
        {
            session = create();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OnnxModelException(source, $"is not a valid ONNX model: OnnxRuntime could not load it ({FirstLine(ex.Message)}).", ex);
        }
        try
        {
            var input = CheckGraph(source, session);
            return new OnnxClassifier(source, session, input, session.ModelMetadata.CustomMetadataMap);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Throws unless the model was exported for this front end: every field recorded in the model's front-end JSON must
    /// equal the same field of <paramref name="frontEndJson"/> (made by the same exporter function for the front end
    /// in use). A model exported without a front end accepts any.
    /// </summary>
    /// <exception cref="OnnxModelException">A field differs; the message names the file and every differing field with both values.</exception>
    public void RequireFrontEnd(string frontEndJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(frontEndJson);
        if (FrontEndJson is null)
            return;
        var expected = JsonNode.Parse(FrontEndJson)!.AsObject();
        var actual = JsonNode.Parse(frontEndJson)!.AsObject();
        var differences = expected
            .Where(p => !JsonNode.DeepEquals(p.Value, actual[p.Key]))
            .Select(p => $"{p.Key} = {p.Value?.ToJsonString() ?? "null"} in the model, {actual[p.Key]?.ToJsonString() ?? "absent"} here")
            .ToArray();
        if (differences.Length > 0)
            throw new OnnxModelException(FilePath, $"was exported for another audio front end: {string.Join("; ", differences)}.");
    }

    /// <summary>Scores one clip: per-class probabilities and the embedding [α | β | γ].</summary>
    /// <param name="features">The clip's pooled features, or its frames (row-major frames × bands, at least one frame).</param>
    /// <exception cref="ArgumentException">The length does not fit the model.</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite (the message names where).</exception>
    public (float[] Scores, float[] Embedding) Predict(ReadOnlySpan<float> features)
    {
        int rows;
        if (ReadsFrames)
        {
            if (features.Length == 0 || features.Length % FeatureCount != 0)
                throw new ArgumentException($"Expected a whole number (≥ 1) of {FeatureCount}-band frames, got {features.Length} values.", nameof(features));
            rows = features.Length / FeatureCount;
        }
        else
        {
            if (features.Length != FeatureCount)
                throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
            rows = 1;
        }
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                throw new InvalidDataException(ReadsFrames
                    ? $"Frame {i / FeatureCount}, band {i % FeatureCount} is {features[i]}; features must be finite."
                    : $"Feature {i} is {features[i]}; features must be finite.");
        }
        var shape = new[] { rows, FeatureCount };
        var tensor = new DenseTensor<float>(features.ToArray(), shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)], [OnnxModelContract.ScoresOutput, OnnxModelContract.EmbeddingOutput]);
        var scores = results.First(r => r.Name == OnnxModelContract.ScoresOutput).AsEnumerable<float>().ToArray();
        var embedding = results.First(r => r.Name == OnnxModelContract.EmbeddingOutput).AsEnumerable<float>().ToArray();
        return (scores, embedding);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    // The graph must take exactly one float input named as the contract says, of rank 2 with the feature width last,
    // and give the two float outputs.
    private static string CheckGraph(string path, InferenceSession session)
    {
        var inputs = session.InputMetadata;
        string Describe(IReadOnlyDictionary<string, NodeMetadata> values) => string.Join(", ", values.Select(v =>
            $"'{v.Key}' ({(v.Value.IsTensor ? v.Value.ElementType.Name : v.Value.OnnxValueType.ToString())} [{string.Join(", ", v.Value.IsTensor ? v.Value.Dimensions.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)) : [])}])"));
        var expected = $"a QuantumKan model has one float input '{OnnxModelContract.FeaturesInput}' (batch × features) or '{OnnxModelContract.FramesInput}' (frames × mel bands)";
        if (inputs.Count != 1)
            throw new OnnxModelException(path, $"is not a QuantumKan model: its graph has {inputs.Count} inputs ({Describe(inputs)}); {expected}.");
        var (name, input) = inputs.First();
        if ((name != OnnxModelContract.FeaturesInput && name != OnnxModelContract.FramesInput) || !input.IsTensor ||
            input.ElementType != typeof(float) || input.Dimensions.Length != 2)
            throw new OnnxModelException(path, $"is not a QuantumKan model: its graph's input is {Describe(inputs)}; {expected}.");
        var outputs = session.OutputMetadata;
        foreach (var output in new[] { OnnxModelContract.ScoresOutput, OnnxModelContract.EmbeddingOutput })
        {
            if (!outputs.TryGetValue(output, out var o) || !o.IsTensor || o.ElementType != typeof(float))
                throw new OnnxModelException(path, $"is not a QuantumKan model: its graph has no float output '{output}' (its outputs: {Describe(outputs)}).");
        }
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue(OnnxModelContract.FormatKey, out var format))
            throw new OnnxModelException(path, $"is not a QuantumKan export: it has no '{OnnxModelContract.FormatKey}' metadata (written by `qkan export`).");
        if (format != OnnxModelContract.FormatVersion.ToString(CultureInfo.InvariantCulture))
            throw new OnnxModelException(path, $"has QuantumKan ONNX format version {format}; this version reads {OnnxModelContract.FormatVersion}.");
        var kind = Required(metadata, OnnxModelContract.InputKindKey, path);
        if (kind != name)
            throw new OnnxModelException(path, $"says its input is '{kind}' but its graph's input is '{name}'.");
        var width = int.Parse(Required(metadata, OnnxModelContract.FeatureCountKey, path), CultureInfo.InvariantCulture);
        if (input.Dimensions[1] != width)
            throw new OnnxModelException(path, $"has input '{name}' of width {input.Dimensions[1]} but {width} features in its metadata.");
        return name;
    }

    private string Required(IReadOnlyDictionary<string, string> metadata, string key) => Required(metadata, key, FilePath);

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out var value) ? value : throw new OnnxModelException(path, $"is missing the '{key}' metadata of a QuantumKan export.");

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim().TrimEnd('.');
    }
}
