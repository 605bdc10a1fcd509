namespace QuantumKan.Training.Model;

/// <summary>What the labels mean, which picks the classification loss and the validation metrics.</summary>
public enum TaskKind
{
    /// <summary>Multi-hot labels; sigmoid BCE; metrics mAP, d′, lwlrap.</summary>
    MultiLabel,

    /// <summary>One-hot labels; softmax cross-entropy; metrics accuracy, macro-F1, log-loss.</summary>
    Multiclass,
}
