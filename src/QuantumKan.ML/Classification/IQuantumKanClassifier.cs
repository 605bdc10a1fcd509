using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>
/// A trained QuantumKan classifier as a scorer of clips, whichever engine runs it: the TorchSharp
/// <see cref="QuantumKanClassifierTransformer"/> or the OnnxRuntime <see cref="Onnx.QuantumKanOnnxTransformer"/>.
/// </summary>
public interface IQuantumKanClassifier
{
    /// <summary>Multi-label or multiclass.</summary>
    ClassificationTask Task { get; }

    /// <summary>Class names, in score order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Features per clip; for a frame model, mel bands per frame.</summary>
    int FeatureCount { get; }

    /// <summary>Whether the model reads a clip's log-mel frames (any number) rather than one pooled feature vector.</summary>
    bool ReadsFrames { get; }

    /// <summary>Multi-label decision threshold on a probability.</summary>
    float DecisionThreshold { get; }

    /// <summary>Packet width σ of the embedding's states, for Born-rule fidelities between embeddings.</summary>
    double EmbeddingSigma { get; }

    /// <summary>The output column holding the embedding, or null when there is none.</summary>
    string? EmbeddingColumnName { get; }

    /// <summary>One clip's per-class probabilities and embedding [α | β | γ].</summary>
    (float[] Scores, float[] Embedding) Predict(ReadOnlySpan<float> features);

    /// <summary>One clip's embedding [α | β | γ].</summary>
    float[] Embed(ReadOnlySpan<float> features);
}
