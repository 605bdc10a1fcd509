namespace QuantumKan.Onnx;

/// <summary>
/// What an exported QuantumKan ONNX model looks like from outside: its one input, its two outputs and the metadata
/// that makes the file self-describing. The exporter writes it and <see cref="OnnxClassifier"/> checks it.
/// <list type="bullet">
/// <item>Pooled-feature model: input <c>features</c> (batch, D) → <c>scores</c> (batch, C), <c>embedding</c> (batch, 3M).</item>
/// <item>Frame-encoder model: input <c>frames</c> (frames, M), one clip's log-mel frames of any length ≥ 1 →
/// <c>scores</c> (1, C), <c>embedding</c> (1, 3M). The graph cuts the clip into patches itself (tiling a short clip)
/// and aggregates them, exactly as the TorchSharp transformer's inference recipe.</item>
/// </list>
/// <c>scores</c> are probabilities (sigmoid for multi-label, softmax for multiclass); <c>embedding</c> is the quantum
/// state [α | β | γ].
/// </summary>
public static class OnnxModelContract
{
    /// <summary>Input of a pooled-feature model.</summary>
    public const string FeaturesInput = "features";

    /// <summary>Input of a frame-encoder model.</summary>
    public const string FramesInput = "frames";

    /// <summary>Per-class probabilities.</summary>
    public const string ScoresOutput = "scores";

    /// <summary>The quantum state [α | β | γ].</summary>
    public const string EmbeddingOutput = "embedding";

    /// <summary>Version of this contract written into <see cref="FormatKey"/>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Metadata keys (ModelProto.metadata_props).</summary>
    public const string FormatKey = "quantumkan.format";
    public const string TaskKey = "quantumkan.task";
    public const string LabelsKey = "quantumkan.labels";
    public const string InputKindKey = "quantumkan.input";
    public const string FeatureCountKey = "quantumkan.feature_count";
    public const string ThresholdKey = "quantumkan.decision_threshold";
    public const string EmbeddingSigmaKey = "quantumkan.embedding_sigma";
    public const string InferenceKey = "quantumkan.inference";
    public const string FrontEndKey = "quantumkan.front_end";
    public const string InputColumnKey = "quantumkan.input_column";

    /// <summary>Values of <see cref="TaskKey"/>.</summary>
    public const string MultiLabel = "MultiLabel", Multiclass = "Multiclass";
}
