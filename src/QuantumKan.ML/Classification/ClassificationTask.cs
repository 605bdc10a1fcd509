namespace QuantumKan.ML.Classification;

/// <summary>What a QuantumKan classifier predicts.</summary>
public enum ClassificationTask
{
    /// <summary>Any subset of the classes per clip (FSD50K); sigmoid scores, binary cross-entropy.</summary>
    MultiLabel,

    /// <summary>Exactly one class per clip; softmax scores, cross-entropy.</summary>
    Multiclass,
}
